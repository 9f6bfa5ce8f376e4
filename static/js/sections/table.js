// The numbers behind every picture: plain HTML tables, built with
// textContent only, reachable by keyboard in each section's "The numbers".
import { cellText } from "../heatmap.js";

/**
 * A table of `rows` ({ label, values }) under `columns` (header strings),
 * with a caption. Numbers are printed with two decimals, as in the heatmaps;
 * strings as they are.
 */
export function numbersTable({ caption, corner = "", columns, rows, testId }) {
  const table = document.createElement("table");
  table.className = "numbers";
  if (testId) table.dataset.testid = testId;
  const cap = document.createElement("caption");
  cap.textContent = caption;
  table.append(cap);
  const head = table.createTHead().insertRow();
  for (const text of [corner, ...columns]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const { label, values } of rows) {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = label;
    tr.append(th);
    for (const value of values) {
      const td = tr.insertCell();
      td.textContent = typeof value === "number" ? cellText(value) : String(value ?? "");
    }
  }
  return table;
}

/** Feature column headers f0, f1, ... for `count` features. */
export function featureColumns(count) {
  return Array.from({ length: count }, (_, f) => `f${f}`);
}
