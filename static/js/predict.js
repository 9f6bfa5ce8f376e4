// Predict, then reveal: before a window's output row is shown, the learner
// says what it will be (for max, which word of the window wins each
// feature; for average, the mean to two decimals), checks, and reads why.
// The same for the global vector. Everything here reads the trace; nothing
// recomputes pooling: the answer is the trace's output and winners, a tie
// is a window word whose value equals the output.
//
// The page asks this module what to keep silent: `concealed(step)` says
// whether window `step`'s output row is still to be predicted (the sliding
// view leaves it blank, the caption and the numbers table say nothing of
// it), `globalConcealed()` the same for the global vector.
import { globalSummary, nameWord, sumText } from "./caption.js";
import { featureName, range, shortNumber, shortLabel } from "./heatmap.js";
import { joinList, t } from "./i18n.js";
import { frameAt, outputRow, windowRows } from "./trace.js";

// ---- reading the trace (the one place that knows where rows live) ----------

/** Input row `r` of the sentence. */
const inputRow = (trace, r) => trace.x[r];

const TOLERANCE = 0.005 + 1e-9;

/** A short name for the layer and its arguments: "MaxPooling1D(2, 1)". */
export function shortCall(trace) {
  const p = trace.pooling;
  const padding = p.config.padding === "same" ? ', "same"' : "";
  return `${p.name}(${p.config.pool_size}, ${p.config.strides}${padding})`;
}

/** The learner's results in one line: "MaxPooling1D(2, 1) on 'the boy will live': windows 5/6, global 3/3, quiz 7/8". */
export function resultsSummary(trace, scores) {
  const parts = [];
  if (scores.windows.total) parts.push(t("predict.results.windows", { right: scores.windows.right, total: scores.windows.total }));
  if (scores.global.total) parts.push(t("predict.results.global", { right: scores.global.right, total: scores.global.total }));
  if (scores.quiz) parts.push(t("predict.results.quiz", { right: scores.quiz.right, total: scores.quiz.total }));
  const results = parts.length ? parts.join(t("predict.separator")) : t("predict.results.nothing");
  return t("predict.results.line", { call: shortCall(trace), sentence: shortLabel(trace.tokens.join(" "), 60), results });
}

/**
 * Check one max prediction: `row` is the input row the learner chose for
 * feature `f` among `rows`, whose maximum is `value` (from the trace).
 * Returns { right, text }.
 */
export function judgeMax(trace, rows, f, row, value, winner) {
  const feature = featureName(f);
  const tied = rows.filter((r) => inputRow(trace, r)[f] === value);
  const word = (r) => nameWord(trace.tokens, r, rows);
  const best = shortNumber(value);
  if (tied.includes(row)) {
    const text = tied.length > 1
      ? t("predict.max.right_tied", { feature, word: word(row), value: best, words: joinList(tied.map(word)) })
      : t("predict.max.right", { feature, word: word(row), value: best });
    return { right: true, text };
  }
  const said = { feature, winner: word(winner), value: best, word: word(row), mine: shortNumber(inputRow(trace, row)[f]) };
  const text = tied.length > 1
    ? t("predict.max.wrong_tied", { ...said, others: joinList(tied.filter((r) => r !== winner).map(word)) })
    : t("predict.max.wrong", said);
  return { right: false, text };
}

/** Check one average prediction against the trace's mean `value` of `values` over `divisor`. */
export function judgeMean(f, guess, value, values, divisor) {
  const feature = featureName(f);
  // The sum is arithmetic, written as code writes it in every language.
  const how = values.length
    ? `${shortNumber(value)} = (${sumText(values)}) / ${divisor}`
    : `${shortNumber(value)}`;
  if (Math.abs(guess - value) <= TOLERANCE) return { right: true, text: t("predict.mean.right", { feature, how }) };
  return { right: false, text: t("predict.mean.wrong", { feature, how, guess: shortNumber(guess) }) };
}

/** A learner's number: "0.75", "-.1", "0,75"; NaN when it is not one. */
function readNumber(text) {
  const cleaned = text.trim().replace(",", ".").replace("−", "-");
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(cleaned) ? Number(cleaned) : NaN;
}

