// The left view: a pooling layer's window sliding down the words.
//
// The figure shows the rows and features that fit at a legible size: a
// viewport of the sentence that follows the current window, the output rows
// around the current one, and a band of features. Output rows not reached
// yet are empty (no value, no hover) inside a dotted frame.
import { cellHover } from "./caption.js";
import { CELL, EMPTY_SLOT, MUTED, PAPER, PARTIAL_COLOR, PRESENT_CELL, PRESENT_FONT_SIZE, WINDOW } from "./colors.js";
import { TOP_PX, paperY, twoMatrixGeometry } from "./geometry.js";
import {
  EDGE, PLOT_CONFIG, baseLayout, cellOutline, featureAxis, labelMargin, matrixTrace, paddingTrace, paperLabel, plotlyText,
  range, rowAxis, rowBand, slice, symmetricLimit,
} from "./heatmap.js";
import { divisorOf, frameAt } from "./trace.js";
import { t } from "./i18n.js";
import { band, follow } from "./viewport.js";

/** Room on the right for the output rows' labels ("window 12 ÷3", or "12" stacked). */
const rightMargin = (fontSize, short, average, windows) => Math.round(
  10 + (short ? String(windows).length : Array.from(t("page.plot.window", { number: String(windows) })).length) * (fontSize - 1) * 0.6
    + (average ? 3 * fontSize * 0.6 : 0),
);

/**
 * The label of output row `i`. An average names its divisor, and an edge
 * window under "same" that divides by fewer than pool_size says so in the
 * padding colour: its padded cells are not counted.
 */
function outputLabel(trace, i, stacked) {
  const p = trace.pooling;
  const name = stacked ? `${i + 1}` : plotlyText(t("page.plot.window", { number: String(i + 1) }));
  if (p.kind !== "average") return name;
  const divisor = divisorOf(trace, i);
  return divisor < p.config.pool_size
    ? `${name} <b style="color:${PARTIAL_COLOR}">÷${divisor}</b>`
    : `${name} ÷${divisor}`;
}

/** A line from `from` to `to` (paper coordinates) with a filled head, as two shapes. */
function arrowShapes(from, to, plotW, plotH) {
  // Work in pixels so the head keeps its shape whatever the figure's size.
  const dx = (to.x - from.x) * plotW;
  const dy = (to.y - from.y) * plotH;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  const head = 9;
  const half = 5;
  const point = (px, py) => `${(to.x + px / plotW).toFixed(5)},${(to.y + py / plotH).toFixed(5)}`;
  const back = { x: -ux * head, y: -uy * head };
  return [
    {
      type: "line", xref: "paper", yref: "paper", name: "arrow", layer: "above",
      x0: from.x, y0: from.y, x1: to.x + back.x / plotW, y1: to.y + back.y / plotH, line: { color: WINDOW.color, width: 2 },
    },
    {
      type: "path", xref: "paper", yref: "paper", name: "arrow-head", layer: "above",
      path: `M${point(0, 0)} L${point(back.x - uy * half, back.y + ux * half)} L${point(back.x + uy * half, back.y - ux * half)} Z`,
      fillcolor: WINDOW.color, line: { width: 0 },
    },
  ];
}

/** The rows, labels and type size of a trace's sliding view in `room`. */
function slidingShape(trace, room) {
  const p = trace.pooling;
  const first = -p.pad_left;
  const last = p.steps + p.pad_right - 1;
  const isPadding = (r) => r < 0 || r >= p.steps;
  const label = (r) => (isPadding(r) ? "pad" : trace.tokens[r]);
  const fontSize = room.presenting ? PRESENT_FONT_SIZE : 13;
  return { first, last, isPadding, label, fontSize };
}

/**
 * What the layout solver decides for the sliding view of `trace` in
 * `room`: at most `maxBand` features, the output rows labelled "window 3"
 * or, when that would cost a feature, "3".
 */
