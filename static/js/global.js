// The right view: a global pooling layer collapsing the sentence to one vector.
//
// When every word fits at a legible size, all of them are drawn with each
// feature's winner outlined. A longer sentence is drawn compressed: the
// words that won a feature of the band on screen, each labelled with its
// position, and between them a row saying how many words were skipped, so
// every winner stays outlined and readable at any length.
import { globalCellHover } from "./caption.js";
import { CELL, MUTED, PRESENT_CELL, PRESENT_FONT_SIZE } from "./colors.js";
import { TOP_PX, paperY, twoMatrixGeometry } from "./geometry.js";
import {
  PLOT_CONFIG, baseLayout, cellOutline, cellText, featureAxis, labelMargin, matrixTrace, paperLabel,
  plotlyText, range, rowAxis, shortLabel, slice, symmetricLimit,
} from "./heatmap.js";
import { t } from "./i18n.js";
import { band } from "./viewport.js";

const OUTPUT_ROW_MIN = 46;

/** Room on the right for the output's row label. */
const rightMargin = (fontSize, stacked) => (stacked ? 12 : Math.round(14 + 6 * fontSize * 0.6));

/**
 * The rows to draw: every word, or (compressed) the winners in the band
 * with a gap row for each run of words between them. Each item is
 * { row, label } for a word or { gap, label } for skipped words.
 */
export function displayRows(trace, cols, compressed, maxRows) {
  const steps = trace.tokens.length;
  const word = (r) => ({ row: r, label: compressed ? `${trace.tokens[r]} (${r + 1})` : trace.tokens[r] });
  if (!compressed) return range(0, steps).map(word);
  const g = trace.global;
  const keep = g.winners
    ? [...new Set(cols.map((f) => g.winners[f]))].sort((a, b) => a - b)
    : range(0, Math.max(1, maxRows - 1));
  const items = [];
  let next = 0;
  const gap = (n) => ({ gap: n, label: t("page.plot.gap", { count: n }) });
  for (const r of keep) {
    if (r > next) items.push(gap(r - next));
    items.push(word(r));
    next = r + 1;
  }
  if (next < steps) items.push(gap(steps - next));
  // Too many for the room: keep the words, drop the gap rows (positions stay in the labels).
  return items.length > maxRows ? items.filter((item) => item.gap === undefined) : items;
}

// Between the matrices side by side, the words "max over all words →", a word a line (narrow).
const BETWEEN = (verb) => (verb === "max" ? t("page.plot.between_max_html") : t("page.plot.between_mean_html")).split("<br>");
// A wide (CJK) character takes about 1.6 times the room of a Latin one at 0.62 em.
const textEms = (line) => Array.from(line).reduce((n, c) => n + (c.codePointAt(0) >= 0x2e80 ? 1.6 : 1), 0);
const betweenGap = (verb, fontSize) => Math.round(10 + Math.max(...BETWEEN(verb).map(textEms)) * (fontSize - 2) * 0.62);

/** The input's shape as its label says it: compressed to the winners, or to the first words. */
function inputShape(shape, compressed, winners) {
  if (!compressed) return shape;
  return winners ? t("page.plot.winners_only", { shape }) : t("page.plot.first_words", { shape });
}

/**
 * What the layout solver decides for the global view of `trace` in `room`,
 * with at most `maxBand` features from `bandStart`: the geometry, whether
 * the words are compressed to the winners, and the rows drawn.
 */
export function globalGeometry(trace, room, bandStart = 0, maxBand = Infinity) {
  const g = trace.global;
  const steps = trace.tokens.length;
  const features = g.output.length;
  const fontSize = room.presenting ? PRESENT_FONT_SIZE : 13;
  const sizes = (inRows, labels, most) => twoMatrixGeometry({
    width: room.width,
    height: room.height,
    left: labelMargin(labels, fontSize + 1, true),
    right: rightMargin(fontSize, room.stacked),
    rightShort: rightMargin(fontSize, true),
    gap: betweenGap(g.kind === "max" ? "max" : "mean", fontSize),
    features,
    inRows,
    outRows: 1,
    cell: room.presenting ? PRESENT_CELL : CELL,
    stacked: room.stacked,
    outRowMin: OUTPUT_ROW_MIN,
    maxBand: most,
  });
  let geo = sizes(steps, trace.tokens, maxBand);
  const compressed = geo.inShown < steps;
  let feats = band(bandStart, geo.band, features);
  let items = displayRows(trace, range(feats.first, feats.last + 1), compressed, geo.inShown);
  if (compressed) {
    // Sized again for the rows actually drawn, whose labels carry positions.
    geo = sizes(items.length, items.map((item) => item.label), geo.band);
    feats = band(bandStart, geo.band, features);
    items = displayRows(trace, range(feats.first, feats.last + 1), compressed, Math.max(geo.inShown, items.length));
  }
  return { geo, compressed, feats, items };
}

