// The right view: a global pooling layer collapsing the sentence to one vector.
import { MUTED } from "./colors.js";
import {
  EDGE, PLOT_CONFIG, baseLayout, cellFontSize, cellOutline, cellText, featureAxis, matrixTrace, paperLabel,
  plotlyText, range, rowAxis, rowPixels, shortLabel, symmetricLimit, textFits,
} from "./heatmap.js";
import { labelMargin } from "./sliding.js";

const INPUT_DOMAIN = [0, 0.43];
const OUTPUT_DOMAIN = [0.57, 1];
const OUTPUT_ROW_PX = 50;
const MARGIN_TOP = 50;
const MARGIN_BOTTOM = 12;

/** What each output entry says under its value: the winning word, or "mean". */
function entryLabels(trace) {
  const g = trace.global;
  if (g.winners) return g.winners.map((row) => trace.tokens[row]);
  return g.output.map(() => "mean");
}

export function globalFigure(trace, widthPx) {
  const g = trace.global;
  const steps = trace.tokens.length;
  const features = g.output.length;
  const rowPx = rowPixels(steps);
  const outRowPx = Math.max(OUTPUT_ROW_PX, rowPx);
  const plotHeight = Math.max((steps + 2 * EDGE) * rowPx, (1 + 2 * EDGE) * outRowPx);
  const fontSize = cellFontSize(rowPx);
  const left = labelMargin(trace.tokens, fontSize + 1);
  const right = 78;
  const colPx = ((widthPx - left - right) * (INPUT_DOMAIN[1] - INPUT_DOMAIN[0])) / features;
  const showText = textFits(rowPx, colPx);
  const limit = symmetricLimit(trace.x);
  const labels = entryLabels(trace);
  const outBottom = 1 - ((1 + 2 * EDGE) * outRowPx) / plotHeight;
  const verb = g.kind === "max" ? "max" : "mean";
  const entryText = g.output.map((v, f) => `${cellText(v)}<br><i>${plotlyText(shortLabel(labels[f], 8))}</i>`);

  const data = [
    matrixTrace({ z: trace.x, rows: range(0, steps), labels: trace.tokens, limit, showText, fontSize }),
    matrixTrace({
      z: [g.output],
      rows: [0],
      labels: [g.name],
      xaxis: "x2",
      yaxis: "y2",
      limit,
      showText: textFits(outRowPx, colPx),
      fontSize,
      text: [showText ? entryText : g.output.map(cellText)],
      hover: g.winners
        ? "feature %{x}: %{z:.2f}<br>from %{customdata}<extra></extra>"
        : "feature %{x}: %{z:.2f}<br>mean over every word<extra></extra>",
    }),
  ];
  // The hover names the winning word of each entry.
  data[1].customdata = [labels.map(plotlyText)];

  const shapes = g.winners ? g.winners.flatMap((row, col) => cellOutline({ col, row })) : [];
  const layout = {
    ...baseLayout({
      height: plotHeight + MARGIN_TOP + MARGIN_BOTTOM,
      margin: { l: left, r: right, t: MARGIN_TOP, b: MARGIN_BOTTOM },
    }),
    xaxis: featureAxis({ features, domain: INPUT_DOMAIN, anchor: "y" }),
    yaxis: rowAxis({
      first: 0,
      last: steps - 1,
      domain: [0, 1],
      anchor: "x",
      tickvals: range(0, steps),
      ticktext: trace.tokens,
      fontSize: fontSize + 1,
    }),
    xaxis2: featureAxis({ features, domain: OUTPUT_DOMAIN, anchor: "y2" }),
    yaxis2: rowAxis({
      first: 0,
      last: 0,
      domain: [outBottom, 1],
      anchor: "x2",
      side: "right",
      tickvals: [0],
      ticktext: ["output"],
      fontSize: 12,
    }),
    annotations: [
      paperLabel({ text: `<b>input</b>  ${steps} × ${features}`, x: 0.215, y: 1, yshift: 20 }),
      paperLabel({ text: `<b>output</b>  ${features}`, x: 0.785, y: 1, yshift: 20 }),
      paperLabel({
        text: `${verb} over<br>all words →`,
        x: 0.5,
        y: 1 - ((0.5 + EDGE) * outRowPx) / plotHeight,
        yanchor: "middle",
        size: 12,
        color: MUTED,
      }),
    ],
    shapes,
  };
  return { data, layout };
}

export function createGlobalView(gd) {
  return {
    async render(trace) {
      const { data, layout } = globalFigure(trace, gd.clientWidth || 640);
      await Plotly.react(gd, data, layout, PLOT_CONFIG);
    },
  };
}