/** One form control per feature: a select of `rows` (max) or a number field (average). */
function controlsFor(trace, idPrefix, rows, features) {
  const max = trace.pooling.kind === "max";
  return features.map((f) => {
    const field = document.createElement("p");
    field.className = "predict-field";
    const label = document.createElement("label");
    const id = `${idPrefix}-${f}`;
    label.htmlFor = id;
    let control;
    const hint = document.createElement("span");
    hint.className = "visually-hidden";
    label.append(featureName(f), hint);
    if (max) {
      hint.textContent = t("predict.hint.max");
      control = document.createElement("select");
      const none = new Option(t("predict.choose"), "");
      control.append(none);
      for (const r of rows) control.append(new Option(t("predict.option", { word: trace.tokens[r], number: String(r + 1) }), String(r)));
    } else {
      hint.textContent = t("predict.hint.mean");
      control = document.createElement("input");
      control.type = "text";
      control.inputMode = "decimal";
      control.autocomplete = "off";
      control.size = 6;
    }
    control.id = id;
    control.dataset.feature = String(f);
    control.dataset.testid = `${idPrefix}-f${f}`;
    field.append(label, " ", control);
    return field;
  });
}

/** Read the form's answers; the first missing one is named, and focused. */
function readAnswers(form, kind) {
  const answers = [];
  for (const control of form.querySelectorAll("[data-feature]")) {
    const f = Number(control.dataset.feature);
    const raw = control.value;
    if (kind === "max") {
      if (raw === "") return { missing: control, message: t("predict.missing.max", { feature: featureName(f) }) };
      answers.push({ f, row: Number(raw) });
    } else {
      const value = readNumber(raw);
      if (Number.isNaN(value)) return { missing: control, message: t("predict.missing.mean", { feature: featureName(f) }) };
      answers.push({ f, value });
    }
  }
  return { answers };
}

function showLines(region, lines) {
  const list = document.createElement("ul");
  for (const line of lines) {
    const item = document.createElement("li");
    item.textContent = line.text;
    if (line.right !== undefined) item.dataset.right = String(line.right);
    list.append(item);
  }
  region.replaceChildren(list);
}

