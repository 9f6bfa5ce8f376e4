// The left view: a pooling layer's window sliding down the words.
//
// A new trace redraws the figure once with Plotly.react; a step of the
// animation only moves shapes and fills in output rows with Plotly.update.
import { EMPTY_SLOT, MUTED, WINDOW } from "./colors.js";
import {
  EDGE, PLOT_CONFIG, baseLayout, cellOutline, cellText, featureAxis, matrixTrace, paddingTrace,
  heightFraction, paperLabel, range, rowAxis, rowBand, rowPixels, symmetricLimit, textFits,
} from "./heatmap.js";

const INPUT_DOMAIN = [0, 0.43];
const OUTPUT_DOMAIN = [0.57, 1];
const OUTPUT_TRACE = 2;
const MARGIN_TOP = 50;
const MARGIN_BOTTOM = 12;

/** Left margin wide enough for the longest (shortened) word. */
export function labelMargin(labels) {
  const longest = Math.max(3, ...labels.map((l) => Math.min(Array.from(l).length, 14)));
  return Math.round(Math.min(150, Math.max(52, 22 + longest * 8)));
}

/** Output rows filled up to and including `step`, blank after it. */
function partialOutput(pooling, step) {
  return pooling.output.map((row, i) => (i <= step ? row : row.map(() => null)));
}

/** Shapes for one step: the window, the output row it writes and, for max, the winners. */
function stepShapes(trace, step) {
  const p = trace.pooling;
  const frame = p.frames[step];
  const shapes = [
    rowBand({ xref: "x2", yref: "y2", first: 0, last: p.out_steps - 1, features: p.features, line: EMPTY_SLOT, pad: 0.02 }),
    rowBand({ xref: "x2", yref: "y2", first: step, last: step, features: p.features, line: WINDOW }),
    rowBand({ first: frame.start, last: frame.stop - 1, features: p.features, line: WINDOW }),
  ];
  if (frame.winners) {
    frame.winners.forEach((row, col) => shapes.push(...cellOutline({ col, row })));
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
  const left = labelMargin(ticktext);
  const right = 78;
  const colPx = ((widthPx - left - right) * (INPUT_DOMAIN[1] - INPUT_DOMAIN[0])) / p.features;
  const showText = textFits(rowPx, colPx);
  const limit = symmetricLimit(trace.x);
  const outTop = 1;
  const outBottom = 1 - heightFraction(p.out_steps, totalRows);
  const verb = p.kind === "max" ? "max" : "mean";

  const data = [
    matrixTrace({ z: trace.x, rows: range(0, p.steps), labels: trace.tokens, limit, showText }),
    paddingTrace({ first, last, isPadding, features: p.features, showText }),
    matrixTrace({
      z: partialOutput(p, step),
      rows: range(0, p.out_steps),
      labels: range(0, p.out_steps).map((i) => `window ${i + 1}`),
      xaxis: "x2",
      yaxis: "y2",
      limit,
      showText,
    }),
  ];
  const layout = {
    ...baseLayout({
      height: (totalRows + 2 * EDGE) * rowPx + MARGIN_TOP + MARGIN_BOTTOM,
      margin: { l: left, r: right, t: MARGIN_TOP, b: MARGIN_BOTTOM },
    }),
    xaxis: featureAxis({ features: p.features, domain: INPUT_DOMAIN, anchor: "y" }),
    yaxis: rowAxis({ first, last, domain: [0, 1], anchor: "x", tickvals, ticktext }),
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
    /** Move to another step: shapes and the output's cells only, no re-plot. */
    async show(step) {
      if (!current) return;
      const z = partialOutput(current.pooling, step);
      await Plotly.update(
        gd,
        { z: [z], text: [z.map((row) => row.map(cellText))] },
        { shapes: stepShapes(current, step) },
        [OUTPUT_TRACE],
      );
    },
  };
}
