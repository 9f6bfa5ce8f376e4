// Wiring: controls -> view state -> /api/trace -> both views, the player,
// the feature band and presentation mode.
import { ApiError, fetchTrace } from "./api.js";
import { captionClaim, globalSummary, lessonLine, stepCaption } from "./caption.js";
import { DEBOUNCE_MS, DIVERGING } from "./colors.js";
import { readWholeNumber, stepField } from "./fields.js";
import { createEditor } from "./editor.js";
import { createExports } from "./exports.js";
import { createGlobalView, globalGeometry } from "./global.js";
import { featureName, range, shortLabel, shortNumber, symmetricLimit } from "./heatmap.js";
import { OVERVIEW_WIDTH, createOverview } from "./overview.js";
import { createPlayer, playerElements } from "./player.js";
import { createPredict } from "./predict.js";
import { createPresentation } from "./present.js";
import { createQr } from "./qr.js";
import { createQuiz, quizSheet } from "./quiz.js";
import { createSlidingView, slidingGeometry } from "./sliding.js";
import { t } from "./i18n.js";
import { createLanguageMenu, inPageLanguage } from "./language.js";
import { createLesson } from "./lesson.js";
import { createState, fieldTable, toRequest } from "./state.js";
import { createNumbers, globalTable, windowTable } from "./tables.js";
import { allFrames } from "./trace.js";
import { createWorksheet } from "./worksheet.js";

const boot = JSON.parse(document.getElementById("boot").textContent);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const limits = boot.limits ?? {};

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
const table = fieldTable(boot);
// The number fields and what each accepts, from the table of settings (the server checks again).
const NUMBER_RULES = Object.fromEntries(
  ["pool_size", "strides", "features", "seed"].map((name) => {
    const field = table.find((f) => f.name === name);
    return [name, { name, min: field.min, max: field.max, emptyMeansNone: field.kind === "intOrNone" }];
  }),
);
const errorBox = byTestId("error");
const captionBox = byTestId("caption");
const summaryBox = byTestId("global-summary");
const teachesBox = byTestId("teaches");
const shapesBox = byTestId("shapes");
const legend = byTestId("legend");
const panels = document.getElementById("panels");
const slidingArea = byTestId("sliding-plot").parentElement;
const globalPlot = byTestId("global-plot");
const bandBox = byTestId("band");
const PHONE = window.matchMedia("(max-width: 700px)");

const sliding = createSlidingView(byTestId("sliding-plot"));
const slidingNumbers = createNumbers(byTestId("sliding-numbers-button"), byTestId("sliding-numbers"));
const globalNumbers = createNumbers(byTestId("global-numbers-button"), byTestId("global-numbers"));
const globalView = createGlobalView(globalPlot);

// The whole view: `state` is the request and the lesson link; a link's
// parameters override the defaults.
const base = createState(boot.defaults, boot.presets);
const lesson = createLesson({
  table,
  base,
  presets: boot.presets,
  notice: byTestId("notice"),
  share: byTestId("share"),
  shareStatus: byTestId("share-status"),
  current: () => view.state,
  offerExport: () => byTestId("export-json").click(),
  onRestore: restore,
});
const linked = lesson.read();
const view = { state: inPageLanguage(linked.state), bandSize: 1, maxBand: Infinity };
let pushNext = false;
let trace = null;
let inFlight = null;
let debounceTimer = null;
let lastControl = null; // the control the learner changed last: where an error about it belongs
let renders = 0;
// Typing in a field is one history entry per pause: the first change after a
// pause pushes an entry, the changes until the next pause replace it.
const TYPING_PAUSE_MS = 1500;
let typing = { field: null, timer: 0, last: 0 };
// A sentence replaced wholesale (a preset) opens at window 1.
let freshWords = false;

const player = createPlayer(
  playerElements(byTestId),
  {
    onStep: showStep,
    lastStep: () => (trace ? trace.pooling.out_steps - 1 : 0),
    // In predict mode, play waits at each window still to be predicted.
    holdAt: (step) => predict.concealed(step),
  },
);

