// Wiring: controls -> view state -> /api/trace -> both views, plus the player.
import { ApiError, fetchTrace } from "./api.js";
import { globalSummary, stepCaption } from "./caption.js";
import { DEBOUNCE_MS, DIVERGING, STEP_MS } from "./colors.js";
import { createGlobalView } from "./global.js";
import { createSlidingView } from "./sliding.js";
import { shortNumber, symmetricLimit } from "./heatmap.js";
import { createState, numberOrNull, toRequest } from "./state.js";

const boot = JSON.parse(document.getElementById("boot").textContent);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const controls = {
  sentence: byTestId("sentence"),
  preset: byTestId("preset"),
  features: byTestId("features"),
  seed: byTestId("seed"),
  layer: byTestId("layer"),
  pool_size: byTestId("pool-size"),
  strides: byTestId("strides"),
  padding: byTestId("padding"),
};
const player = {
  play: byTestId("play"),
  prev: byTestId("prev"),
  next: byTestId("next"),
  step: byTestId("step"),
  position: byTestId("position"),
};
const errorBox = byTestId("error");
const captionBox = byTestId("caption");
const summaryBox = byTestId("global-summary");
const teachesBox = byTestId("teaches");
const shapesBox = byTestId("shapes");
const legend = byTestId("legend");
const panels = document.getElementById("panels");

const sliding = createSlidingView(byTestId("sliding-plot"));
const globalView = createGlobalView(byTestId("global-plot"));

// The whole view: `state` is the request (and, later, a shareable link); `step` the animation.
const view = { state: createState(boot.defaults, boot.presets), step: 0 };
let trace = null;
let inFlight = null;
let debounceTimer = null;
let playTimer = null;
let renders = 0;

// ---- controls <-> state -------------------------------------------------

function fillPresets() {
  for (const preset of boot.presets) {
    const option = document.createElement("option");
    option.value = preset.name;
    option.textContent = preset.title;
    controls.preset.append(option);
  }
  const custom = document.createElement("option");
  custom.value = "";
  custom.textContent = "Custom: your sentence, toy embeddings";
  controls.preset.append(custom);
}

function showState() {
  const s = view.state;
  controls.sentence.value = s.sentence;
  controls.preset.value = s.preset ?? "";
  controls.features.value = s.features ?? "";
  controls.seed.value = s.seed ?? "";
  controls.layer.value = s.layer;
  controls.pool_size.value = s.pool_size ?? "";
  controls.strides.value = s.strides ?? "";
  controls.padding.value = s.padding;
  showTeaches();
}

function showTeaches() {
  const preset = boot.presets.find((p) => p.name === view.state.preset);
  teachesBox.textContent = preset
    ? preset.teaches
    : "Your own sentence: each word gets a fixed toy vector, the same every time for the same word, features and seed.";
}

function setLimits() {
  const limits = boot.limits ?? {};
  if (limits.max_features) controls.features.max = limits.max_features;
  if (limits.max_pool_size) controls.pool_size.max = limits.max_pool_size;
  if (limits.max_strides) controls.strides.max = limits.max_strides;
  if (limits.max_seed) controls.seed.max = limits.max_seed;
}

function onControl(field, debounce) {
  const s = view.state;
  switch (field) {
    case "sentence":
      s.sentence = controls.sentence.value;
      s.preset = null;
      break;
    case "preset": {
      const preset = boot.presets.find((p) => p.name === controls.preset.value);
      s.preset = preset ? preset.name : null;
      if (preset) s.sentence = preset.sentence;
      break;
    }
    case "features":
    case "seed":
      s[field] = numberOrNull(controls[field]);
      s.preset = null;
      break;
    case "pool_size":
    case "strides":
      s[field] = numberOrNull(controls[field]);
      break;
    default:
      s[field] = controls[field].value;
  }
  // Echo back only what this edit changed elsewhere: rewriting the control
  // being typed in would fight the learner's cursor.
  controls.preset.value = s.preset ?? "";
  if (field === "preset") controls.sentence.value = s.sentence;
  showTeaches();
  clearTimeout(debounceTimer);
  if (debounce) debounceTimer = setTimeout(update, DEBOUNCE_MS);
  else update();
}

// ---- errors -----------------------------------------------------------------

const FIELD_CONTROL = { embeddings: "sentence", tokens: "sentence", kind: "layer" };

function showError(message, field) {
  clearInvalid();
  const name = FIELD_CONTROL[field] ?? field;
  const control = controls[name] ?? controls.sentence;
  control.closest(".field").append(errorBox);
  errorBox.textContent = message;
  errorBox.hidden = false;
  control.setAttribute("aria-invalid", "true");
  control.setAttribute("aria-describedby", errorBox.id);
  panels.classList.add("stale");
}

function clearInvalid() {
  for (const control of Object.values(controls)) {
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
  }
}

function clearError() {
  clearInvalid();
  errorBox.hidden = true;
  errorBox.textContent = "";
  panels.classList.remove("stale");
}

// ---- fetching and drawing ---------------------------------------------------

