// The worksheet: the current example printed for a class. Every window is
// a small table of its words and the output row left blank to fill in; the
// global vector likewise; the answer key follows on its own page. Printing
// the page from the browser prints this sheet, never the interactive tool.
// Plain tables, so the numbers print crisply and a screen reader reads them.
// Each window's table is as wide as its columns; the windows wrap to new
// rows and pages (print CSS in app.css) and never share a cell's room.
import { nameWord } from "./caption.js";
import { cellText, featureName, range, shortLabel } from "./heatmap.js";
import { t } from "./i18n.js";
import { frameAt } from "./trace.js";

// A sheet stays a handout: the band of features on screen (at most this
// many columns) and at most this many windows.
const MAX_COLUMNS = 8;
const MAX_WINDOWS = 24;
// A row label longer than this is shortened; the legend gives it in full.
const LABEL_CHARS = 10;

/** A value as the sheet prints it: two decimals, or three significant digits when huge. */
function sheetNumber(value) {
  return Math.abs(value) < 1e5 ? cellText(value) : value.toExponential(2);
}

/** Row labels for the words: short ones as they are, long ones shortened (and listed in the legend). */
function wordLabels(tokens) {
  const labelOf = new Map();
  const shortened = new Map();
  for (const word of tokens) {
    if (labelOf.has(word)) continue;
    let label = shortLabel(word, LABEL_CHARS);
    // Two long words with the same start get numbered labels, so the legend tells them apart.
    for (let n = 2; label !== word && shortened.has(label); n += 1) label = `${shortLabel(word, LABEL_CHARS - 1)}${n}`;
    labelOf.set(word, label);
    if (label !== word) shortened.set(label, word);
  }
  return { labels: tokens.map((word) => labelOf.get(word)), shortened };
}

