// The view state: one plain, serialisable object. Its request fields are the
// POST /api/trace body; all of it is the lesson link.
//
// Exactly one source of words: a preset's name, your own numbers
// (`embeddings`, labelled by the sentence), or a sentence with toy
// embeddings (features, seed). Choosing a preset puts its sentence in the
// box; editing the sentence, features or seed drops the preset.
//
// FIELDS is the one table of every piece of state: its name in the link,
// its kind, and its limits. Adding a control means one line here; reading
// and writing links, defaults and checks all come from the table.

import { t } from "./i18n.js";

export const REQUEST_FIELDS = ["preset", "sentence", "embeddings", "features", "seed", "layer", "pool_size", "strides", "padding"];
const LAYER_FIELDS = ["layer", "pool_size", "strides", "padding"];

// Controls a lesson link may hide (`hide=padding,strides`).
export const HIDEABLE = [
  "sentence", "preset", "layer", "pool_size", "strides", "padding", "features", "seed", "speed", "present", "share", "edit", "files",
  "predict", "quiz",
];

/** The table. `kind` is text | int | intOrNone | choice | flag | list | matrix. */
export function fieldTable({ presets, limits, languages = ["en"] }) {
  return [
    { name: "preset", kind: "choice", choices: presets.map((p) => p.name), nullable: true },
    { name: "sentence", kind: "text", max: limits.max_sentence_chars ?? 10000 },
    { name: "embeddings", kind: "matrix", rows: limits.max_tokens ?? 256, cols: limits.max_features ?? 64 },
    { name: "features", kind: "int", min: 1, max: limits.max_features ?? 64 },
    { name: "seed", kind: "int", min: limits.min_seed ?? 0, max: limits.max_seed ?? 2 ** 31 - 1 },
    { name: "layer", kind: "choice", choices: ["max", "average"] },
    { name: "pool_size", kind: "int", min: 1, max: limits.max_pool_size ?? 256 },
    { name: "strides", kind: "intOrNone", min: 1, max: limits.max_strides ?? 256 },
    { name: "padding", kind: "choice", choices: ["valid", "same"] },
    // The view around the request: where the animation is and how it is shown.
    { name: "step", kind: "int", min: 1, max: 100000, offset: 1 },
    { name: "band", kind: "int", min: 0, max: 63 },
    { name: "view", kind: "choice", choices: ["sliding", "global"] },
    { name: "present", kind: "flag" },
    { name: "speed", kind: "choice", choices: ["slow", "normal", "fast"] },
    { name: "hide", kind: "list", choices: HIDEABLE },
    { name: "embed", kind: "flag" },
    // Predict, then reveal (predict.js), and the seed of the quiz's questions (quiz.js).
    { name: "mode", kind: "choice", choices: ["watch", "predict"] },
    { name: "quiz", kind: "int", min: 0, max: 2 ** 31 - 1 },
    // The page's language (i18n.js): the server renders the page in it.
    { name: "lang", kind: "choice", choices: languages },
  ];
}

export function createState(defaults, presets) {
  const preset = presets.find((p) => p.name === defaults.preset) ?? null;
  return {
    preset: preset ? preset.name : null,
    sentence: preset ? preset.sentence : (defaults.sentence ?? ""),
    embeddings: null,
    features: defaults.features ?? 4,
    seed: defaults.seed ?? 0,
    layer: defaults.layer ?? "max",
    pool_size: defaults.pool_size ?? 2,
    strides: defaults.strides ?? null,
    padding: defaults.padding ?? "valid",
    step: 0,
    band: 0,
    view: "sliding",
    present: false,
    speed: "normal",
    hide: [],
    embed: false,
    mode: "watch",
    quiz: 0,
    lang: "en",
  };
}

/** The POST /api/trace body for a state. */
export function toRequest(state) {
  let request;
  if (state.preset) request = { preset: state.preset };
  else if (state.embeddings) request = { embeddings: state.embeddings, sentence: state.sentence };
  else request = { sentence: state.sentence, features: state.features, seed: state.seed };
  for (const field of LAYER_FIELDS) request[field] = state[field];
  return request;
}

// ---- links ------------------------------------------------------------------