export function globalFigure(trace, room, bandStart = 0, maxBand = Infinity) {
  const g = trace.global;
  const steps = trace.tokens.length;
  const features = g.output.length;
  const fontSize = room.presenting ? PRESENT_FONT_SIZE : 13;
  const { geo, compressed, feats, items } = globalGeometry(trace, room, bandStart, maxBand);
  const cols = range(feats.first, feats.last + 1);
  const ys = range(0, items.length);
  const limit = symmetricLimit(trace.x);
  const cellFont = geo.font;
  const winnerWord = (f) => (g.winners ? trace.tokens[g.winners[f]] : "mean");
  const entryText = cols.map((f) => `${cellText(g.output[f])}<br><i>${plotlyText(shortLabel(winnerWord(f), Math.max(3, Math.floor(geo.colPx / (0.62 * cellFont)))))}</i>`);
  const z = items.map((item) => (item.gap === undefined ? cols.map((f) => trace.x[item.row][f]) : cols.map(() => null)));

  const data = [
    matrixTrace({
      z, rows: ys, cols, labels: items.map((item) => item.label), limit, fontSize: cellFont,
      hover: "<b>%{customdata}</b><br>f%{x}: %{z:.2f}<extra></extra>",
    }),
    matrixTrace({
      z: slice([g.output], [0], cols),
      rows: [0],
      cols,
      labels: [g.name],
      xaxis: "x2",
      yaxis: "y2",
      limit,
      fontSize: cellFont,
      text: [geo.outRowPx >= 40 ? entryText : cols.map((f) => cellText(g.output[f]))],
      customdata: [cols.map((f) => plotlyText(globalCellHover(trace, f)))],
      hover: "%{customdata}<extra></extra>",
    }),
  ];

  const shapes = [];
  if (g.winners) {
    const at = new Map(items.map((item, y) => [item.row, y]));
    for (const f of cols) {
      const y = at.get(g.winners[f]);
      if (y !== undefined) for (const shape of cellOutline({ col: f, row: y, colPx: geo.colPx, rowPx: geo.rowPx })) shapes.push({ ...shape, name: "winner" });
    }
  }
  const verb = g.kind === "max" ? "max" : "mean";
  const annotations = [
    paperLabel({
      text: `<b>${plotlyText(t("page.plot.input"))}</b>  ${plotlyText(inputShape(`${steps} × ${features}`, compressed, g.winners))}`,
      x: (geo.inDomainX[0] + geo.inDomainX[1]) / 2, y: geo.inDomainY[1], yshift: TOP_PX - 22, size: fontSize - 1,
    }),
    paperLabel({
      text: `<b>${plotlyText(t("page.plot.output"))}</b>  ${features}`,
      x: (geo.outDomainX[0] + geo.outDomainX[1]) / 2, y: geo.outDomainY[1], yshift: TOP_PX - 22, size: fontSize - 1,
    }),
  ];
  if (!geo.stacked) {
    annotations.push(paperLabel({
      text: BETWEEN(verb).map(plotlyText).join("<br>"),
      x: (geo.inDomainX[1] + geo.outDomainX[0]) / 2,
      y: paperY(0, 0, 0, geo.outDomainY),
      yanchor: "middle",
      size: fontSize - 2,
      color: MUTED,
    }));
  }
  const layout = {
    ...baseLayout({ width: geo.width, height: geo.height, margin: { l: geo.left, r: geo.right, t: geo.top, b: geo.bottom } }),
    xaxis: featureAxis({ first: feats.first, last: feats.last, domain: geo.inDomainX, anchor: "y", fontSize: fontSize - 1 }),
    yaxis: rowAxis({
      first: 0, last: Math.max(items.length - 1, 0), domain: geo.inDomainY, anchor: "x",
      tickvals: ys, ticktext: items.map((item) => item.label), fontSize: fontSize + 1,
    }),
    xaxis2: featureAxis({ first: feats.first, last: feats.last, domain: geo.outDomainX, anchor: "y2", fontSize: fontSize - 1 }),
    yaxis2: rowAxis({
      first: 0, last: 0, domain: geo.outDomainY, anchor: "x2", side: "right", tickvals: [0], ticktext: [geo.stacked || geo.shortLabels ? "" : plotlyText(t("page.plot.output"))], fontSize: fontSize - 1,
    }),
    annotations,
    shapes,
  };
  return {
    data, layout, view: { compressed, rows: items, bandFirst: feats.first, bandLast: feats.last, bandSize: geo.band, features },
  };
}

export function createGlobalView(gd) {
  return {
    async render(trace, room, bandStart, maxBand) {
      const { data, layout, view } = globalFigure(trace, room, bandStart, maxBand);
      await Plotly.react(gd, data, layout, PLOT_CONFIG);
      return view;
    },
  };
}
