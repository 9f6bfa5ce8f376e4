// Your own numbers: click a cell to change it, or edit the whole matrix as
// text (CSV, TSV or JSON rows, a word at the start of each row or not),
// add or remove a word, or go back to the toy vectors. A bad matrix says
// which row and column are wrong, and the last good one stays on screen.
import { matrixText, parseMatrix } from "./matrix.js";
import { t } from "./i18n.js";

export function createEditor({ button, dialog, getTrace, limits, onNumbers, onReset }) {
  const text = dialog.querySelector("[data-part=text]");
  const error = dialog.querySelector("[data-part=error]");
  const cell = document.querySelector("[data-testid=cell-editor]");
  const cellInput = cell.querySelector("input");
  let editing = null;

  const current = () => {
    const trace = getTrace();
    return trace ? { words: trace.tokens, rows: trace.x.map((row) => row.slice()) } : null;
  };

  function openMatrix() {
    const now = current();
    if (!now) return;
    text.value = matrixText(now.words, now.rows);
    error.textContent = "";
    dialog.showModal();
    text.focus();
  }

  async function apply() {
    const parsed = parseMatrix(text.value, {
      maxRows: limits.max_tokens ?? 256, maxCols: limits.max_features ?? 64, words: current().words,
    });
    if (parsed.error) {
      error.textContent = parsed.error;
      return;
    }
    const words = parsed.words ?? current().words;
    if (words.length !== parsed.rows.length) {
      error.textContent = t("page.matrix.rows_words", { rows: parsed.rows.length, words: words.length });
      return;
    }
    error.textContent = "";
    // The dialog stays open, with the server's reason, if the server refuses these numbers.
    const refused = await onNumbers(words, parsed.rows);
    if (refused) {
      error.textContent = refused.message;
      return;
    }
    dialog.close();
  }

  function addWord() {
    const parsed = parseMatrix(text.value, { words: current()?.words });
    const width = parsed.rows ? parsed.rows[0].length : (getTrace()?.x[0].length ?? 1);
    const count = parsed.rows ? parsed.rows.length : 0;
    text.value = `${text.value.trimEnd()}\nword${count + 1}, ${Array(width).fill("0").join(", ")}`;
  }

  function removeWord() {
    const lines = text.value.trimEnd().split(/\r?\n/);
    if (lines.length > 1) text.value = lines.slice(0, -1).join("\n");
  }

  // ---- one cell, edited where it is drawn ----
  function openCell(event, gd) {
    const point = event.points?.[0];
    const trace = getTrace();
    // Only the input matrix's cells (the first trace of each plot) hold numbers of one's own.
    if (!point || point.curveNumber !== 0 || !trace) return;
    const f = point.x;
    const wordRow = gd.dataset.testid === "global-plot" ? globalRow(gd, point.y) : point.y;
    if (wordRow === null || wordRow < 0 || wordRow >= trace.tokens.length) return;
    editing = { row: wordRow, feature: f };
    cell.querySelector(".cell-editor-label").textContent = t("page.matrix.cell_label", { word: trace.tokens[wordRow], feature: `f${f}` });
    cell.querySelector(".cell-editor-error").textContent = "";
    cellInput.value = String(trace.x[wordRow][f]);
    const mouse = event.event;
    cell.style.left = `${Math.max(4, Math.min(window.innerWidth - 260, mouse.clientX - 40))}px`;
    cell.style.top = `${Math.max(4, mouse.clientY + 12)}px`;
    cell.hidden = false;
    cellInput.focus();
    cellInput.select();
  }

  // The global view may show only the winning words: its row labels carry the word's position.
  function globalRow(gd, y) {
    const label = gd.layout.yaxis.ticktext[gd.layout.yaxis.tickvals.indexOf(y)] ?? "";
    const match = /\((\d+)\)$/.exec(label);
    return match ? Number(match[1]) - 1 : y;
  }

  function commitCell(event) {
    event.preventDefault();
    const value = Number(cellInput.value.trim());
    if (cellInput.value.trim() === "" || !Number.isFinite(value)) {
      cell.querySelector(".cell-editor-error").textContent = t("page.matrix.cell_not_number", { value: cellInput.value });
      return;
    }
    const now = current();
    now.rows[editing.row][editing.feature] = value;
    closeCell();
    onNumbers(now.words, now.rows);
  }

  function closeCell() {
    cell.hidden = true;
    editing = null;
  }

  button.addEventListener("click", openMatrix);
  dialog.querySelector("[data-part=apply]").addEventListener("click", apply);
  dialog.querySelector("[data-part=add]").addEventListener("click", addWord);
  dialog.querySelector("[data-part=remove]").addEventListener("click", removeWord);
  dialog.querySelector("[data-part=reset]").addEventListener("click", () => {
    dialog.close();
    onReset();
  });
  dialog.querySelector("[data-part=close]").addEventListener("click", () => dialog.close());
  cell.addEventListener("submit", commitCell);
  cell.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeCell();
  });
  cellInput.addEventListener("blur", () => setTimeout(() => editing && document.activeElement !== cellInput && closeCell(), 150));
  const bound = new Set();
  return {
    /** Listen for clicks on a plot's cells (Plotly gives the graph div .on() at its first draw). */
    bind(gd) {
      if (bound.has(gd) || !gd.on) return;
      gd.on("plotly_click", (event) => openCell(event, gd));
      bound.add(gd);
    },
  };
}
