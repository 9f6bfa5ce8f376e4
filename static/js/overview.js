// The whole sentence in a narrow strip beside the sliding view, shown when
// the sentence is taller than the viewport: the part on screen is framed,
// the current window marked, and a click jumps the window there.
import { VIEWPORT, WINDOW } from "./colors.js";
import { PLOT_CONFIG, baseLayout, matrixTrace, plotlyText, range, rowAxis, rowBand, symmetricLimit } from "./heatmap.js";
import { t } from "./i18n.js";
import { windowOf } from "./trace.js";

export const OVERVIEW_WIDTH = 26;

/** Shapes of the strip: the rows on screen and the current window. */
function overviewShapes(trace, step, view) {
  const p = trace.pooling;
  const frame = windowOf(trace, step);
  const clampRow = (r) => Math.max(0, Math.min(p.steps - 1, r));
  return [
    {
      ...rowBand({
        first: clampRow(view.rowStart), last: clampRow(view.rowStop), left: 0, right: p.features - 1,
        line: VIEWPORT.line, fill: VIEWPORT.fill, pad: 0.3,
      }),
      name: "viewport",
    },
    {
      ...rowBand({ first: clampRow(frame.start), last: clampRow(frame.stop - 1), left: 0, right: p.features - 1, line: { ...WINDOW, width: 2 } }),
      name: "window",
    },
  ];
}

export function overviewFigure(trace, step, view, height) {
  const p = trace.pooling;
  const cols = range(0, p.features);
  const limit = symmetricLimit(trace.x);
  // Words are counted from 1 on the page; Plotly's %{y} is the row's index from 0.
  const wordOf = trace.tokens.map((word, i) => `<b>${plotlyText(word)}</b> ${plotlyText(t("page.overview.word", { number: String(i + 1) }))}`);
  const data = [matrixTrace({
    z: trace.x, rows: range(0, p.steps), cols, labels: trace.tokens, limit, showText: false, text: [],
    customdata: trace.x.map((row, i) => row.map(() => wordOf[i])),
    hover: `%{customdata}<extra>${plotlyText(t("page.overview.click"))}</extra>`,
  })];
  data[0].xgap = 0;
  data[0].ygap = 0;
  const layout = {
    ...baseLayout({ width: OVERVIEW_WIDTH, height, margin: { l: 2, r: 2, t: 40, b: 8 } }),
    xaxis: { range: [-0.5, p.features - 0.5], visible: false, fixedrange: true },
    yaxis: { ...rowAxis({ first: 0, last: p.steps - 1, domain: [0, 1], anchor: "x", tickvals: [], ticktext: [] }), showticklabels: false },
    shapes: overviewShapes(trace, step, view),
    annotations: [{
      xref: "paper", yref: "paper", x: 0.5, y: 1, yshift: 6, yanchor: "bottom", showarrow: false,
      text: plotlyText(t("page.overview.all")), font: { size: 11, color: "#4a4e59" },
    }],
  };
  return { data, layout };
}

export function createOverview(gd, onJump) {
  let bound = false;
  let drawn = null;
  return {
    /** Draw the strip for a new trace or size; a step only moves its two frames. */
    async render(trace, step, view, height) {
      const shown = view.rowStart > 0 || view.rowStop < trace.pooling.steps - 1;
      gd.hidden = !shown;
      if (!shown) {
        drawn = null;
        return;
      }
      if (drawn && drawn.trace === trace && drawn.height === height) {
        await Plotly.relayout(gd, { shapes: overviewShapes(trace, step, view) });
        return;
      }
      const { data, layout } = overviewFigure(trace, step, view, height);
      await Plotly.react(gd, data, layout, { ...PLOT_CONFIG, displayModeBar: false });
      drawn = { trace, height };
      if (!bound) {
        // Plotly's click event names the cell; only rows matter here.
        gd.on("plotly_click", (event) => {
          const point = event.points && event.points[0];
          if (point) onJump(Math.round(point.y));
        });
        bound = true;
      }
    },
  };
}
