// The numbers behind each picture, as tables a screen reader reaches and
// anyone can show: the current window's words and the output row it
// writes (with what hover says of each cell), and the global vector with
// the word that won each feature. Rebuilt with every step; small, because
// they hold the lesson of the moment (the whole matrix is in the exports).
import { cellHover, globalCellHover } from "./caption.js";
import { cellText, featureName, range } from "./heatmap.js";
import { windowOf } from "./trace.js";
import { t } from "./i18n.js";

const MAX_ROWS = 16;

function table(caption, head, rows) {
  const t = document.createElement("table");
  t.className = "numbers-table";
  t.createCaption().textContent = caption;
  const tr = t.createTHead().insertRow();
  for (const text of head) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    tr.append(th);
  }
  const body = t.createTBody();
  for (const [label, ...cells] of rows) {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = label;
    row.append(th);
    for (const text of cells) row.insertCell().textContent = text;
  }
  return t;
}

/** The current window's words and its output row, for step `step` (without it while it is to be predicted). */
export function windowTable(trace, step, { withOutput = true } = {}) {
  const p = trace.pooling;
  const frame = windowOf(trace, step);
  const features = range(0, p.features);
  const rows = range(frame.start, frame.stop).slice(0, MAX_ROWS).map((r) => (r < 0 || r >= p.steps
    ? [t("page.numbers.padding"), ...features.map(() => t("page.numbers.pad"))]
    : [t("page.numbers.word", { word: trace.tokens[r], number: String(r + 1) }), ...features.map((f) => cellText(trace.x[r][f]))]));
  if (withOutput) rows.push([t("page.numbers.output_row", { number: String(step + 1) }), ...features.map((f) => cellHover(trace, step, step, f))]);
  const more = frame.stop - frame.start > MAX_ROWS;
  const params = { index: step + 1, total: p.out_steps, rows: MAX_ROWS };
  const caption = withOutput
    ? (more ? t("page.numbers.window_first_rows", params) : t("page.numbers.window", params))
    : (more ? t("page.numbers.window_first_rows_predict", params) : t("page.numbers.window_predict", params));
  return table(caption, ["", ...features.map(featureName)], rows);
}

/** The global vector: each feature's value and where it comes from. */
export function globalTable(trace) {
  const g = trace.global;
  const rows = g.output.map((v, f) => [featureName(f), cellText(v), globalCellHover(trace, f)]);
  return table(t("page.numbers.global", { call: g.call }), [t("page.numbers.feature"), t("page.numbers.value"), t("page.numbers.from")], rows);
}

/**
 * A button that shows or hides a region of numbers; hidden, it stays
 * readable by screen readers. Shown, the region scrolls inside itself and
 * says so when its table is wider or taller than its box; Escape in it
 * closes it and gives the focus back to the button.
 */
export function createNumbers(button, region) {
  const shown = () => button.getAttribute("aria-expanded") === "true";
  const hint = document.createElement("p");
  hint.className = "numbers-hint";
  hint.dataset.testid = `${region.dataset.testid}-hint`;
  hint.hidden = true;

  function sayIfScrolls() {
    const wide = region.scrollWidth > region.clientWidth + 1;
    const tall = region.scrollHeight > region.clientHeight + 1;
    hint.hidden = !shown() || !(wide || tall);
    hint.textContent = wide && tall ? t("page.numbers.scroll_both")
      : wide ? t("page.numbers.scroll_across") : t("page.numbers.scroll_down");
  }

  function set(on) {
    button.setAttribute("aria-expanded", String(on));
    button.textContent = on ? t("page.numbers.hide") : t("page.numbers.show");
    region.classList.toggle("visually-hidden", !on);
    // Shown, the box is a tab stop, so a keyboard scrolls it too.
    if (on) region.tabIndex = 0;
    else region.removeAttribute("tabindex");
    sayIfScrolls();
  }

  button.addEventListener("click", () => set(!shown()));
  region.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !shown()) return;
    set(false);
    button.focus();
  });
  new ResizeObserver(() => shown() && sayIfScrolls()).observe(region);
  return {
    show(content) {
      region.replaceChildren(hint, content);
      if (shown()) sayIfScrolls();
    },
  };
}