export function slidingGeometry(trace, room, maxBand = Infinity) {
  const p = trace.pooling;
  const { first, last, label, fontSize } = slidingShape(trace, room);
  const average = p.kind === "average";
  return twoMatrixGeometry({
    width: room.width,
    height: room.height,
    left: labelMargin(range(first, last + 1).map(label), fontSize + 1, true),
    right: rightMargin(fontSize, room.stacked, average, p.out_steps),
    rightShort: rightMargin(fontSize, true, average, p.out_steps),
    features: p.features,
    inRows: last - first + 1,
    outRows: p.out_steps,
    cell: room.presenting ? PRESENT_CELL : CELL,
    stacked: room.stacked,
    maxBand,
  });
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
  const frame = frameAt(trace, step);
  const { first, last, isPadding, label, fontSize } = slidingShape(trace, room);
  const g = slidingGeometry(trace, room, at.maxBand);

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
  const limit = symmetricLimit(trace.x);
  const cellFont = g.font;

  const data = [
    matrixTrace({
      z: slice(trace.x, realRows, cols), rows: realRows, cols, labels: realRows.map(label), limit, fontSize: cellFont,
    }),
    paddingTrace({ rows, cols, isPadding, fontSize: cellFont }),
    {
      // Every output row of the viewport is in the data, so a step only moves
      // shapes; rows not reached yet lie under a blank, and their hover (the
      // view's own tooltip, from caption.js) says nothing.
      ...matrixTrace({
        z: slice(p.output, outRows, cols), rows: outRows, cols, labels: [], customdata: [], xaxis: "x2", yaxis: "y2", limit, fontSize: cellFont,
      }),
      hoverinfo: "none",
      hovertemplate: undefined,
    },
  ];

  const shapes = [];
  // Rows already reached but still to be predicted (predict mode) are blank too.
  for (const row of at.concealed ?? []) {
    if (row < outStart || row > Math.min(step, outStop)) continue;
    shapes.push({
      type: "rect", xref: "x2", yref: "y2", name: "concealed-blank", layer: "above",
      x0: feats.first - 0.5 - EDGE, x1: feats.last + 0.5 + EDGE, y0: row - 0.5, y1: row + 0.5,
      fillcolor: PAPER, line: { width: 0 },
    });
  }
  const unreachedFirst = Math.max(step + 1, outStart);
  if (unreachedFirst <= outStop) {
    shapes.push({
      type: "rect", xref: "x2", yref: "y2", name: "unreached-blank", layer: "above",
      x0: feats.first - 0.5 - EDGE, x1: feats.last + 0.5 + EDGE, y0: unreachedFirst - 0.5, y1: outStop + 0.5 + EDGE,
      fillcolor: PAPER, line: { width: 0 },
    });
    shapes.push({
      ...rowBand({ xref: "x2", yref: "y2", first: unreachedFirst, last: outStop, left: feats.first, right: feats.last, line: EMPTY_SLOT, pad: -0.02 }),
      name: "unreached",
    });
  }
  shapes.push(
    { ...rowBand({ xref: "x2", yref: "y2", first: step, last: step, left: feats.first, right: feats.last, line: WINDOW }), name: "output-row" },
    { ...rowBand({ first: frame.start, last: frame.stop - 1, left: feats.first, right: feats.last, line: WINDOW }), name: "window" },
  );
  if (frame.winners && !at.concealed?.has(step)) {
    frame.winners.forEach((row, col) => {
      if (col < feats.first || col > feats.last || row < rowStart || row > rowStop) return;
      for (const shape of cellOutline({ col, row, colPx: g.colPx, rowPx: g.rowPx })) shapes.push({ ...shape, name: "winner" });
    });
  }

  const verb = plotlyText(p.kind === "max" ? t("page.plot.max") : t("page.plot.mean"));
  const annotations = [
    paperLabel({
      text: `<b>${plotlyText(t("page.plot.input"))}</b>  ${p.steps} × ${p.features}`,
      x: (g.inDomainX[0] + g.inDomainX[1]) / 2, y: g.inDomainY[1], yshift: TOP_PX - 22, size: fontSize - 1,
    }),
    paperLabel({
      text: `<b>${plotlyText(t("page.plot.output"))}</b>  ${p.out_steps} × ${p.features}`,
      x: (g.outDomainX[0] + g.outDomainX[1]) / 2, y: g.outDomainY[1], yshift: TOP_PX - 22, size: fontSize - 1,
    }),
  ];
  if (!g.stacked) {
    // An arrow from the window to the output row it writes, labelled with
    // what it computes. Drawn as shapes: Plotly's annotation arrows measure
    // their path on every draw, which made a step slower than a frame.
    const mid = Math.min(Math.max((frame.start + frame.stop - 1) / 2, rowStart), rowStop);
    const from = { x: g.inDomainX[1] + 8 / g.plotW, y: paperY(mid, rowStart, rowStop, g.inDomainY) };
    const to = { x: g.outDomainX[0] - 6 / g.plotW, y: paperY(step, outStart, outStop, g.outDomainY) };
    const [line, head] = arrowShapes(from, to, g.plotW, g.plotH);
    // The word rides on the line (a shape's label), so a step changes shapes only.
    line.label = {
      text: verb, textposition: "start", textangle: 0, xanchor: "left", yanchor: "top", padding: 6,
      font: { size: fontSize - 2, color: MUTED },
    };
    shapes.push(line, head);
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
      ticktext: outRows.map((i) => outputLabel(trace, i, g.stacked || g.shortLabels)),
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

/** Whether two views show the same cells (then a step moves only shapes). */
function sameCells(a, b) {
  return a && b && ["rowStart", "rowStop", "outStart", "outStop", "bandFirst", "bandLast", "width", "height", "fontSize"]
    .every((key) => a[key] === b[key]);
}

export function createSlidingView(gd) {
  let at = {};
  let drawn = null;
  const tip = document.createElement("div");
  tip.className = "plot-tip";
  tip.dataset.testid = "output-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.append(tip);

  function onHover(event) {
    const point = event.points?.[0];
    const secret = drawn?.concealed?.has(point?.y);
    const text = point && point.curveNumber === 2 && drawn && !secret ? cellHover(drawn.trace, drawn.step, point.y, point.x) : "";
    tip.hidden = text === "";
    if (!text) return;
    tip.textContent = text;
    const mouse = event.event;
    tip.style.left = `${Math.min(window.innerWidth - 290, mouse.clientX + 12)}px`;
    tip.style.top = `${mouse.clientY + 14}px`;
  }

  return {
    /**
     * Draw a trace at a step in `room`; the viewports move only when the
     * window leaves them. Output rows in `concealed` (still to be
     * predicted) stay blank, without hover or winner frames. At most `maxBand` features are shown from
     * `bandStart`; when not every row fits, `reserve` pixels are left free
     * for the overview strip. A step that shows the same cells moves only
     * shapes (window, winners, arrow, blank: one Plotly.relayout); anything
     * else redraws.
     */
    async render(trace, step, room, { bandStart = 0, maxBand = Infinity, reserve = 0, concealed = new Set() } = {}) {
      let figure = slidingFigure(trace, step, room, { ...at, bandStart, maxBand, concealed });
      const v = figure.view;
      if (reserve && (v.rowStart > v.first || v.rowStop < v.last)) {
        figure = slidingFigure(trace, step, { ...room, width: room.width - reserve }, { ...at, bandStart, maxBand, concealed });
      }
      at = { rowStart: figure.view.rowStart, outStart: figure.view.outStart };
      const view = { ...figure.view, width: figure.layout.width, height: figure.layout.height };
      const stepOnly = drawn && drawn.trace === trace && sameCells(drawn.view, view);
      drawn = { trace, step, view, concealed };
      tip.hidden = true;
      if (stepOnly) {
        await Plotly.relayout(gd, { shapes: figure.layout.shapes });
      } else {
        await Plotly.react(gd, figure.data, figure.layout, PLOT_CONFIG);
        if (!gd.dataset.hoverBound) {
          gd.on("plotly_hover", onHover);
          gd.on("plotly_unhover", () => { tip.hidden = true; });
          gd.dataset.hoverBound = "true";
        }
      }
      return view;
    },
    /** Forget where the viewports were (a new sentence starts at the top). */
    reset() {
      at = {};
    },
  };
}
