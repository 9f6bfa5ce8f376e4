// The layout solver: how a figure of an input matrix and an output matrix
// fills the room it has, side by side (a laptop or projector) or stacked
// (a phone).
//
// Everything is worked out in pixels first, so cells keep a legible size
// whatever the screen: the figure shows every row and feature that fits at
// a legible size (see viewport.js) and never squeezes them further. The
// views draw what it decides. Pure: numbers in, numbers out, no DOM.
import { EDGE } from "./heatmap.js";
import { clamp, colsThatFit, rowPixels, rowsThatFit } from "./viewport.js";

// Room above the matrices for their titles and feature labels.
export const TOP_PX = 46;
export const BOTTOM_PX = 8;
// Between input and output side by side: the arrow and its word.
export const GAP_PX = 46;
// Between input and output stacked: the output's title and feature labels.
export const STACK_GAP_PX = 52;

// A printed value ("-0.35") is at most 2.6 em wide and about 1.2 em tall; it
// must clear the white ring of a winner's frame, which lies 2.75 px inside
// the cell's edge on each side (heatmap.js cellOutline).
const VALUE_EM = 2.6;
const LINE_EM = 1.2;
const FRAME_COL_PX = 7;
const FRAME_ROW_PX = 6;

/**
 * The font of printed values in a `colPx` x `rowPx` cell: as large as
 * `cell.font`, small enough that the value clears a winner's frame, never
 * below `cell.fontMin` (which `cell.colMin` and `cell.rowMin` guarantee).
 */
export function cellFont(colPx, rowPx, cell) {
  const across = Math.floor((colPx - FRAME_COL_PX) / VALUE_EM);
  const down = Math.floor((rowPx - FRAME_ROW_PX) / LINE_EM);
  return Math.max(cell.fontMin, Math.min(cell.font, across, down));
}

/**
 * The layout solver for one figure: an input matrix and an output matrix,
 * side by side (a laptop or projector) or stacked (a phone).
 *
 * Parameters: the room (`width`, `height`), label margins (`left`, and
 * `right` with `rightShort`, the shorter labels used when the long ones
 * would cost a feature), the `gap` between the matrices side by side,
 * `features`, the number of input and output rows, the cell limits `cell`
 * (colors.js CELL or PRESENT_CELL), whether to stack, and at most
 * `maxBand` features (the band another view can show).
 *
 * Columns shrink to `cell.colMin` before a feature is dropped: every
 * feature that fits at that width is shown. Returns the band size
 * (features shown), column and row pixels, the values' font, how many
 * input and output rows are shown, whether the short labels are used,
 * the figure's width and height, and the axis domains of both matrices
 * as fractions of the plotting area.
 */
export function twoMatrixGeometry({
  width, height, left, right, rightShort = right, gap = GAP_PX, features, inRows, outRows, cell, stacked, outRowMin = 0, maxBand = Infinity,
}) {
  gap = stacked ? 0 : gap;
  const wanted = Math.min(features, maxBand);
  // A room too small for one legible column still gets one (the figure is then wider than the room).
  const perMatrixFor = (margin) => Math.max((width - left - margin - gap) / (stacked ? 1 : 2), (1 + 2 * EDGE) * cell.colMin);
  // Each matrix's axis reaches EDGE of a column past its outer columns.
  const fits = (margin) => colsThatFit(perMatrixFor(margin) - 2 * EDGE * cell.colMin, cell.colMin);
  const shortLabels = rightShort < right && fits(right) < wanted;
  right = shortLabels ? rightShort : right;
  const perMatrix = perMatrixFor(right);
  const band = Math.min(wanted, fits(right));
  const colPx = clamp(Math.floor(perMatrix / (band + 2 * EDGE)), cell.colMin, cell.colMax);
  const matrixW = (band + 2 * EDGE) * colPx;
  const plotW = stacked ? matrixW : 2 * matrixW + gap;

  const tall = Math.max(height - TOP_PX - BOTTOM_PX - (stacked ? STACK_GAP_PX : 0), cell.rowMin);
  let rowPx;
  let inShown;
  let outShown;
  if (stacked && outRowMin) {
    // A short output (the global vector) keeps its own row height; the input takes the rest.
    const outTall = (outRows + 2 * EDGE) * Math.max(outRowMin, cell.rowMin);
    rowPx = rowPixels(inRows + 2 * EDGE, Math.max(tall - outTall, cell.rowMin), cell.rowMin);
    inShown = Math.min(inRows, rowsThatFit(Math.max(tall - outTall, cell.rowMin), rowPx));
    outShown = outRows;
  } else if (stacked) {
    rowPx = rowPixels(inRows + outRows + 4 * EDGE, tall, cell.rowMin);
    const fit = rowsThatFit(tall, rowPx);
    if (inRows + outRows <= fit) {
      inShown = inRows;
      outShown = outRows;
    } else {
      outShown = Math.min(outRows, Math.max(1, Math.floor(fit / 3)));
      inShown = Math.min(inRows, Math.max(1, fit - outShown));
    }
  } else {
    rowPx = rowPixels(Math.max(inRows, outRows) + 2 * EDGE, tall, cell.rowMin);
    const fit = rowsThatFit(tall, rowPx);
    inShown = Math.min(inRows, fit);
    outShown = Math.min(outRows, fit);
  }
  const inH = (inShown + 2 * EDGE) * rowPx;
  const outRowPx = Math.max(rowPx, outRowMin);
  const outH = (outShown + 2 * EDGE) * outRowPx;
  const plotH = stacked ? inH + STACK_GAP_PX + outH : Math.max(inH, outH);
  const inDomainX = stacked ? [0, 1] : [0, matrixW / plotW];
  const outDomainX = stacked ? [0, 1] : [(matrixW + gap) / plotW, 1];
  const inDomainY = [1 - inH / plotH, 1];
  const outDomainY = stacked ? [0, outH / plotH] : [1 - outH / plotH, 1];
  return {
    band, colPx, rowPx, outRowPx, font: cellFont(colPx, rowPx, cell), inShown, outShown, stacked, shortLabels, gap,
    width: left + plotW + right,
    height: plotH + TOP_PX + BOTTOM_PX,
    plotW, plotH, left, right, top: TOP_PX, bottom: BOTTOM_PX,
    inDomainX, outDomainX, inDomainY, outDomainY,
  };
}

/** Paper y (0 bottom, 1 top) of row position `y` on a reversed row axis over rows first..last in `domain`. */
export function paperY(y, first, last, domain) {
  const bottom = last + 0.5 + EDGE;
  const top = first - 0.5 - EDGE;
  return domain[0] + ((domain[1] - domain[0]) * (bottom - y)) / (bottom - top);
}
