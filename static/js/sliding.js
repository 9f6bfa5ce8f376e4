// The left view: a pooling layer's window sliding down the words.
//
// The figure shows the rows and features that fit at a legible size: a
// viewport of the sentence that follows the current window, the output rows
// around the current one, and a band of features. Output rows not reached
// yet are empty (no value, no hover) inside a dotted frame.
import { cellHover } from "./caption.js";
import { CELL, EMPTY_SLOT, MUTED, PARTIAL_COLOR, PRESENT_CELL, PRESENT_FONT_SIZE, WINDOW } from "./colors.js";
import { TOP_PX, paperY, twoMatrixGeometry } from "./geometry.js";
import {
  PLOT_CONFIG, baseLayout, cellOutline, featureAxis, labelMargin, matrixTrace, paddingTrace, paperLabel,
  plotlyText, range, rowAxis, rowBand, slice, symmetricLimit,
} from "./heatmap.js";
import { band, follow } from "./viewport.js";

/** Room on the right for the output rows' labels ("window 12 ÷3", or "12" stacked). */
const rightMargin = (fontSize, stacked, average) => Math.round(12 + (stacked ? 3 : 9) * (fontSize - 1) * 0.6 + (average ? 3 * fontSize * 0.6 : 0));

/**
 * The label of output row `i`. An average names its divisor, and an edge
 * window under "same" that divides by fewer than pool_size says so in the
 * padding colour: its padded cells are not counted.
 */
function outputLabel(p, i, stacked) {
  const name = stacked ? `${i + 1}` : `window ${i + 1}`;
  if (p.kind !== "average") return name;
  const divisor = p.frames[i].divisor;
  return divisor < p.config.pool_size
    ? `${name} <b style="color:${PARTIAL_COLOR}">÷${divisor}</b>`
    : `${name} ÷${divisor}`;
}

/**
 * The whole figure for a trace at a given step, as plain objects.
 *
 * `room` is { width, height, presenting, stacked }; `at` is where the
 * viewports were ({ rowStart, outStart, bandStart }), so they move only
 * when the window leaves them. Returns { data, layout, view }, `view`
 * saying which rows and features are shown.
 */
