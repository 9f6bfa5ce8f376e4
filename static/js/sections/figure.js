// Several labelled matrices in one Plotly figure, for the guided sections.
//
// Panels flow left to right and wrap onto a new line when the width runs
// out, so a phone stacks them and a laptop shows them side by side. Each
// panel is drawn with the tool's own builders (matrixTrace, featureAxis,
// rowAxis, cellOutline, rowBand), on its own pair of axes; cells keep a
// legible size, and a panel wider than the screen shows its first columns
// and says so in its title.
import {
  baseLayout, cellOutline, featureAxis, labelMargin, matrixTrace, paperLabel, plotlyText, range, rowAxis, rowBand,
} from "../heatmap.js";
import { t } from "../i18n.js";

export const ROW_PX = 30;
const COL_MAX = 66;
const COL_MIN = 46;
const TITLE_PX = 44;
const LINE_GAP = 14;
const PANEL_GAP = 26;
const FONT_SIZE = 13;
// A panel shows at most this many rows; the section's table has them all.
export const MAX_ROWS = 24;

/** Axis names of panel `i`: x, y for the first, then x2, y2, ... */
function axes(i) {
  const n = i === 0 ? "" : String(i + 1);
  return { x: `x${n}`, y: `y${n}`, xKey: `xaxis${n}`, yKey: `yaxis${n}` };
}

/**
 * A figure of `panels` fitting `width` pixels.
 *
 * A panel is { title, z (rows x columns), labels (one per row), limit,
 * colLabels (optional, else f0, f1, ... by index), text, customdata, hover,
 * outlines: [{row, col}], bands: [{first, last, line}], newLine (start a
 * new line of panels) }. Rows past MAX_ROWS are left out and the
 * title says so.
 * Returns { data, layout, shown: [columns shown per panel] }.
 */
export function panelsFigure(allPanels, width) {
  const panels = allPanels.map((p) => (p.z.length > MAX_ROWS
    ? { ...p, z: p.z.slice(0, MAX_ROWS), labels: p.labels.slice(0, MAX_ROWS), text: p.text?.slice(0, MAX_ROWS),
      customdata: p.customdata?.slice(0, MAX_ROWS), rowsCut: p.z.length,
      outlines: p.outlines?.filter((o) => o.row < MAX_ROWS),
      bands: p.bands?.filter((b) => b.first < MAX_ROWS).map((b) => ({ ...b, last: Math.min(b.last, MAX_ROWS - 1) })) }
    : p));
  const room = Math.max(width, 240);
  const labelW = panels.map((p) => labelMargin(p.labels, FONT_SIZE + 1));
  const cols = panels.map((p) => p.z[0]?.length ?? 0);
  // The column width: as wide as fits all panels on one line, within the limits.
  const fixed = labelW.reduce((a, b) => a + b, 0) + PANEL_GAP * (panels.length - 1) + 8;
  const totalCols = cols.reduce((a, b) => a + b, 0);
  const colPx = Math.max(COL_MIN, Math.min(COL_MAX, Math.floor((room - fixed) / Math.max(totalCols, 1))));
  // Columns each panel can show on a line of its own.
  const shown = cols.map((c, i) => Math.max(1, Math.min(c, Math.floor((room - labelW[i] - 8) / colPx))));

  // Place panels on lines.
  const boxes = [];
  let x = 0;
  let line = 0;
  let lineTop = 0;
  let lineHeight = 0;
  panels.forEach((p, i) => {
    const w = labelW[i] + shown[i] * colPx;
    if (x > 0 && (x + w > room || p.newLine)) {
      line += 1;
      lineTop += lineHeight + LINE_GAP;
      x = 0;
      lineHeight = 0;
    }
    const h = TITLE_PX + p.z.length * ROW_PX;
    boxes.push({ left: x + labelW[i], top: lineTop + TITLE_PX, w: shown[i] * colPx, h: p.z.length * ROW_PX, line });
    lineHeight = Math.max(lineHeight, h);
    x += w + PANEL_GAP;
  });
  // The whole width: titles longer than their panel stay readable.
  const figW = room;
  const figH = lineTop + lineHeight + 6;
  const fx = (px) => px / figW;
  const fy = (px) => 1 - px / figH;

  const data = [];
  const shapes = [];
  const annotations = [];
  const layout = { ...baseLayout({ width: figW, height: figH, margin: { l: 0, r: 0, t: 0, b: 0 } }) };
  panels.forEach((p, i) => {
    const box = boxes[i];
    const ax = axes(i);
    const colIdx = range(0, shown[i]);
    const rows = range(0, p.z.length);
    const z = p.z.map((row) => row.slice(0, shown[i]));
    const cut = (m) => m && m.map((row) => row.slice(0, shown[i]));
    data.push(matrixTrace({
      z, rows, cols: colIdx, labels: p.labels, xaxis: ax.x, yaxis: ax.y, limit: p.limit,
      text: cut(p.text), customdata: cut(p.customdata), hover: p.hover ?? "value", fontSize: colPx < 52 ? 12 : FONT_SIZE,
    }));
    const xDomain = [fx(box.left), fx(box.left + box.w)];
    const yDomain = [fy(box.top + box.h), fy(box.top)];
    const xAxis = featureAxis({ first: 0, last: shown[i] - 1, domain: xDomain, anchor: ax.y, fontSize: 12 });
    if (p.colLabels) xAxis.ticktext = colIdx.map((c) => plotlyText(p.colLabels[c]));
    layout[ax.xKey] = xAxis;
    layout[ax.yKey] = rowAxis({
      first: 0, last: rows.length - 1, domain: yDomain, anchor: ax.x, tickvals: rows, ticktext: p.labels,
      fontSize: FONT_SIZE + 1,
    });
    const colsCut = shown[i] < cols[i];
    let more = "";
    if (p.rowsCut && colsCut) {
      more = ` ${t("sections.figure.cut_both", { rows: MAX_ROWS, total_rows: p.rowsCut, columns: shown[i], total_columns: cols[i] })}`;
    } else if (p.rowsCut) {
      more = ` ${t("sections.figure.cut_rows", { shown: MAX_ROWS, total: p.rowsCut })}`;
    } else if (colsCut) {
      more = ` ${t("sections.figure.cut_columns", { shown: shown[i], total: cols[i] })}`;
    }
    annotations.push(paperLabel({
      text: `${p.title}${plotlyText(more)}`, x: fx(box.left - labelW[i]), y: fy(box.top), xanchor: "left",
      yanchor: "bottom", yshift: 22, size: FONT_SIZE, color: p.titleColor ?? undefined,
    }));
    for (const { row, col } of p.outlines ?? []) {
      if (col < shown[i]) for (const s of cellOutline({ xref: ax.x, yref: ax.y, col, row })) shapes.push({ ...s, name: p.outlineName ?? "outline" });
    }
    for (const b of p.bands ?? []) {
      shapes.push({
        ...rowBand({ xref: ax.x, yref: ax.y, first: b.first, last: b.last, left: b.left ?? 0, right: Math.min(b.right ?? shown[i] - 1, shown[i] - 1), line: b.line, fill: b.fill }),
        name: b.name ?? "band",
      });
    }
  });
  layout.shapes = shapes;
  layout.annotations = annotations;
  return { data, layout, shown };
}