export function createPredict({ toggle, panel, results, onToggle, onReveal, getQuizScore }) {
  const part = (name) => panel.querySelector(`[data-testid="${name}"]`);
  const form = part("predict-form");
  const fields = part("predict-fields");
  const title = part("predict-title");
  const check = part("predict-check");
  const feedback = part("predict-feedback");
  const score = part("predict-score");
  const globalForm = part("predict-global-form");
  const globalFields = part("predict-global-fields");
  const globalTitle = part("predict-global-title");
  const globalFeedback = part("predict-global-feedback");
  const { button: copy, status: copyStatus } = results;

  let on = false;
  let trace = null;
  let key = "";
  let step = 0;
  let features = [];
  // Progress on this trace: what was revealed and what the learner said.
  let revealed = new Map(); // step -> feedback lines
  let globalLines = null;
  let tally = { windows: { right: 0, total: 0 }, global: { right: 0, total: 0 } };
  let drawnFor = "";

  function traceKey(t) {
    return JSON.stringify([t.tokens, t.x, t.pooling.kind, t.pooling.config]);
  }

  function showScore() {
    const w = tally.windows;
    const g = tally.global;
    const counts = { right: w.right, total: w.total, global_right: g.right, global_total: g.total };
    if (g.total) score.textContent = t(w.total ? "predict.score.windows_global" : "predict.score.none_global", counts);
    else score.textContent = w.total ? t("predict.score.windows", counts) : t("predict.score.none");
  }

  function drawWindowForm() {
    const p = trace.pooling;
    const rows = windowRows(trace, step);
    title.textContent = t(p.kind === "max" ? "predict.title.max" : "predict.title.mean", { index: step + 1, total: p.out_steps });
    const done = revealed.get(step);
    if (done) {
      fields.replaceChildren();
      check.hidden = true;
      showLines(feedback, done);
      return;
    }
    check.hidden = false;
    feedback.replaceChildren();
    fields.replaceChildren(...controlsFor(trace, "predict", rows, features));
  }

  function drawGlobalForm() {
    const all = range(0, trace.tokens.length);
    globalTitle.textContent = t(trace.global.kind === "max" ? "predict.global_title.max" : "predict.global_title.mean");
    globalFields.replaceChildren();
    part("predict-global-check").hidden = Boolean(globalLines);
    if (globalLines) {
      showLines(globalFeedback, globalLines);
      return;
    }
    globalFeedback.replaceChildren();
    globalFields.append(...controlsFor(trace, "predict-global", all, features));
  }

  function checkWindow() {
    const kind = trace.pooling.kind;
    const read = readAnswers(form, kind);
    if (read.missing) {
      showLines(feedback, [{ text: read.message }]);
      read.missing.focus();
      return;
    }
    const rows = windowRows(trace, step);
    const frame = frameAt(trace, step);
    const out = outputRow(trace, step);
    const lines = read.answers.map(({ f, row, value }) => (kind === "max"
      ? judgeMax(trace, rows, f, row, out[f], frame.winners[f])
      : judgeMean(f, value, out[f], rows.map((r) => inputRow(trace, r)[f]), frame.divisor)));
    tally.windows.right += lines.filter((l) => l.right).length;
    tally.windows.total += lines.length;
    revealed.set(step, lines);
    showScore();
    drawWindowForm();
    onReveal();
    // The form's controls are gone: keep the keyboard in the panel, on the feedback.
    feedback.focus();
  }

  function checkGlobal() {
    const kind = trace.global.kind;
    const read = readAnswers(globalForm, kind);
    if (read.missing) {
      showLines(globalFeedback, [{ text: read.message }]);
      read.missing.focus();
      return;
    }
    const g = trace.global;
    const all = range(0, trace.tokens.length);
    const lines = read.answers.map(({ f, row, value }) => (kind === "max"
      ? judgeMax(trace, all, f, row, g.output[f], g.winners[f])
      : judgeMean(f, value, g.output[f], all.map((r) => inputRow(trace, r)[f]), all.length)));
    tally.global.right += lines.filter((l) => l.right).length;
    tally.global.total += lines.length;
    // Then the whole vector: feature by feature, from which words it comes.
    lines.push({ text: globalSummary(trace) });
    globalLines = lines;
    showScore();
    drawGlobalForm();
    onReveal();
    globalFeedback.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    checkWindow();
  });
  globalForm.addEventListener("submit", (event) => {
    event.preventDefault();
    checkGlobal();
  });
  toggle.addEventListener("click", () => {
    set(!on);
    onToggle(on);
  });
  copy.addEventListener("click", async () => {
    if (!trace) return;
    const text = resultsSummary(trace, { ...tally, quiz: getQuizScore() });
    try {
      await navigator.clipboard.writeText(text);
      copyStatus.textContent = t("predict.results.copied", { text });
    } catch {
      copyStatus.textContent = t("predict.results.copy_this", { text });
    }
  });

  /** Turn predict mode on or off (the toggle, a link, Back). */
  function set(value) {
    on = value;
    toggle.setAttribute("aria-pressed", String(on));
    panel.hidden = !on;
    document.body.classList.toggle("predicting", on);
  }

  return {
    get active() {
      return on;
    },
    set,
    /** Whether window `at`'s output is still to be predicted. */
    concealed(at) {
      if (!on || !trace || revealed.has(at)) return false;
      return windowRows(trace, at).length > 0;
    },
    /** The output rows still to be predicted, among the first `upTo` + 1. */
    concealedRows(upTo) {
      return new Set(range(0, upTo + 1).filter((r) => this.concealed(r)));
    },
    globalConcealed() {
      return on && trace !== null && globalLines === null;
    },
    /** What the caption says of a window still to be predicted. */
    caption(at) {
      const p = trace.pooling;
      const rows = windowRows(trace, at);
      const words = rows.map((r) => trace.tokens[r]).join(" ");
      return t(p.kind === "max" ? "predict.caption.max" : "predict.caption.mean", {
        index: at + 1, total: p.out_steps, words: shortLabel(words, 60), first: rows[0] + 1, last: rows.at(-1) + 1,
      });
    },
    /** Follow the page's trace: a new sentence, numbers or layer starts afresh. */
    follow(next) {
      const nextKey = traceKey(next);
      trace = next;
      if (nextKey === key) return;
      key = nextKey;
      revealed = new Map();
      globalLines = null;
      tally = { windows: { right: 0, total: 0 }, global: { right: 0, total: 0 } };
      drawnFor = "";
      showScore();
    },
    /** Show the forms for window `at` and the features on screen. */
    show(at, shownFeatures) {
      if (!on || !trace) return;
      step = at;
      const sameFeatures = features.join() === shownFeatures.join();
      features = shownFeatures;
      const drawn = JSON.stringify([key, at, shownFeatures, revealed.has(at)]);
      if (drawn === drawnFor) return;
      const keepGlobal = drawnFor !== "" && sameFeatures;
      drawnFor = drawn;
      drawWindowForm();
      if (!keepGlobal) drawGlobalForm();
    },
    scores: () => tally,
  };
}