const predict = createPredict({
  toggle: byTestId("predict"),
  panel: byTestId("predict-panel"),
  results: { button: byTestId("results-copy"), status: byTestId("results-status") },
  onToggle: (on) => {
    view.state.mode = on ? "predict" : "watch";
    pushNext = true;
    lesson.write(view.state, { push: true });
    if (trace) draw();
  },
  onReveal: () => trace && draw(),
  getQuizScore: () => quiz.score(),
});

const quiz = createQuiz({
  details: byTestId("quiz"),
  list: byTestId("quiz-questions"),
  again: byTestId("quiz-new"),
  score: byTestId("quiz-score"),
  url: boot.api.quiz,
  onSeed: (seed) => {
    view.state.quiz = seed;
    lesson.write(view.state, { push: true });
  },
});

createQr({ button: byTestId("share-qr"), dialog: byTestId("qr-dialog"), url: boot.api.qr });

const overview = createOverview(byTestId("overview"), (row) => {
  // A click on the strip moves the window to the first one covering that row.
  if (!trace) return;
  const target = allFrames(trace).findIndex((frame) => frame.stop > row);
  player.stop();
  player.goTo(target < 0 ? trace.pooling.out_steps - 1 : target);
});

const presentation = createPresentation({
  button: byTestId("present"),
  swap: byTestId("present-swap"),
  summary: byTestId("summary"),
  panels,
  onChange: (on, shown) => {
    view.state.present = on;
    view.state.view = shown;
    lesson.write(view.state);
    requestAnimationFrame(() => trace && draw());
  },
});

// ---- controls <-> state -------------------------------------------------

const presetOf = (name) => boot.presets.find((p) => p.name === name) ?? null;

function fillPresets() {
  for (const preset of boot.presets) {
    const option = document.createElement("option");
    option.value = preset.name;
    option.textContent = preset.title;
    controls.preset.append(option);
  }
  const custom = document.createElement("option");
  custom.value = "";
  custom.textContent = t("page.preset.custom");
  controls.preset.append(custom);
}

function showState() {
  const s = view.state;
  controls.sentence.value = s.sentence;
  controls.preset.value = s.preset ?? "";
  controls.layer.value = s.layer;
  controls.pool_size.value = s.pool_size ?? "";
  controls.strides.value = s.strides ?? "";
  controls.padding.value = s.padding;
  showSource();
}

/** A preset's words and vectors are fixed: features and seed show its real size and are off. */
function showSource() {
  const s = view.state;
  const preset = presetOf(s.preset);
  const own = !preset && Array.isArray(s.embeddings);
  // Toy-vector settings apply to neither a preset nor numbers of one's own.
  const fixed = Boolean(preset) || own;
  const features = preset ? preset.features : own ? s.embeddings[0].length : s.features;
  controls.features.disabled = fixed;
  controls.seed.disabled = fixed;
  controls.features.value = String(features ?? "");
  controls.seed.value = fixed ? "" : String(s.seed ?? "");
  controls.seed.placeholder = fixed ? t("page.controls.seed_none") : "";
  controls.features.title = preset ? t("page.preset.size", { title: preset.title, steps: preset.steps, features: preset.features }) : "";
  controls.seed.title = preset ? t("page.controls.seed_preset") : own ? t("page.controls.seed_own") : "";
  // A preset's line is told from the trace on screen (showLesson): until a new one draws, it stays.
  if (preset && teachesBox.dataset.preset !== preset.name) teachesBox.textContent = preset.teaches;
  teachesBox.dataset.preset = preset?.name ?? "";
  if (preset) return;
  delete teachesBox.dataset.claim;
  if (own) {
    teachesBox.textContent = t("page.teaches.own");
  } else {
    teachesBox.textContent = t("page.teaches.sentence");
  }
}

/** A preset's lesson line, told with the numbers and the layer on screen. */
function showLesson() {
  const preset = presetOf(view.state.preset);
  const line = preset && trace ? lessonLine(preset.name, trace) : null;
  if (line) teachesBox.textContent = line.text;
  if (line?.claim) teachesBox.dataset.claim = line.claim;
  else delete teachesBox.dataset.claim;
}

