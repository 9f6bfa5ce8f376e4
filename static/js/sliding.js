// The left view: a pooling layer's window sliding down the words.
//
// A new trace redraws the figure once with Plotly.react; a step of the
// animation only moves shapes (window, winners, the blank over output
// rows not reached yet) with Plotly.relayout.
import { EMPTY_SLOT, LABEL_MAX_CHARS, MUTED, PAPER, WINDOW } from "./colors.js";
import {
  EDGE, PLOT_CONFIG, baseLayout, cellFontSize, cellOutline, featureAxis, matrixTrace, paddingTrace,
  heightFraction, paperLabel, range, rowAxis, rowBand, rowPixels, symmetricLimit, textFits,
} from "./heatmap.js";

const INPUT_DOMAIN = [0, 0.43];
const OUTPUT_DOMAIN = [0.57, 1];
const MARGIN_TOP = 50;
const MARGIN_BOTTOM = 12;

/** Left margin wide enough for the longest (shortened) word at `fontSize` pixels. */
export function labelMargin(labels, fontSize) {
  const longest = Math.max(3, ...labels.map((l) => Math.min(Array.from(l).length, LABEL_MAX_CHARS)));
  return Math.round(Math.min(180, Math.max(52, 20 + longest * fontSize * 0.62)));
}

/**
 * Shapes for one step: the window, the output row it writes, a blank over
 * the output rows not reached yet and, for max, each feature's winner.
 * A step changes nothing else, so moving it never re-plots a heatmap.
 */
function stepShapes(trace, step) {
  const p = trace.pooling;
  const frame = p.frames[step];
  const features = p.features;
  const shapes = [];
  if (step < p.out_steps - 1) {
    shapes.push(
      {
        type: "rect", xref: "x2", yref: "y2", name: "unreached", layer: "above",
        x0: -0.5 - EDGE, x1: features - 0.5 + EDGE, y0: step + 0.5, y1: p.out_steps - 0.5 + EDGE,
        fillcolor: PAPER, line: { width: 0 },
      },
      { ...rowBand({ xref: "x2", yref: "y2", first: step + 1, last: p.out_steps - 1, features, line: EMPTY_SLOT, pad: -0.02 }), name: "unreached-frame" },
    );
  }
  shapes.push(
    { ...rowBand({ xref: "x2", yref: "y2", first: step, last: step, features, line: WINDOW }), name: "output-row" },
    { ...rowBand({ first: frame.start, last: frame.stop - 1, features, line: WINDOW }), name: "window" },
  );
  if (frame.winners) {
    frame.winners.forEach((row, col) => {
      for (const shape of cellOutline({ col, row })) shapes.push({ ...shape, name: "winner" });
    });
  }
  return shapes;
}

/** The whole figure for a trace at a given step, as plain objects. */
export function slidingFigure(trace, step, widthPx) {
  const p = trace.pooling;
  const first = -p.pad_left;
  const last = p.steps + p.pad_right - 1;
  const totalRows = last - first + 1;
  const rowPx = rowPixels(totalRows);
  const isPadding = (r) => r < 0 || r >= p.steps;
  const tickvals = range(first, last + 1);
  const ticktext = tickvals.map((r) => (isPadding(r) ? "pad" : trace.tokens[r]));
  const fontSize = cellFontSize(rowPx);
  const left = labelMargin(ticktext, fontSize + 1);
  const right = 78;
  const colPx = ((widthPx - left - right) * (INPUT_DOMAIN[1] - INPUT_DOMAIN[0])) / p.features;
  const showText = textFits(rowPx, colPx);
  const limit = symmetricLimit(trace.x);
  const outTop = 1;
  const outBottom = 1 - heightFraction(p.out_steps, totalRows);
  const verb = p.kind === "max" ? "max" : "mean";

  const data = [
    matrixTrace({ z: trace.x, rows: range(0, p.steps), labels: trace.tokens, limit, showText, fontSize }),
    paddingTrace({ first, last, isPadding, features: p.features, showText, fontSize }),
    matrixTrace({
      z: p.output,
      rows: range(0, p.out_steps),
      labels: range(0, p.out_steps).map((i) => `window ${i + 1}`),
      xaxis: "x2",
      yaxis: "y2",
      limit,
      showText,
      fontSize,
    }),
  ];
  const layout = {
    ...baseLayout({
      height: (totalRows + 2 * EDGE) * rowPx + MARGIN_TOP + MARGIN_BOTTOM,
      margin: { l: left, r: right, t: MARGIN_TOP, b: MARGIN_BOTTOM },
    }),
    xaxis: featureAxis({ features: p.features, domain: INPUT_DOMAIN, anchor: "y" }),
    yaxis: rowAxis({ first, last, domain: [0, 1], anchor: "x", tickvals, ticktext, fontSize: fontSize + 1 }),
    xaxis2: featureAxis({ features: p.features, domain: OUTPUT_DOMAIN, anchor: "y2" }),
    yaxis2: rowAxis({
      first: 0,
      last: p.out_steps - 1,
      domain: [outBottom, outTop],
      anchor: "x2",
      side: "right",
      tickvals: range(0, p.out_steps),
      ticktext: range(0, p.out_steps).map((i) => `window ${i + 1}`),
      fontSize: 12,
    }),
    annotations: [
      paperLabel({ text: `<b>input</b>  ${p.steps} × ${p.features}`, x: 0.215, y: 1, yshift: 20 }),
      paperLabel({ text: `<b>output</b>  ${p.out_steps} × ${p.features}`, x: 0.785, y: 1, yshift: 20 }),
      paperLabel({
        text: `${verb} over<br>window →`,
        x: 0.5,
        y: Math.max(outBottom, 1 - 1.5 / totalRows),
        yanchor: "middle",
        size: 12,
        color: MUTED,
      }),
    ],
    shapes: stepShapes(trace, step),
  };
  return { data, layout };
}

export function createSlidingView(gd) {
  let current = null;

  return {
    /** Redraw for a new trace (one Plotly.react; the figure is updated in place). */
    async render(trace, step) {
      current = trace;
      const { data, layout } = slidingFigure(trace, step, gd.clientWidth || 640);
      await Plotly.react(gd, data, layout, PLOT_CONFIG);
    },
    /** Move to another step: only shapes move (Plotly redraws just them). */
    async show(step) {
      if (!current) return;
      await Plotly.relayout(gd, { shapes: stepShapes(current, step) });
    },
  };
}