async function update() {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  const started = performance.now();
  document.body.dataset.busy = "true";
  try {
    const next = await fetchTrace(boot.api.trace, toRequest(view.state), controller.signal);
    if (controller.signal.aborted) return;
    trace = next;
    view.step = Math.min(view.step, trace.pooling.out_steps - 1);
    await draw();
    if (controller.signal.aborted) return;
    clearError();
    document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
  } catch (error) {
    if (error.name === "AbortError") return;
    if (!(error instanceof ApiError)) throw error;
    showError(error.message, error.field);
  } finally {
    if (inFlight === controller) {
      inFlight = null;
      delete document.body.dataset.busy;
    }
  }
}

function showWords() {
  const p = trace.pooling;
  const g = trace.global;
  document.querySelector('[data-testid="sliding-title"]').textContent = p.call;
  document.querySelector('[data-testid="global-title"]').textContent = g.call;
  const shape = (s) => `(${s.join(", ")})`;
  shapesBox.querySelector('[data-part="sliding"]').textContent =
    `${shape(p.input_shape)} -> ${p.name} -> ${shape(p.output_shape)}`;
  shapesBox.querySelector('[data-part="global"]').textContent =
    `${shape(g.input_shape)} -> ${g.name} -> ${shape(g.output_shape)}`;
  shapesBox.querySelector('[data-part="formula"]').textContent = p.formula;
  summaryBox.textContent = globalSummary(trace);
  const limit = symmetricLimit(trace.x);
  legend.querySelector('[data-part="min"]').textContent = shortNumber(-limit);
  legend.querySelector('[data-part="max"]').textContent = shortNumber(limit);
}

async function draw() {
  showWords();
  setPlayerRange();
  showStepWords();
  await Promise.all([sliding.render(trace, view.step), globalView.render(trace)]);
  renders += 1;
  document.body.dataset.renders = String(renders);
}

// ---- the player ---------------------------------------------------------------

const lastStep = () => (trace ? trace.pooling.out_steps - 1 : 0);

function setPlayerRange() {
  player.step.max = String(lastStep());
  player.step.value = String(view.step);
}

function showStepWords() {
  player.step.value = String(view.step);
  player.position.textContent = `${view.step + 1} of ${lastStep() + 1}`;
  player.step.setAttribute("aria-valuetext", `window ${view.step + 1} of ${lastStep() + 1}`);
  captionBox.textContent = stepCaption(trace, view.step);
  player.prev.disabled = view.step <= 0;
  player.next.disabled = view.step >= lastStep();
}

function goTo(step) {
  if (!trace) return;
  const target = Math.max(0, Math.min(lastStep(), step));
  if (target === view.step) return;
  view.step = target;
  showStepWords();
  sliding.show(view.step);
}

const playing = () => playTimer !== null;

function setPlaying(on) {
  clearTimeout(playTimer);
  playTimer = null;
  player.play.setAttribute("aria-pressed", String(on));
  player.play.querySelector(".label").textContent = on ? "Pause" : "Play";
  player.play.querySelector(".icon").textContent = on ? "❚❚" : "▶";
  if (on) playTimer = setTimeout(tick, STEP_MS);
}

function tick() {
  goTo(view.step + 1);
  setPlaying(view.step < lastStep());
}

function togglePlay() {
  if (!trace) return;
  if (playing()) {
    setPlaying(false);
    return;
  }
  if (view.step >= lastStep()) goTo(0);
  setPlaying(lastStep() > 0);
}

function isTyping(target) {
  return target instanceof HTMLElement
    && (target.matches("input:not([type=range]), select, textarea") || target.isContentEditable);
}

function onKey(event) {
  if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
  if (event.key === " " && !event.target.matches?.("button")) {
    event.preventDefault();
    togglePlay();
  } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && event.target !== player.step) {
    event.preventDefault();
    setPlaying(false);
    goTo(view.step + (event.key === "ArrowRight" ? 1 : -1));
  }
}

// ---- start ------------------------------------------------------------------

fillPresets();
setLimits();
legend.querySelector('[data-part="bar"]').style.background =
  `linear-gradient(to right, ${DIVERGING.map(([at, color]) => `${color} ${at * 100}%`).join(", ")})`;
showState();
controls.sentence.addEventListener("input", () => onControl("sentence", true));
for (const field of ["features", "seed", "pool_size", "strides"]) {
  controls[field].addEventListener("input", () => onControl(field, true));
}
for (const field of ["preset", "layer", "padding"]) {
  controls[field].addEventListener("change", () => onControl(field, false));
}
document.getElementById("controls").addEventListener("submit", (event) => event.preventDefault());
player.play.addEventListener("click", togglePlay);
player.prev.addEventListener("click", () => { setPlaying(false); goTo(view.step - 1); });
player.next.addEventListener("click", () => { setPlaying(false); goTo(view.step + 1); });
player.step.addEventListener("input", () => { setPlaying(false); goTo(Number(player.step.value)); });
document.addEventListener("keydown", onKey);
update();