function onControl(field, debounce) {
  const s = view.state;
  lastControl = field;
  if (debounce) {
    if (typing.field !== field || !typing.timer) pushNext = true;
    typing.field = field;
    typing.last = performance.now();
    document.body.dataset.typing = field;
    endTypingAfterAPause();
  } else {
    pushNext = true;
  }
  switch (field) {
    case "sentence":
      s.sentence = controls.sentence.value;
      s.embeddings = null;
      if (s.preset) {
        s.preset = null;
        controls.preset.value = "";
        showSource();
      }
      break;
    case "preset": {
      const preset = presetOf(controls.preset.value);
      s.preset = preset ? preset.name : null;
      s.embeddings = null;
      if (preset) {
        s.sentence = preset.sentence;
        freshWords = true;
        Object.assign(s, preset.settings ?? {});
        showState();
      } else {
        showSource();
      }
      break;
    }
    case "pool_size":
    case "strides":
    case "features":
    case "seed":
      break; // read, with the other numbers, in update()
    default:
      s[field] = controls[field].value;
  }
  clearTimeout(debounceTimer);
  if (debounce) debounceTimer = setTimeout(update, DEBOUNCE_MS);
  else update();
}

/**
 * End the typing session once the learner has typed nothing for
 * TYPING_PAUSE_MS while the page could take keys: time spent fetching and
 * drawing is no pause (on a busy machine a draw can hold the keys back).
 */
function endTypingAfterAPause() {
  clearTimeout(typing.timer);
  typing.timer = setTimeout(() => {
    if (inFlight || performance.now() - typing.last < TYPING_PAUSE_MS) {
      endTypingAfterAPause();
      return;
    }
    typing.timer = 0;
    delete document.body.dataset.typing;
  }, Math.max(50, TYPING_PAUSE_MS - (performance.now() - typing.last)));
}

/** Read the number fields into the state; the first bad one becomes that field's error. */
function readNumbers() {
  const s = view.state;
  for (const [field, rule] of Object.entries(NUMBER_RULES)) {
    if (controls[field].disabled) continue;
    const result = readWholeNumber(controls[field].value, rule);
    if (result.error) return { field, message: result.error };
    s[field] = result.value;
  }
  return null;
}

// ---- errors -----------------------------------------------------------------

const FIELD_CONTROL = { embeddings: "sentence", tokens: "sentence", kind: "layer" };

// The API blames pool_size when it is longer than the sentence; when the
// learner has just changed the words, the error belongs under them.
const WORD_CONTROLS = new Set(["sentence", "preset"]);

