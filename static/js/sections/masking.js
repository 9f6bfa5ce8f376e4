// Section 12: masking in a real pipeline. The sentence padded after its
// words with zero rows, GlobalMaxPooling1D (which ignores a mask) beside the
// masked max; the numbers are POST /api/questions' "masking".
import { vectorText } from "../caption.js";
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey } from "./next.js";
import { featureColumns, numbersTable } from "./table.js";
import { joinList, t } from "../i18n.js";

export function createMasking(root, api) {
  const plot = part(root, "plot");
  return createSection(root, {
    key: sourceKey,
    load: (context, signal) => loadQuestions(api.questions, context, signal),
    async render(answer) {
      const m = answer.masking;
      const { tokens } = answer;
      const steps = tokens.length;
      const features = m.masked_max.output.length;
      const rowLabels = m.mask.map((word, r) => `${r} ${word ? tokens[r] : t("sections.batch.pad")}`);
      const limit = symmetricLimit(m.x);
      const { data, layout } = panelsFigure([
        {
          title: t("sections.masking.padded_html", { shape: shapeText(m.padded_shape) }), z: m.x, labels: rowLabels,
          limit, outlines: m.global_max.winners.map((row, col) => ({ row, col })), outlineName: "winner",
        },
        {
          title: `<b>GlobalMaxPooling1D()</b> → ${shapeText([1, features])}`, z: [m.global_max.output], labels: [t("sections.masking.no_mask")],
          limit, newLine: true,
        },
        {
          title: t("sections.figure.masked_max_html", { shape: shapeText([1, features]) }), z: [m.masked_max.output],
          labels: [t("sections.masking.masked")], limit,
          newLine: true,
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      const zeros = t("sections.masking.zero_rows", { count: m.padding });
      part(root, "status").textContent = t("sections.masking.status", { count: steps, zeros, shape: shapeText(m.padded_shape) });
      const won = m.global_max.padding_won.flatMap((yes, f) => (yes ? [f] : []));
      const global = vectorText(m.global_max.output);
      part(root, "note").textContent = won.length === 0
        ? t("sections.masking.none_won", { zeros, global })
        : t("sections.masking.won", {
          zeros, global, features: joinList(won.map(featureName)),
          best: joinList(won.map((f) => t("sections.masking.best", { feature: featureName(f), value: shortNumber(m.masked_max.output[f]) }))),
          masked: vectorText(m.masked_max.output),
        });
      programBoxes(part(root, "code"), [{
        title: t("sections.masking.program"), program: m.program, claim: "program-masking",
        testId: "masking-program",
      }]);
      const columns = featureColumns(features);
      part(root, "table").replaceChildren(
        numbersTable({
          caption: t("sections.masking.caption"), corner: t("sections.corner.layer_shape"), columns,
          rows: [
            { label: `GlobalMaxPooling1D() → ${shapeText([1, features])}`, values: m.global_max.output },
            { label: t("sections.masking.won_by"), values: m.global_max.winners.map((r) => rowLabels[r]) },
            { label: t("sections.masking.masked_row", { shape: shapeText([1, features]) }), values: m.masked_max.output },
            { label: t("sections.masking.average_row", { shape: shapeText([1, features]) }), values: m.masked_average },
          ],
          testId: "masking-table",
        }),
        numbersTable({
          caption: t("sections.masking.rows_caption"), corner: t("sections.argmax.label_row"), columns: [...columns, t("sections.masking.col_mask")],
          rows: m.x.map((values, r) => ({ label: rowLabels[r], values: [...values, m.mask[r] ? "True" : "False"] })),
          testId: "masking-rows-table",
        }),
      );
    },
  });
}
