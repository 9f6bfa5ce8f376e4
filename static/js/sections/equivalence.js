// Section 1: MaxPooling1D(pool_size=steps) beside GlobalMaxPooling1D() and
// GlobalMaxPooling1D(keepdims=True): the same numbers, three shapes.
//
// The windowed layer is the tool's own /api/trace with pool_size = the
// number of words, strides None and padding "valid"; the global vector comes
// from the same answer. keepdims=True changes only the shape (NumPy's
// keepdims), so its row is that vector with the steps axis kept.
import { vectorText } from "../caption.js";
import { featureName, symmetricLimit } from "../heatmap.js";
import { PLOT_CONFIG } from "../heatmap.js";
import { joinList, t } from "../i18n.js";
import { panelsFigure } from "./figure.js";
import { createSection, part, post } from "./section.js";
import { featureColumns, numbersTable } from "./table.js";

const shapeText = (shape) => `(${shape.join(", ")})`;

export function createEquivalence(root, api) {
  const plot = part(root, "plot");
  return createSection(root, {
    key: ({ request }) => JSON.stringify({ ...request, pool_size: null, strides: null, padding: null }),
    async load({ trace, request }, signal) {
      const steps = trace.tokens.length;
      return post(api.trace, { ...request, pool_size: steps, strides: null, padding: "valid" }, signal);
    },
    async render(answer) {
      const p = answer.pooling;
      const g = answer.global;
      const windowed = p.output[0];
      const keepShape = [g.output_shape[0], 1, g.output_shape[1]];
      const globalName = g.name;
      const rows = [
        { call: `${p.name}(pool_size=${p.config.pool_size})`, shape: p.output_shape, values: windowed },
        { call: `${globalName}()`, shape: g.output_shape, values: g.output },
        { call: `${globalName}(keepdims=True)`, shape: keepShape, values: g.output },
      ];
      const limit = symmetricLimit(answer.x);
      // Every word that holds a feature's maximum is framed: a tie's value is shared.
      const winners = g.kind === "max"
        ? g.output.flatMap((value, col) => answer.x.map((row, r) => (row[col] === value ? { row: r, col } : null)).filter(Boolean))
        : [];
      const { data, layout } = panelsFigure([
        {
          title: t("sections.figure.input_html", { shape: shapeText(p.input_shape) }), z: answer.x, labels: answer.tokens, limit, outlines: winners,
          outlineName: "winner",
        },
        ...rows.map((r, i) => ({
          title: `<b>${r.call}</b> → ${shapeText(r.shape)}`, z: [r.values], labels: [[t("sections.label.output"), t("sections.label.vector"), t("sections.label.output")][i]], limit,
          newLine: i > 0,
        })),
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      const differ = windowed.map((v, f) => (v === g.output[f] ? null : featureName(f))).filter(Boolean);
      const words = answer.tokens.length;
      const noteBox = part(root, "note");
      noteBox.textContent = differ.length === 0
        ? t("sections.equivalence.same", {
          count: words, call: `${p.name}(pool_size=${words})`, vector: vectorText(g.output),
          shapes: joinList([p.output_shape, g.output_shape, keepShape].map(shapeText)),
        })
        : t("sections.equivalence.differ", {
          features: differ.join(", "), windowed: vectorText(windowed), global: vectorText(g.output),
        });
      part(root, "status").textContent = t("sections.equivalence.status", { words: String(words) });
      part(root, "table").replaceChildren(numbersTable({
        caption: t("sections.equivalence.caption"),
        corner: t("sections.corner.layer_shape"),
        columns: featureColumns(g.output.length),
        rows: rows.map((r) => ({ label: `${r.call} → ${shapeText(r.shape)}`, values: r.values })),
        testId: "equivalence-table",
      }));
    },
  });
}
