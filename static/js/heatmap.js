// Reusable builders for a labelled matrix drawn as a Plotly heatmap.
//
// Rows sit at numeric positions (0, 1, ... or negative for left padding),
// so repeated words stay separate rows and padding can extend either end;
// columns sit at their feature's index. A view that shows only part of a
// long sentence or a wide embedding passes that part (a viewport of rows,
// a band of features) and keeps these positions, so its shapes need no
// translation. Every view builds its figure from these plain objects and
// hands them to Plotly.react.
import { CELL_FONT_SIZE, DIVERGING, FONT, LABEL_MAX_CHARS, PAD_FILL, PAD_TEXT, PAPER, WINNER } from "./colors.js";
import { t } from "./i18n.js";

// Axes reach this far past the outer cells, so outlines on edge cells are not clipped.
export const EDGE = 0.1;

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Escape a user-provided string for Plotly, which renders a subset of HTML in text. */
export function plotlyText(value) {
  return String(value).replace(/[&<>]/g, (c) => ESCAPES[c]);
}

/** Shorten a word for an axis label, counting characters rather than UTF-16 units. */
export function shortLabel(word, max = LABEL_MAX_CHARS) {
  const chars = Array.from(String(word));
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

/** A cell value as printed in the heatmap: two decimals, blank when missing. */
export function cellText(value) {
  return value === null || value === undefined ? "" : value.toFixed(2);
}

/** A value as written in prose: at most two decimals, no trailing zeros. */
export function shortNumber(value) {
  const rounded = Number(value.toFixed(2));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** The name of feature `f`, as the axes print it. */
export function featureName(f) {
  return `f${f}`;
}

export function range(start, stop) {
  return Array.from({ length: Math.max(stop - start, 0) }, (_, i) => start + i);
}

const limits = new WeakMap();

/** Largest absolute value, so the colour scale is symmetric around 0 (worked out once per matrix). */
export function symmetricLimit(matrix) {
  if (limits.has(matrix)) return limits.get(matrix);
  let limit = 0;
  for (const row of matrix) for (const v of row) if (Number.isFinite(v)) limit = Math.max(limit, Math.abs(v));
  const result = limit > 0 ? limit : 1;
  limits.set(matrix, result);
  return result;
}

/** Rows `rows` and columns `cols` of a matrix; a row index outside it gives a row of nulls. */
export function slice(matrix, rows, cols) {
  return rows.map((r) => {
    const row = matrix[r];
    return cols.map((c) => (row === undefined ? null : row[c]));
  });
}

/** Layout key of an axis reference: "x2" -> "xaxis2". */
export function axisKey(ref) {
  return ref.replace(/^([xy])/, "$1axis");
}

/**
 * A heatmap trace for `z` (rows x cols) with one row label per row.
 *
 * `text` defaults to the values with two decimals; pass your own strings
 * (already escaped with plotlyText) to print something else in the cells.
 * `customdata` defaults to each row's escaped label, for the hover.
 */
export function matrixTrace({
  z, rows, cols, labels, xaxis = "x", yaxis = "y", limit, showText = true, text, hover = "value",
  customdata, fontSize = CELL_FONT_SIZE,
}) {
  const safeLabels = labels.map((label) => plotlyText(label));
  return {
    type: "heatmap",
    z,
    x: cols,
    y: rows,
    xaxis,
    yaxis,
    colorscale: DIVERGING,
    zmin: -limit,
    zmax: limit,
    showscale: false,
    xgap: 2,
    ygap: 2,
    hoverongaps: false,
    text: text ?? z.map((row) => row.map(cellText)),
    texttemplate: showText ? "%{text}" : "",
    textfont: { size: fontSize, family: FONT.family },
    customdata: customdata ?? z.map((row, i) => row.map(() => safeLabels[i])),
    hovertemplate: hover === "value"
      ? "<b>%{customdata}</b><br>f%{x}: %{z:.2f}<extra></extra>"
      : hover,
  };
}

/**
 * Grey cells standing for padding: labelled, never given numbers.
 *
 * The trace spans `rows` with gaps (null) on the real rows, so its cells
 * keep the same height as the words' even when padding sits at both ends.
 */
export function paddingTrace({ rows, cols, isPadding, xaxis = "x", yaxis = "y", showText = true, fontSize = CELL_FONT_SIZE }) {
  const z = rows.map((r) => cols.map(() => (isPadding(r) ? 0 : null)));
  return {
    type: "heatmap",
    z,
    x: cols,
    y: rows,
    xaxis,
    yaxis,
    colorscale: [[0, PAD_FILL], [1, PAD_FILL]],
    zmin: 0,
    zmax: 1,
    showscale: false,
    xgap: 2,
    ygap: 2,
    hoverongaps: false,
    text: z.map((row) => row.map((v) => (v === null ? "" : plotlyText(t("page.numbers.pad"))))),
    texttemplate: showText ? "%{text}" : "",
    textfont: { size: Math.max(fontSize - 1, 10), family: FONT.family, color: PAD_TEXT },
    hovertemplate: `${plotlyText(t("page.plot.padding_hover"))}<extra></extra>`,
  };
}

// Plotly measures every label to hide those that overflow, which costs about
// a second for 256 words; the margins here are sized for the labels instead.
const FAST_TICKS = { ticks: "", tickangle: 0, ticklabeloverflow: "allow", automargin: false };

/** A feature axis over columns `first..last`, one label per column, on top. */
export function featureAxis({ first, last, domain, anchor, fontSize = 12, every = 1 }) {
  const ticks = range(first, last + 1).filter((f) => f % every === 0);
  return {
    domain,
    anchor,
    range: [first - 0.5 - EDGE, last + 0.5 + EDGE],
    side: "top",
    tickvals: ticks,
    ticktext: ticks.map(featureName),
    tickfont: { size: fontSize, color: "#4a4e59" },
    ...FAST_TICKS,
    showgrid: false,
    zeroline: false,
    showline: false,
    fixedrange: true,
  };
}

/** A row axis over rows `first..last`, top to bottom, labelled with (escaped, shortened) words. */
export function rowAxis({
  first, last, domain, anchor, tickvals, ticktext, side = "left", fontSize = 13, showticklabels = true, markup = false,
}) {
  return {
    domain,
    anchor,
    range: [last + 0.5 + EDGE, first - 0.5 - EDGE],
    side,
    tickvals,
    // Words are escaped and shortened; `markup` labels are the page's own (never a learner's words).
    ticktext: markup ? ticktext : ticktext.map((t) => plotlyText(shortLabel(t))),
    tickfont: { size: fontSize },
    showticklabels,
    ...FAST_TICKS,
    showgrid: false,
    zeroline: false,
    showline: false,
    fixedrange: true,
  };
}

/** A rectangle around rows first..last (inclusive) across columns `left..right`. */
export function rowBand({ xref = "x", yref = "y", first, last, left, right, line, fill = "rgba(0,0,0,0)", pad = 0.04 }) {
  return {
    type: "rect",
    xref,
    yref,
    x0: left - 0.5 - pad,
    x1: right + 0.5 + pad,
    y0: first - 0.5 - pad,
    y1: last + 0.5 + pad,
    line,
    fillcolor: fill,
    layer: "above",
  };
}

/**
 * Outline one cell: a dark frame with a white ring inside, visible on any colour.
 *
 * Given the cell's size in pixels (`colPx`, `rowPx`), the frame's line is
 * centred on the cell's edge and the ring lies just inside it, so neither
 * crosses the value printed in the cell (geometry.js cellFont leaves room
 * for them); without, the frame sits at a fixed share of the cell.
 */
export function cellOutline({ xref = "x", yref = "y", col, row, colPx, rowPx }) {
  const hug = (px, fallback) => (px ? [0.5, 0.5 - (WINNER.width + WINNER.ringWidth) / 2 / px] : fallback);
  const [outerX, innerX] = hug(colPx, [0.47, 0.36]);
  const [outerY, innerY] = hug(rowPx, [0.47, 0.36]);
  const rect = (halfX, halfY, color, width) => ({
    type: "rect",
    xref,
    yref,
    x0: col - halfX,
    x1: col + halfX,
    y0: row - halfY,
    y1: row + halfY,
    line: { color, width },
    fillcolor: "rgba(0,0,0,0)",
    layer: "above",
  });
  return [rect(outerX, outerY, WINNER.color, WINNER.width), rect(innerX, innerY, WINNER.ring, WINNER.ringWidth)];
}

/** A text label in paper coordinates (titles, arrows between matrices). */
export function paperLabel({ text, x, y, xanchor = "center", yanchor = "bottom", size = 13, color = FONT.color, yshift = 0 }) {
  return {
    xref: "paper",
    yref: "paper",
    x,
    y,
    xanchor,
    yanchor,
    yshift,
    text,
    showarrow: false,
    font: { size, color, family: FONT.family },
  };
}

let measureContext = null;

/** Width in pixels of `text` in the plots' font at `fontSize`, or null where nothing can measure it. */
function textWidth(text, fontSize) {
  if (typeof document === "undefined") return null;
  measureContext ??= document.createElement("canvas").getContext("2d");
  measureContext.font = `${fontSize}px ${FONT.family}`;
  return measureContext.measureText(text).width;
}

/**
 * Left margin wide enough for the longest (shortened) label at `fontSize`
 * pixels: estimated from its length, or with `measure`, measured in the
 * plots' font (tighter, so the layout solver has more room for columns).
 */
export function labelMargin(labels, fontSize, measure = false) {
  if (measure) {
    const widths = labels.map((l) => textWidth(shortLabel(l), fontSize));
    if (widths.every((w) => w !== null)) return Math.round(Math.min(170, Math.max(36, 12 + Math.max(0, ...widths))));
  }
  const longest = Math.max(3, ...labels.map((l) => Math.min(Array.from(String(l)).length, LABEL_MAX_CHARS)));
  return Math.round(Math.min(170, Math.max(44, 16 + longest * fontSize * 0.6)));
}

/** Layout defaults shared by every heatmap figure: a fixed size, no autosize. */
export function baseLayout({ width, height, margin }) {
  return {
    width,
    height,
    autosize: false,
    margin,
    paper_bgcolor: PAPER,
    plot_bgcolor: PAPER,
    font: FONT,
    showlegend: false,
    hoverlabel: { font: { family: FONT.family, size: 13 } },
    dragmode: false,
  };
}

export const PLOT_CONFIG = {
  displayModeBar: false,
  responsive: false,
  scrollZoom: false,
  doubleClick: false,
};
