// The worksheet: the current example printed for a class. Every window is
// a small table of its words and the output row left blank to fill in; the
// global vector likewise; the answer key follows on its own page. Printing
// the page from the browser prints this sheet, never the interactive tool.
// Plain tables, so the numbers print crisply and a screen reader reads them.
// Each window's table is as wide as its columns; the windows wrap to new
// rows and pages (print CSS in app.css) and never share a cell's room.
import { nameWord, plural } from "./caption.js";
import { cellText, featureName, range, shortLabel } from "./heatmap.js";
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
  box.append(el("dt", "ws-legend-title", "Shortened words:"));
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

function windowTables(trace, cols, answers, labels) {
  const p = trace.pooling;
  const verb = p.kind === "max" ? "max" : "mean";
  return range(0, Math.min(p.out_steps, MAX_WINDOWS)).map((i) => {
    const frame = frameAt(trace, i);
    const rows = range(frame.start, frame.stop).map((r) => (r < 0 || r >= p.steps
      ? { label: "pad", values: cols.map(() => "pad"), className: "ws-pad" }
      : { label: labels[r], values: cols.map((f) => sheetNumber(trace.x[r][f])) }));
    rows.push({
      label: `${verb} →`,
      values: cols.map((f) => (answers ? sheetNumber(frame.output[f]) : null)),
      className: "ws-output",
    });
    const figure = el("figure", "ws-window");
    figure.append(matrixTable(`Window ${i + 1}`, cols, rows));
    if (answers && frame.winners) {
      const from = cols.map((f) => `${featureName(f)}: ${nameWord(trace.tokens, frame.winners[f], frame.rows)}`).join(", ");
      figure.append(el("figcaption", "", from));
    } else if (answers && frame.divisor !== undefined) {
      figure.append(el("figcaption", "", `Each sum divided by ${frame.divisor}.`));
    }
    return figure;
  });
}

function globalTable(trace, cols, answers, labels) {
  const g = trace.global;
  const verb = g.kind === "max" ? "max" : "mean";
  const rows = trace.tokens.slice(0, 40).map((word, r) => ({ label: labels[r], values: cols.map((f) => sheetNumber(trace.x[r][f])) }));
  rows.push({ label: `${verb} →`, values: cols.map((f) => (answers ? sheetNumber(g.output[f]) : null)), className: "ws-output" });
  const figure = el("figure", "ws-global");
  figure.append(el("p", "ws-global-note", `One value per feature over all ${plural(trace.tokens.length, "word")}: no window.`));
  figure.append(matrixTable(g.call, cols, rows));
  if (answers && g.winners) {
    const all = trace.tokens.map((_, r) => r);
    figure.append(el("figcaption", "", cols.map((f) => `${featureName(f)}: ${nameWord(trace.tokens, g.winners[f], all)}`).join(", ")));
  }
  return figure;
}

/** Fill `sheet` with the worksheet and its answer key for `trace`, using features from `bandFirst`. */
export function buildWorksheet(sheet, trace, bandFirst = 0, quiz = null) {
  const p = trace.pooling;
  const first = Math.max(0, Math.min(bandFirst, p.features - MAX_COLUMNS));
  const cols = range(first, Math.min(p.features, first + MAX_COLUMNS));
  const words = trace.tokens.join(" ");
  const scope = [
    cols.length < p.features ? `features ${featureName(cols[0])} to ${featureName(cols[cols.length - 1])} of ${p.features}` : null,
    p.out_steps > MAX_WINDOWS ? `the first ${MAX_WINDOWS} of ${p.out_steps} windows` : null,
  ].filter(Boolean);
  const { labels, shortened } = wordLabels(trace.tokens);
  sheet.replaceChildren();
  for (const answers of [false, true]) {
    const page = el("section", answers ? "ws-page ws-answers" : "ws-page");
    page.append(el("h1", "", answers ? "Answer key" : "1-D pooling: fill in the outputs"));
    page.append(el("p", "ws-call", `${p.call} and ${trace.global.call} on '${words.length > 120 ? `${words.slice(0, 119)}…` : words}'.`));
    page.append(el("p", "ws-shape", `Input ${p.steps} × ${p.features}; output ${p.out_steps} × ${p.features}: ${p.formula}.`));
    if (scope.length) page.append(el("p", "ws-scope", `This sheet shows ${scope.join(" and ")}.`));
    if (!answers) {
      page.append(el("p", "ws-task", p.kind === "max"
        ? "For each window, write each feature's largest value in the empty row, and circle the word it comes from. Padded cells never win."
        : "For each window, write each feature's mean over the real words in the empty row. Padded cells are not counted."));
      page.append(el("p", "ws-name", "Name: ________________________"));
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