function showError(message, field) {
  clearInvalid();
  const wordsChanged = field === "pool_size" && WORD_CONTROLS.has(lastControl);
  const name = wordsChanged ? "sentence" : FIELD_CONTROL[field] ?? field;
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

/** Fetch and draw the view state; resolves with the server's ApiError when it refuses the request. */
async function update() {
  inFlight?.abort();
  inFlight = null;
  const bad = readNumbers();
  if (bad) {
    showError(bad.message, bad.field);
    return;
  }
  const controller = new AbortController();
  inFlight = controller;
  document.body.dataset.busy = "true";
  try {
    const next = await fetchTrace(boot.api.trace, toRequest(view.state), controller.signal);
    if (controller.signal.aborted) return;
    const first = trace === null;
    const sameWords = trace && trace.tokens.join(" ") === next.tokens.join(" ");
    const keepWindow = !freshWords && (sameWords || smallEdit(trace?.tokens ?? [], next.tokens));
    trace = next;
    freshWords = false;
    if (!sameWords) sliding.reset();
    // The first trace opens at the link's step; a small edit keeps the window
    // where it was; new words (a preset, a paste) start at window 1.
    player.reset(first ? view.state.step : keepWindow ? player.step : 0);
    view.state.step = player.step;
    await draw();
    if (controller.signal.aborted) return;
    clearError();
    lesson.write(view.state, { push: pushNext });
    pushNext = false;
  } catch (error) {
    if (error.name === "AbortError") return;
    if (!(error instanceof ApiError)) throw error;
    showError(error.message, error.field);
    return error;
  } finally {
    if (inFlight === controller) {
      inFlight = null;
      delete document.body.dataset.busy;
    }
    // The pause in typing starts when the page is ready for keys again.
    if (typing.timer) typing.last = performance.now();
  }
}

/** A layer call as a title that may wrap after its "(" and between arguments, never inside one. */
function showCall(element, call) {
  const open = call.indexOf("(") + 1;
  const args = call.slice(open);
  element.replaceChildren(call.slice(0, open), ...(args.length > 1 ? [document.createElement("wbr")] : []), args);
}

/** New words that keep at least half of the old ones, at the start or the end: a small edit. */
function smallEdit(before, after) {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix += 1;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix
    && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix += 1;
  return 2 * (prefix + suffix) >= Math.max(before.length, after.length);
}

function showWords() {
  const p = trace.pooling;
  const g = trace.global;
  showCall(byTestId("sliding-title"), p.call);
  showCall(byTestId("global-title"), g.call);
  const shape = (s) => `(${s.join(", ")})`;
  shapesBox.querySelector('[data-part="sliding"]').textContent =
    `${shape(p.input_shape)} -> ${p.name} -> ${shape(p.output_shape)}`;
  shapesBox.querySelector('[data-part="global"]').textContent =
    `${shape(g.input_shape)} -> ${g.name} -> ${shape(g.output_shape)}`;
  shapesBox.querySelector('[data-part="formula"]').textContent = p.formula;
  const padded = p.pad_left + p.pad_right > 0;
  byTestId("contrast").textContent = p.kind === "max" ? t("page.contrast.max")
    : padded ? t("page.contrast.average_padded") : t("page.contrast.average");
  showLesson();
  const stated = captionClaim(trace);
  if (stated) captionBox.dataset.claim = stated.claim;
  else delete captionBox.dataset.claim;
  const limit = symmetricLimit(trace.x);
  legend.querySelector('[data-part="min"]').textContent = shortNumber(-limit);
  legend.querySelector('[data-part="max"]').textContent = shortNumber(limit);
  const words = trace.tokens.length;
  const sentence = shortLabel(trace.tokens.join(" "), 60);
  byTestId("summary").textContent = t("page.summary.text", {
    sliding: p.call, global_call: g.call, sentence, count: words, features: p.features,
  });
}

/** The room a plot has: its box on a laptop or projector, a share of the screen on a phone. */
function roomOf(element) {
  const stacked = PHONE.matches;
  return {
    width: element.clientWidth,
    height: stacked ? Math.max(240, Math.round(window.innerHeight * 0.5)) : element.clientHeight,
    presenting: presentation.active,
    stacked,
  };
}

function showBand(shown) {
  view.bandSize = shown.bandSize;
  view.state.band = shown.bandFirst;
  const all = shown.bandSize >= shown.features;
  bandBox.hidden = all;
  if (all) return;
  bandBox.querySelector('[data-testid="band-range"]').textContent =
    t("page.band.range", { first: featureName(shown.bandFirst), last: featureName(shown.bandLast), total: shown.features });
  byTestId("band-prev").disabled = shown.bandFirst <= 0;
  byTestId("band-next").disabled = shown.bandLast >= shown.features - 1;
}

/**
 * Draw the sliding view (and its overview) in the room measured at the last
 * full draw: a step reads no layout, so it never forces the browser to lay
 * the page out again in the middle of an animation frame.
 */
async function drawSliding() {
  const room = view.rooms.sliding;
  if (room.width === 0) return null;
  const shown = await sliding.render(trace, player.step, room, {
    bandStart: view.state.band, maxBand: view.maxBand, reserve: OVERVIEW_WIDTH + 4,
    concealed: predict.concealedRows(player.step),
  });
  showBand(shown);
  predict.show(player.step, range(shown.bandFirst, shown.bandLast + 1));
  await overview.render(trace, player.step, shown, room.areaHeight || shown.height);
  return shown;
}

/** The band of features each view on screen has room for (the solver's answer, drawn by neither). */
function bandThatFits(rooms) {
  const fits = [];
  if (rooms.sliding.width > 0) fits.push(slidingGeometry(trace, rooms.sliding).band);
  if (rooms.global.width > 0) fits.push(globalGeometry(trace, rooms.global, view.state.band).geo.band);
  return fits.length ? Math.min(...fits) : trace.pooling.features;
}

/** Presentation mode shows both views side by side when every feature of both fits at 20 px. */
function splitPresentation() {
  if (!presentation.active) return;
  presentation.split(true);
  const rooms = { sliding: roomOf(slidingArea), global: roomOf(globalPlot) };
  const both = !rooms.sliding.stacked && bandThatFits(rooms) >= trace.pooling.features;
  if (!both) presentation.split(false);
}

/** The global view's numbers, or a placeholder while the global vector is to be predicted. */
function showGlobalNumbers() {
  const secret = predict.globalConcealed();
  globalPlot.closest(".panel").classList.toggle("concealed", secret);
  if (!secret) {
    globalNumbers.show(globalTable(trace));
    return;
  }
  const note = document.createElement("p");
  note.textContent = GLOBAL_SECRET();
  globalNumbers.show(note);
}

const GLOBAL_SECRET = () => t("page.global.secret");

const measureRooms = () => ({ sliding: { ...roomOf(slidingArea), areaHeight: slidingArea.clientHeight }, global: roomOf(globalPlot) });

async function draw() {
  predict.follow(trace);
  showWords();
  splitPresentation();
  // The texts first, about the band that fits, so the rooms measured for the
  // plots are what the texts leave (a text that grows later would redraw).
  const features = trace.pooling.features;
  view.bandSize = Math.min(bandThatFits(measureRooms()), features);
  view.state.band = Math.max(0, Math.min(view.state.band, features - view.bandSize));
  showTexts(player.step);
  view.rooms = measureRooms();
  // Both views show the same band of features: as many as fit in each view on screen.
  view.maxBand = bandThatFits(view.rooms);
  const band = [view.state.band, view.bandSize];
  const slidingShown = view.rooms.sliding.width > 0;
  let shown = { bandFirst: view.state.band, bandSize: view.maxBand };
  if (slidingShown) shown = await drawSliding();
  // A hidden panel (presentation mode may show one view at a time) is drawn when shown.
  if (view.rooms.global.width > 0) {
    const globalShown = await globalView.render(trace, view.rooms.global, shown.bandFirst, shown.bandSize);
    if (!slidingShown) showBand(globalShown);
  }
  if (band[0] !== view.state.band || band[1] !== view.bandSize) showTexts(player.step);
  showGlobalNumbers();
  renders += 1;
  editor.bind(byTestId("sliding-plot"));
  editor.bind(globalPlot);
  // Views elsewhere on the page (the guided sections) follow this event.
  document.dispatchEvent(new CustomEvent("pooling:trace", { detail: { trace, state: view.state } }));
  document.body.dataset.step = String(player.step);
  document.body.dataset.renders = String(renders);
}

/**
 * The caption and the global summary, about the features on screen. In
 * presentation mode with the global view alone, the caption under it is
 * the global summary (the sliding window is not on screen).
 */
function showTexts(step) {
  const shownBand = { first: view.state.band, last: Math.min(view.state.band + view.bandSize, trace.pooling.features) - 1 };
  // In predict mode the window's output and the global vector stay silent until checked.
  const secret = predict.concealed(step);
  const summary = predict.globalConcealed() ? GLOBAL_SECRET() : globalSummary(trace, shownBand);
  summaryBox.textContent = summary;
  captionBox.textContent = presentation.shown === "global" ? summary
    : secret ? predict.caption(step) : stepCaption(trace, step, shownBand);
  slidingNumbers.show(windowTable(trace, step, { withOutput: !secret }));
}

async function showStep(step) {
  if (!trace) return;
  view.state.step = step;
  lesson.write(view.state, { later: true });
  showTexts(step);
  await drawSliding();
  document.body.dataset.step = String(step);
}

function moveBand(direction) {
  if (!trace) return;
  view.state.band = Math.max(0, view.state.band + direction * view.bandSize);
  lesson.write(view.state);
  draw();
}

createExports({
  base: boot.api.export,
  getRequest: () => toRequest(view.state),
  getQuery: (format) => (format === "html" && view.state.mode === "predict" ? "?mode=predict" : ""),
  figures: { sliding: byTestId("sliding-plot"), global: globalPlot },
  titles: { sliding: byTestId("sliding-title"), global: byTestId("global-title") },
  buttons: {
    keras: byTestId("code-keras"),
    pytorch: byTestId("code-pytorch"),
    json: byTestId("export-json"),
    csv: byTestId("export-csv"),
    html: byTestId("export-html"),
    png: byTestId("export-png"),
    svg: byTestId("export-svg"),
  },
  dialog: byTestId("code-dialog"),
  status: byTestId("export-status"),
});

const editor = createEditor({
  button: byTestId("edit-matrix"),
  dialog: byTestId("matrix-dialog"),
  getTrace: () => trace,
  limits,
  onNumbers: (words, rows) => {
    // Numbers of one's own: the words label the rows; no preset, no toy vectors.
    const s = view.state;
    s.preset = null;
    s.embeddings = rows;
    s.sentence = words.join(" ");
    showState();
    pushNext = true;
    return update(); // the server's refusal, if any, for the dialog to show
  },
  onReset: () => {
    view.state.embeddings = null;
    showState();
    pushNext = true;
    update();
  },
});

createWorksheet({
  button: byTestId("worksheet"),
  sheet: byTestId("worksheet-sheet"),
  back: byTestId("worksheet-back"),
  print: byTestId("worksheet-print"),
  getTrace: () => trace,
  getBand: () => view.state.band,
  getQuiz: () => {
    const questions = quiz.questions();
    return questions && ((answers) => quizSheet(questions, answers));
  },
});

/** Show the parts of the state that are not controls: hidden controls, embedding, speed, presentation. */
function showLessonView() {
  const s = view.state;
  lesson.applyHidden(s.hide);
  document.body.classList.toggle("embedded", s.embed);
  byTestId("speed").value = s.speed;
  presentation.set(s.present, s.view);
  predict.set(s.mode === "predict");
}

/** Back or forward: the state of that history entry, drawn again. */
function restore({ state, problems }) {
  view.state = inPageLanguage(state);
  lesson.showProblems(problems);
  showState();
  showLessonView();
  clearTimeout(debounceTimer);
  pushNext = false;
  trace = null;
  update();
}

// ---- start ------------------------------------------------------------------

fillPresets();
for (const [field, rule] of Object.entries(NUMBER_RULES)) {
  controls[field].addEventListener("keydown", (event) => {
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    event.preventDefault();
    stepField(controls[field], event.key === "ArrowUp" ? 1 : -1, rule);
    onControl(field, true);
  });
}
legend.querySelector('[data-part="bar"]').style.background =
  `linear-gradient(to right, ${DIVERGING.map(([at, color]) => `${color} ${at * 100}%`).join(", ")})`;
showState();
lesson.showProblems(linked.problems);
showLessonView();
byTestId("speed").addEventListener("change", () => {
  view.state.speed = byTestId("speed").value;
  lesson.write(view.state);
});
controls.sentence.addEventListener("input", () => onControl("sentence", true));
for (const field of Object.keys(NUMBER_RULES)) {
  controls[field].addEventListener("input", () => onControl(field, true));
}
for (const field of ["preset", "layer", "padding"]) {
  controls[field].addEventListener("change", () => onControl(field, false));
}
document.getElementById("controls").addEventListener("submit", (event) => event.preventDefault());
createLanguageMenu(byTestId("lang"), () => lesson.write(view.state));
byTestId("band-prev").addEventListener("click", () => moveBand(-1));
byTestId("band-next").addEventListener("click", () => moveBand(1));

// Redraw (without fetching) when the room changes: a resized window, a rotated phone.
// The observer also reports the first size it sees: that changes nothing.
let resizeFrame = 0;
const roomChanged = () => {
  const last = view.rooms;
  if (!last) return true;
  // On a phone the plots' heights follow their content: only widths are room there.
  const now = [slidingArea.clientWidth, globalPlot.clientWidth, PHONE.matches, presentation.active];
  const was = [last.sliding.width, last.global.width, last.sliding.stacked, last.sliding.presenting];
  if (!PHONE.matches) {
    now.push(slidingArea.clientHeight, globalPlot.clientHeight);
    was.push(last.sliding.areaHeight, last.global.height);
  }
  return now.join() !== was.join();
};
new ResizeObserver(() => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => trace && roomChanged() && draw());
}).observe(panels);
update();
