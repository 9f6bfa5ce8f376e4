// What the sections of the next questions share: one POST /api/questions
// per sentence (the six sections ask for the same answer, so it is fetched
// once and shared), the programs shown with what they print, and small
// model.summary()-like tables of shapes and parameters.
import { post } from "./section.js";
import { formatNumber, t } from "../i18n.js";

// Only the words and their vectors matter to these sections.
const SOURCE_FIELDS = ["sentence", "embeddings", "preset", "features", "seed"];

/** The request fields the next questions depend on. */
export function sourceOf(request) {
  return Object.fromEntries(SOURCE_FIELDS.filter((k) => request[k] !== undefined).map((k) => [k, request[k]]));
}

/** A section's key: the sentence's source. */
export const sourceKey = ({ request }) => JSON.stringify(sourceOf(request));

let shared = { key: null, answer: null };

/**
 * The /api/questions answer for the context's sentence, fetched once for all
 * six sections. Not aborted by one section's signal: another may still want it.
 */
export async function loadQuestions(url, context, signal) {
  const key = sourceKey(context);
  if (shared.key !== key) {
    const answer = post(url, sourceOf(context.request));
    shared = { key, answer };
    answer.catch(() => {
      if (shared.answer === answer) shared = { key: null, answer: null };
    });
  }
  const answer = await shared.answer;
  if (signal.aborted) throw new DOMException("stale", "AbortError");
  return answer;
}

export const shapeText = (shape) => `(${shape.map((v) => (v === null ? "None" : v)).join(", ")})`;
export const count = (n) => formatNumber(n);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/**
 * Programs and what they print, each in a closed <details>: `programs` is a
 * list of { title, program: { code, prints }, claim, testId }. The claim id
 * marks the box as a claim of the page (its test runs the program).
 */
export function programBoxes(box, programs) {
  box.replaceChildren(...programs.map(({ title, program, claim, testId }) => {
    const details = element("details", undefined, "guide-program");
    details.dataset.claim = claim;
    if (testId) details.dataset.testid = testId;
    details.append(element("summary", title));
    const code = element("pre", undefined, "code");
    code.tabIndex = 0;
    code.setAttribute("aria-label", t("sections.program.code", { title }));
    code.append(element("code", program.code));
    const prints = element("pre", program.prints, "prints");
    prints.tabIndex = 0;
    prints.setAttribute("aria-label", t("sections.program.prints_label", { title }));
    prints.dataset.part = "prints";
    details.append(code, element("p", t("sections.program.prints"), "prints-label"), prints);
    return details;
  }));
}

/**
 * A table like model.summary(): `rows` of { call, output_shape, params,
 * formula, mark } (mark: a short tag after the layer's name), with a caption
 * and, if given, the total.
 */
export function summaryTable({ caption, rows, total, testId, highlight }) {
  const table = element("table", undefined, "summary-table");
  if (testId) table.dataset.testid = testId;
  table.append(element("caption", caption));
  const head = table.createTHead().insertRow();
  // The headers model.summary() prints, as Keras prints them in every language.
  head.setAttribute("translate", "no");
  for (const [text, cls] of [["Layer (type)"], ["Output Shape"], ["Param #", "params"]]) {
    const th = element("th", text, cls);
    th.scope = "col";
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    const name = element("th", row.call);
    name.scope = "row";
    if (highlight?.(row)) {
      tr.className = "pooling-row";
      tr.dataset.highlight = "true";
    }
    if (row.mark) name.append(element("span", ` ← ${row.mark}`, "tag"));
    if (row.formula) name.append(element("span", row.formula, "how"));
    const params = row.params === undefined ? "" : count(row.params);
    tr.append(name, element("td", row.output_shape ? shapeText(row.output_shape) : row.shape_text), element("td", params, "params"));
  }
  if (total !== undefined) {
    const tr = table.createTFoot().insertRow();
    tr.setAttribute("translate", "no");
    const th = element("th", "Total params");
    th.scope = "row";
    th.colSpan = 2;
    tr.append(th, element("td", count(total), "params"));
  }
  return table;
}

/** A table in a focusable, labelled box that scrolls sideways on its own. */
export function tableBox(table, label) {
  const box = document.createElement("div");
  box.tabIndex = 0;
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", label);
  box.append(table);
  return box;
}