const WHOLE = /^\d+$/;
// A number in a link is written in decimal, as matrixToText writes it: no
// hex (`0x10`), no empty cell (which Number() would read as 0).
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A matrix in a link: rows split by ";", values by ",", each as short as it reads back. */
export function matrixToText(matrix) {
  return matrix.map((row) => row.map((v) => String(Number(v))).join(",")).join(";");
}

/** Rows of decimal numbers from a link, or { error } naming the first bad cell (from 1). */
export function matrixFromText(text, { rows: maxRows, cols: maxCols }) {
  const cells = text.split(";").map((row) => row.split(","));
  const width = cells[0].length;
  if (cells.length > maxRows) return { error: t("page.link.matrix_rows", { rows: cells.length, limit: maxRows }) };
  if (width > maxCols) return { error: t("page.link.matrix_columns", { width, limit: maxCols }) };
  const rows = [];
  for (let r = 0; r < cells.length; r += 1) {
    if (cells[r].length !== width) return { error: t("page.link.matrix_ragged", { row: String(r + 1), count: cells[r].length, width }) };
    const row = [];
    for (let c = 0; c < width; c += 1) {
      const raw = cells[r][c];
      const value = Number(raw);
      if (!DECIMAL.test(raw) || !Number.isFinite(value)) {
        const shown = raw.length > 12 ? `${raw.slice(0, 11)}…` : raw;
        return { error: t("page.link.matrix_cell", { row: String(r + 1), column: String(c + 1), value: shown }) };
      }
      row.push(value);
    }
    rows.push(row);
  }
  return { rows };
}

function readValue(field, raw) {
  switch (field.kind) {
    case "text":
      return raw.length <= field.max ? raw : undefined;
    case "int":
    case "intOrNone": {
      if (field.kind === "intOrNone" && (raw === "" || raw.toLowerCase() === "none")) return null;
      if (!WHOLE.test(raw)) return undefined;
      const value = Number(raw);
      if (value < field.min || value > field.max) return undefined;
      return value - (field.offset ?? 0);
    }
    case "choice":
      if (field.nullable && raw === "") return null;
      return field.choices.includes(raw) ? raw : undefined;
    case "flag":
      return raw === "" || raw === "1" || raw === "true" ? true : raw === "0" || raw === "false" ? false : undefined;
    case "list": {
      const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
      return items.every((item) => field.choices.includes(item)) ? items : undefined;
    }
    case "matrix":
      return matrixFromText(raw, field).rows;
    default:
      return undefined;
  }
}