function legend(shortened) {
  const box = el("dl", "ws-legend");
  box.append(el("dt", "ws-legend-title", t("worksheet.legend")));
  for (const [label, word] of shortened) {
    box.append(el("dt", "", label), el("dd", "", word));
  }
  return box;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A table: a header of feature names, then rows of [label, cells]; `blank` rows get empty boxes. */
function matrixTable(caption, cols, rows) {
  const table = el("table", "ws-table");
  table.append(el("caption", "", caption));
  const head = table.createTHead().insertRow();
  head.append(el("th", "", ""));
  for (const f of cols) {
    const th = el("th", "", featureName(f));
    th.scope = "col";
    head.append(th);
  }
  const body = table.createTBody();
  for (const { label, values, className } of rows) {
    const row = body.insertRow();
    if (className) row.className = className;
    const th = el("th", "", label);
    th.scope = "row";
    row.append(th);
    for (const value of values) row.append(el("td", value === null ? "ws-blank" : "", value === null ? "" : value));
  }
  return table;
}

/** "f0: 'boy', f1: 'the'": the word each feature's maximum comes from. */
function winnersText(trace, cols, winners, rows) {
  return cols
    .map((f) => t("worksheet.winner", { feature: featureName(f), word: nameWord(trace.tokens, winners[f], rows) }))
    .join(t("predict.separator"));
}

function windowTables(trace, cols, answers, labels) {
  const p = trace.pooling;
  const output = t(p.kind === "max" ? "worksheet.output.max" : "worksheet.output.mean");
  const pad = t("worksheet.pad");
  return range(0, Math.min(p.out_steps, MAX_WINDOWS)).map((i) => {
    const frame = frameAt(trace, i);
    const rows = range(frame.start, frame.stop).map((r) => (r < 0 || r >= p.steps
      ? { label: pad, values: cols.map(() => pad), className: "ws-pad" }
      : { label: labels[r], values: cols.map((f) => sheetNumber(trace.x[r][f])) }));
    rows.push({
      label: output,
      values: cols.map((f) => (answers ? sheetNumber(frame.output[f]) : null)),
      className: "ws-output",
    });
    const figure = el("figure", "ws-window");
    figure.append(matrixTable(t("worksheet.window", { index: i + 1 }), cols, rows));
    if (answers && frame.winners) {
      figure.append(el("figcaption", "", winnersText(trace, cols, frame.winners, frame.rows)));
    } else if (answers && frame.divisor !== undefined) {
      figure.append(el("figcaption", "", t("worksheet.divided", { divisor: frame.divisor })));
    }
    return figure;
  });
}

function globalTable(trace, cols, answers, labels) {
  const g = trace.global;
  const output = t(g.kind === "max" ? "worksheet.output.max" : "worksheet.output.mean");
  const rows = trace.tokens.slice(0, 40).map((word, r) => ({ label: labels[r], values: cols.map((f) => sheetNumber(trace.x[r][f])) }));
  rows.push({ label: output, values: cols.map((f) => (answers ? sheetNumber(g.output[f]) : null)), className: "ws-output" });
  const figure = el("figure", "ws-global");
  figure.append(el("p", "ws-global-note", t("worksheet.global_note", { count: trace.tokens.length })));
  figure.append(matrixTable(g.call, cols, rows));
  if (answers && g.winners) {
    const all = trace.tokens.map((_, r) => r);
    figure.append(el("figcaption", "", winnersText(trace, cols, g.winners, all)));
  }
  return figure;
}

/** Fill `sheet` with the worksheet and its answer key for `trace`, using features from `bandFirst`. */
export function buildWorksheet(sheet, trace, bandFirst = 0, quiz = null) {
  const p = trace.pooling;
  const first = Math.max(0, Math.min(bandFirst, p.features - MAX_COLUMNS));
  const cols = range(first, Math.min(p.features, first + MAX_COLUMNS));
  const words = trace.tokens.join(" ");
  const someFeatures = cols.length < p.features;
  const someWindows = p.out_steps > MAX_WINDOWS;
  const band = { first: featureName(cols[0]), last: featureName(cols[cols.length - 1]) };
  const scope = someFeatures && someWindows
    ? t("worksheet.scope.both", { ...band, features: p.features, shown: MAX_WINDOWS, total: p.out_steps })
    : someFeatures ? t("worksheet.scope.features", { ...band, total: p.features })
      : someWindows ? t("worksheet.scope.windows", { shown: MAX_WINDOWS, total: p.out_steps }) : null;
  const { labels, shortened } = wordLabels(trace.tokens);
  sheet.replaceChildren();
  for (const answers of [false, true]) {
    const page = el("section", answers ? "ws-page ws-answers" : "ws-page");
    page.append(el("h1", "", t(answers ? "worksheet.key" : "worksheet.heading")));
    page.append(el("p", "ws-call", t("worksheet.call", {
      call: p.call, global_call: trace.global.call, words: words.length > 120 ? `${words.slice(0, 119)}…` : words,
    })));
    // The shape is code: its numbers are written as code writes them.
    page.append(el("p", "ws-shape", t("worksheet.shape", {
      steps: String(p.steps), features: String(p.features), out_steps: String(p.out_steps), formula: p.formula,
    })));
    if (scope) page.append(el("p", "ws-scope", scope));
    if (!answers) {
      page.append(el("p", "ws-task", t(p.kind === "max" ? "worksheet.task.max" : "worksheet.task.mean")));
      page.append(el("p", "ws-name", t("worksheet.name")));
    }
    const grid = el("div", "ws-grid");
    grid.append(...windowTables(trace, cols, answers, labels));
    page.append(grid);
    page.append(globalTable(trace, cols, answers, labels));
    if (shortened.size) page.append(legend(shortened));
    // The quiz, when it was opened: questions on the sheet, answers on the key (quiz.js).
    if (quiz) page.append(quiz(answers));
    sheet.append(page);
  }
}

export function createWorksheet({ button, sheet, back, print, getTrace, getBand, getQuiz = () => null }) {
  const fill = () => {
    const trace = getTrace();
    if (trace) buildWorksheet(sheet.querySelector("[data-part=pages]"), trace, getBand(), getQuiz());
  };
  function open(on) {
    if (on) fill();
    document.body.classList.toggle("worksheet-open", on);
    (on ? back : button).focus();
  }
  button.addEventListener("click", () => open(true));
  back.addEventListener("click", () => open(false));
  print.addEventListener("click", () => window.print());
  // Printing the page prints the sheet of the current view, whatever is on screen.
  window.addEventListener("beforeprint", fill);
  return { open };
}
