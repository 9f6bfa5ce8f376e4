// Pixel layout of a figure that shows an input matrix and an output matrix,
// side by side (a laptop or projector) or stacked (a phone).
//
// Everything is worked out in pixels first, so cells keep a legible size
// whatever the screen: the figure shows as many rows and features as fit
// (see viewport.js) and never squeezes them. Pure: numbers in, numbers out.
import { EDGE } from "./heatmap.js";
import { colsThatFit, rowPixels, rowsThatFit } from "./viewport.js";

// Room above the matrices for their titles and feature labels.
export const TOP_PX = 46;
export const BOTTOM_PX = 8;
// Between input and output side by side: the arrow and its word.
export const GAP_PX = 58;
// Between input and output stacked: the output's title and feature labels.
export const STACK_GAP_PX = 52;

/**
 * Sizes for one figure.
 *
 * Parameters: the room (`width`, `height`), label margins (`left`, `right`),
 * `features`, the number of input and output rows, the cell limits `cell`
 * (colors.js CELL or PRESENT_CELL) and whether to stack.
 *
 * Returns the band size (features shown), column and row pixels, how many
 * input and output rows are shown, the figure's width and height, and the
 * axis domains of both matrices as fractions of the plotting area.
 */
export function twoMatrixGeometry({ width, height, left, right, features, inRows, outRows, cell, stacked, outRowMin = 0, maxBand = Infinity }) {
  const gap = stacked ? 0 : GAP_PX;
  const across = Math.max(width - left - right - gap, cell.colMin);
  const perMatrix = stacked ? across : across / 2;
  const band = Math.min(features, maxBand, colsThatFit(perMatrix, cell.colMin));
  const colPx = Math.min(cell.colMax, Math.floor(perMatrix / band));
  const matrixW = band * colPx;
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
    band, colPx, rowPx, outRowPx, inShown, outShown, stacked,
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