function writeValue(field, value) {
  switch (field.kind) {
    case "int":
      return String(value + (field.offset ?? 0));
    case "intOrNone":
      return value === null ? "none" : String(value);
    case "choice":
      return value ?? "";
    case "flag":
      return "1";
    case "list":
      return value.join(",");
    case "matrix":
      return matrixToText(value);
    default:
      return String(value);
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Read a state from a query string (or URLSearchParams) over `base` (the defaults).
 * Returns { state, problems }: every unknown or bad parameter is left at its
 * default and named in `problems`, as a sentence for the learner.
 */
export function stateFromQuery(search, base, table, presets = []) {
  const state = structuredClone(base);
  const problems = [];
  const params = new URLSearchParams(search);
  const byName = new Map(table.map((f) => [f.name, f]));
  for (const [name, raw] of params) {
    const field = byName.get(name);
    if (!field) {
      problems.push(t("page.link.unknown", { name }));
      continue;
    }
    const value = readValue(field, raw);
    if (value === undefined) {
      const setting = `${name}=${raw.length > 30 ? `${raw.slice(0, 29)}…` : raw}`;
      problems.push(field.kind === "matrix"
        ? t("page.link.invalid_because", { setting, why: matrixFromText(raw, field).error })
        : t("page.link.invalid", { setting }));
      continue;
    }
    state[name] = value;
  }
  // One source of words: a preset wins, and brings its sentence and the
  // layer settings it teaches, unless the link sets them too.
  if (params.has("preset") && state.preset) {
    state.embeddings = null;
    const preset = presets.find((p) => p.name === state.preset);
    state.sentence = preset ? preset.sentence : state.sentence;
    for (const [name, value] of Object.entries(preset?.settings ?? {})) {
      if (!params.has(name)) state[name] = value;
    }
  }
  else if (params.has("sentence") || params.has("embeddings")) state.preset = null;
  if (state.embeddings && !params.has("sentence")) {
    state.sentence = state.embeddings.map((_, i) => `w${i}`).join(" ");
  }
  return { state, problems };
}

// ---- where the state goes in the address ------------------------------------
//
// A short state is the query string (`/?sentence=...`), readable and the
// form every old link has. A long one (own numbers, a long sentence in a
// script that percent-encodes to six characters a letter) goes after `#?`
// instead: the fragment never reaches the server, so no link the page
// writes meets the server's limit on the request line (gunicorn answers
// 414 past 4,094 bytes). Any other fragment is a section's deep link.

/** The longest query the page writes; past it the state goes in the fragment. */
export const LINK_QUERY_MAX = 2000;
/** Past this many characters a link still opens here but some mail and chat apps cut it. */
export const LINK_LONG = 32000;
const STATE_FRAGMENT = "#?";

/**
 * The parameters of a link (`{ search, hash }`, as `location` has them): the
 * query's, then a state fragment's over them. A fragment that is neither a
 * state nor readable text is named in `problems` and ignored.
 */
export function linkParams({ search = "", hash = "" }) {
  const params = new URLSearchParams(search);
  const problems = [];
  if (hash.startsWith(STATE_FRAGMENT)) {
    for (const [name, value] of new URLSearchParams(hash.slice(STATE_FRAGMENT.length))) params.set(name, value);
  } else if (hash.length > 1) {
    try {
      decodeURIComponent(hash.slice(1));
    } catch {
      const shown = hash.length > 30 ? `${hash.slice(0, 29)}…` : hash;
      problems.push(t("page.link.fragment", { fragment: shown }));
    }
  }
  return { params, problems };
}

/** Read a state from a link (`location`): stateFromQuery over the query and a state fragment. */
export function stateFromLink(link, base, table, presets = []) {
  const { params, problems } = linkParams(link);
  const read = stateFromQuery(params, base, table, presets);
  return { state: read.state, problems: [...problems, ...read.problems] };
}

/** Where a state goes: `{ search, hash }`, the query when short, else a state fragment. */
export function stateToLink(state, base, table, presets = []) {
  const query = stateToQuery(state, base, table, presets);
  if (!query) return { search: "", hash: "" };
  if (query.length + 1 <= LINK_QUERY_MAX) return { search: `?${query}`, hash: "" };
  // The language stays in the query, where the server sees it and renders the page in it.
  const lang = /(?:^|&)(lang=[^&]*)/.exec(query);
  const rest = lang ? query.replace(/(^|&)lang=[^&]*/, "").replace(/^&/, "") : query;
  return { search: lang ? `?${lang[1]}` : "", hash: `${STATE_FRAGMENT}${rest}` };
}

/** The query string for a state: only what differs from `base`, so links stay short. */
export function stateToQuery(state, base, table, presets = []) {
  const params = new URLSearchParams();
  // A preset's own layer settings go without saying.
  const preset = presets.find((p) => p.name === state.preset);
  if (preset) base = { ...base, ...preset.settings };
  for (const field of table) {
    const value = state[field.name];
    if (same(value, base[field.name]) || value === undefined) continue;
    if (field.kind === "flag" && !value) continue;
    if (field.kind === "list" && value.length === 0) continue;
    if (field.kind === "matrix" && value === null) continue;
    // A preset carries its own sentence and vectors.
    if (state.preset && ["sentence", "embeddings", "features", "seed"].includes(field.name)) continue;
    params.set(field.name, writeValue(field, value));
  }
  // Numbers of one's own travel with the words that label them.
  if (params.has("embeddings") && !params.has("sentence")) {
    params.set("sentence", state.sentence);
    params.sort();
  }
  // A sentence or numbers of one's own already say "no preset".
  if (!state.preset && (params.has("sentence") || params.has("embeddings"))) params.delete("preset");
  return params.toString().replace(/%2C/g, ",").replace(/%3B/g, ";");
}
