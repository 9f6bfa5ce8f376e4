// The view state: one plain, serialisable object that is also the request.
//
// Exactly one source of words: a preset's name, or a sentence with toy
// embeddings (features, seed). Choosing a preset puts its sentence in the
// box; editing the sentence, features or seed drops the preset.

const LAYER_FIELDS = ["layer", "pool_size", "strides", "padding"];

export function createState(defaults, presets) {
  const preset = presets.find((p) => p.name === defaults.preset) ?? null;
  return {
    preset: preset ? preset.name : null,
    sentence: preset ? preset.sentence : (defaults.sentence ?? ""),
    features: defaults.features ?? 4,
    seed: defaults.seed ?? 0,
    layer: defaults.layer ?? "max",
    pool_size: defaults.pool_size ?? 2,
    strides: defaults.strides ?? null,
    padding: defaults.padding ?? "valid",
  };
}

/** The POST /api/trace body for a state. */
export function toRequest(state) {
  const request = state.preset
    ? { preset: state.preset }
    : { sentence: state.sentence, features: state.features, seed: state.seed };
  for (const field of LAYER_FIELDS) request[field] = state[field];
  return request;
}
