// Section 8: global max, global average, or both side by side, on the
// sentence above; the numbers are POST /api/questions' "global".
import { vectorText } from "../caption.js";
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey } from "./next.js";
import { featureColumns, numbersTable } from "./table.js";
import { t } from "../i18n.js";

export function createConcat(root, api) {
  const plot = part(root, "plot");
  return createSection(root, {
    key: sourceKey,
    load: (context, signal) => loadQuestions(api.questions, context, signal),
    async render(answer) {
      const g = answer.global;
      const features = g.max.length;
      const columns = featureColumns(features);
      const both = [
        ...columns.map((c) => t("sections.concat.col_max", { feature: c })), ...columns.map((c) => t("sections.concat.col_avg", { feature: c })),
      ];
      const limit = symmetricLimit(answer.x);
      const { data, layout } = panelsFigure([
        {
          title: t("sections.figure.input_html", { shape: shapeText(answer.input_shape) }), z: answer.x, labels: answer.tokens, limit,
          outlines: g.argmax.map((row, col) => ({ row, col })), outlineName: "winner",
        },
        { title: `<b>GlobalMaxPooling1D()</b> → ${shapeText([1, features])}`, z: [g.max], labels: [t("sections.concat.label_max")], limit, newLine: true },
        { title: `<b>GlobalAveragePooling1D()</b> → ${shapeText([1, features])}`, z: [g.average], labels: [t("sections.concat.label_average")], limit },
        {
          title: `<b>Concatenate()</b> → ${shapeText(g.concat_shape)}`, z: [g.concat], labels: [t("sections.concat.label_both")], limit, colLabels: both,
          newLine: true,
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      // Where the two disagree most: the max's winner against the rest.
      let far = 0;
      for (let f = 1; f < features; f += 1) if (Math.abs(g.max[f] - g.average[f]) > Math.abs(g.max[far] - g.average[far])) far = f;
      const words = answer.tokens.length;
      part(root, "status").textContent = t("sections.concat.status", {
        count: words, features: t("sections.flatten.features", { count: features }), values: features, both: 2 * features,
      });
      part(root, "note").textContent = words === 1
        ? t("sections.concat.one_word", { vector: vectorText(g.max) })
        : t("sections.concat.note", {
          max: vectorText(g.max), average: vectorText(g.average), feature: featureName(far), word: answer.tokens[g.argmax[far]],
          value: shortNumber(g.max[far]), mean: shortNumber(g.average[far]),
        });
      programBoxes(part(root, "code"), [{
        title: t("sections.concat.program"), program: answer.programs.concat, claim: "program-concat", testId: "concat-program",
      }]);
      part(root, "table").replaceChildren(numbersTable({
        caption: t("sections.concat.caption"),
        corner: t("sections.corner.layer_shape"),
        columns: both,
        rows: [
          { label: `GlobalMaxPooling1D() → ${shapeText([1, features])}`, values: [...g.max, ...Array(features).fill("")] },
          { label: `GlobalAveragePooling1D() → ${shapeText([1, features])}`, values: [...Array(features).fill(""), ...g.average] },
          { label: `Concatenate() → ${shapeText(g.concat_shape)}`, values: g.concat },
        ],
        testId: "concat-table",
      }));
    },
  });
}