export function slidingFigure(trace, step, room, at = {}) {
  const p = trace.pooling;
  const frame = p.frames[step];
  const first = -p.pad_left;
  const last = p.steps + p.pad_right - 1;
  const isPadding = (r) => r < 0 || r >= p.steps;
  const label = (r) => (isPadding(r) ? "pad" : trace.tokens[r]);
  const cell = room.presenting ? PRESENT_CELL : CELL;
  const fontSize = room.presenting ? PRESENT_FONT_SIZE : 13;
  const left = labelMargin(range(first, last + 1).map(label), fontSize + 1);
  const right = rightMargin(fontSize, room.stacked, p.kind === "average");
  const g = twoMatrixGeometry({
    width: room.width, height: room.height, left, right, features: p.features,
    inRows: last - first + 1, outRows: p.out_steps, cell, stacked: room.stacked, maxBand: at.maxBand,
  });

  const rowStart = follow({
    start: at.rowStart, count: g.inShown, first, last, focusStart: frame.start, focusStop: frame.stop,
  });
  const rowStop = Math.min(last, rowStart + g.inShown - 1);
  const outStart = follow({
    start: at.outStart, count: g.outShown, first: 0, last: p.out_steps - 1, focusStart: step, focusStop: step + 1,
  });
  const outStop = Math.min(p.out_steps - 1, outStart + g.outShown - 1);
  const feats = band(at.bandStart ?? 0, g.band, p.features);
  const cols = range(feats.first, feats.last + 1);
  const rows = range(rowStart, rowStop + 1);
  const realRows = rows.filter((r) => !isPadding(r));
  const outRows = range(outStart, outStop + 1);
  const revealed = outRows.map((i) => i <= step);
  const limit = symmetricLimit(trace.x);
  const cellFont = Math.min(fontSize, Math.floor(g.colPx / 3.6));
  const outZ = slice(p.output, outRows, cols).map((row, k) => (revealed[k] ? row : row.map(() => null)));

  const data = [
    matrixTrace({
      z: slice(trace.x, realRows, cols), rows: realRows, cols, labels: realRows.map(label), limit, fontSize: cellFont,
    }),
    paddingTrace({ rows, cols, isPadding, fontSize: cellFont }),
    matrixTrace({
      z: outZ,
      rows: outRows,
      cols,
      labels: outRows.map((i) => `window ${i + 1}`),
      customdata: outRows.map((i) => cols.map((f) => plotlyText(cellHover(trace, step, i, f)))),
      hover: "%{customdata}<extra></extra>",
      xaxis: "x2",
      yaxis: "y2",
      limit,
      fontSize: cellFont,
    }),
  ];

  const shapes = [];
  const unreachedFirst = Math.max(step + 1, outStart);
  if (unreachedFirst <= outStop) {
    shapes.push({
      ...rowBand({ xref: "x2", yref: "y2", first: unreachedFirst, last: outStop, left: feats.first, right: feats.last, line: EMPTY_SLOT, pad: -0.02 }),
      name: "unreached",
    });
  }
  shapes.push(
    { ...rowBand({ xref: "x2", yref: "y2", first: step, last: step, left: feats.first, right: feats.last, line: WINDOW }), name: "output-row" },
    { ...rowBand({ first: frame.start, last: frame.stop - 1, left: feats.first, right: feats.last, line: WINDOW }), name: "window" },
  );
  if (frame.winners) {
    frame.winners.forEach((row, col) => {
      if (col < feats.first || col > feats.last || row < rowStart || row > rowStop) return;
      for (const shape of cellOutline({ col, row })) shapes.push({ ...shape, name: "winner" });
    });
  }

  const verb = p.kind === "max" ? "max" : "mean";
  const annotations = [
    paperLabel({
      text: `<b>input</b>  ${p.steps} × ${p.features}`,
      x: (g.inDomainX[0] + g.inDomainX[1]) / 2, y: g.inDomainY[1], yshift: TOP_PX - 22, size: fontSize - 1,
    }),
    paperLabel({
      text: `<b>output</b>  ${p.out_steps} × ${p.features}`,
      x: (g.outDomainX[0] + g.outDomainX[1]) / 2, y: g.outDomainY[1], yshift: TOP_PX - 22, size: fontSize - 1,
    }),
  ];
  if (!g.stacked) {
    // An arrow from the window to the output row it writes, labelled with what it computes.
    const mid = Math.min(Math.max((frame.start + frame.stop - 1) / 2, rowStart), rowStop);
    const fromY = paperY(mid, rowStart, rowStop, g.inDomainY);
    const toY = paperY(step, outStart, outStop, g.outDomainY);
    annotations.push({
      name: "arrow",
      xref: "paper", yref: "paper", x: g.outDomainX[0], y: toY, xanchor: "right",
      ax: -(g.outDomainX[0] - g.inDomainX[1]) * g.plotW + 22, ay: -(fromY - toY) * g.plotH,
      showarrow: true, arrowhead: 2, arrowsize: 1.2, arrowwidth: 2, arrowcolor: WINDOW.color, standoff: 4, startstandoff: 14,
      text: verb, font: { size: fontSize - 2, color: MUTED }, yshift: 0,
    });
  }

  const layout = {
    ...baseLayout({ width: g.width, height: g.height, margin: { l: g.left, r: g.right, t: g.top, b: g.bottom } }),
    xaxis: featureAxis({ first: feats.first, last: feats.last, domain: g.inDomainX, anchor: "y", fontSize: fontSize - 1 }),
    yaxis: rowAxis({
      first: rowStart, last: rowStop, domain: g.inDomainY, anchor: "x", tickvals: rows, ticktext: rows.map(label), fontSize: fontSize + 1,
    }),
    xaxis2: featureAxis({ first: feats.first, last: feats.last, domain: g.outDomainX, anchor: "y2", fontSize: fontSize - 1 }),
    yaxis2: rowAxis({
      first: outStart,
      last: outStop,
      domain: g.outDomainY,
      anchor: "x2",
      side: "right",
      tickvals: outRows,
      ticktext: outRows.map((i) => outputLabel(p, i, g.stacked)),
      fontSize: fontSize - 1,
      markup: true,
    }),
    annotations,
    shapes,
  };
  const view = {
    rowStart, rowStop, outStart, outStop, first, last,
    bandFirst: feats.first, bandLast: feats.last, bandSize: g.band, features: p.features,
    rowPx: g.rowPx, colPx: g.colPx, fontSize: cellFont,
  };
  return { data, layout, view };
}

export function createSlidingView(gd) {
  let at = {};
  return {
    /**
     * Draw a trace at a step in `room`; the viewports move only when the
     * window leaves them. At most `maxBand` features are shown from
     * `bandStart`; when not every row fits, `reserve` pixels are left free
     * for the overview strip.
     */
    async render(trace, step, room, { bandStart = 0, maxBand = Infinity, reserve = 0 } = {}) {
      let figure = slidingFigure(trace, step, room, { ...at, bandStart, maxBand });
      const v = figure.view;
      if (reserve && (v.rowStart > v.first || v.rowStop < v.last)) {
        figure = slidingFigure(trace, step, { ...room, width: room.width - reserve }, { ...at, bandStart, maxBand });
      }
      at = { rowStart: figure.view.rowStart, outStart: figure.view.outStart };
      await Plotly.react(gd, figure.data, figure.layout, PLOT_CONFIG);
      return { ...figure.view, height: figure.layout.height };
    },
    /** Forget where the viewports were (a new sentence starts at the top). */
    reset() {
      at = {};
    },
  };
}
