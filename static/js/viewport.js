// Which part of a long sentence or a wide embedding is on screen.
//
// A plot never grows taller than the room it is given: when every row does
// not fit at a legible size, it shows a viewport of rows that follows the
// current window; when every feature does not fit, it shows a band of
// features at full size that the learner moves along. Pure functions of
// sizes and positions: no DOM, no Plotly.
import { CELL } from "./colors.js";

export function clamp(value, low, high) {
  return Math.max(low, Math.min(high, value));
}

/**
 * Pixels per row for `rows` rows in `heightPx`: as large as fits up to
 * `CELL.rowMax`, never below `minRowPx` (then not every row fits).
 */
export function rowPixels(rows, heightPx, minRowPx = CELL.rowMin) {
  const fits = Math.floor(heightPx / Math.max(rows, 1));
  return clamp(fits, minRowPx, CELL.rowMax);
}

/** How many whole rows of `rowPx` pixels fit in `heightPx` (at least one). */
export function rowsThatFit(heightPx, rowPx) {
  return Math.max(1, Math.floor(heightPx / rowPx));
}

/** How many whole columns of at least `minColPx` pixels fit in `widthPx` (at least one). */
export function colsThatFit(widthPx, minColPx = CELL.colMin) {
  return Math.max(1, Math.floor(widthPx / minColPx));
}

/**
 * First row of a viewport of `count` rows over rows `first..last` that
 * keeps `focus` (rows `focusStart..focusStop-1`) in view.
 *
 * A viewport that already shows the focus stays put; otherwise it moves so
 * the focus sits one row below the top (moving down a page at a time keeps
 * the picture calm during play). A focus taller than the viewport shows its
 * first rows.
 */
export function follow({ start, count, first, last, focusStart, focusStop }) {
  const maxStart = Math.max(first, last - count + 1);
  const current = clamp(start ?? first, first, maxStart);
  const lastShown = current + count - 1;
  if (focusStart >= current && focusStop - 1 <= lastShown) return current;
  const context = focusStop - focusStart < count ? 1 : 0;
  return clamp(focusStart - context, first, maxStart);
}

/** A band of `count` features starting near `start`, kept inside 0..features-1. */
export function band(start, count, features) {
  const size = Math.min(count, features);
  const first = clamp(start, 0, features - size);
  return { first, last: first + size - 1, size };
}
