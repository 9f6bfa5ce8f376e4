// Section 11: which axis a 1-D pooling layer pools. The sentence channels
// last and channels first, the vector pooled over the steps in both, and
// what channels_first on channels-last data gives: one number per word.
import { vectorText } from "../caption.js";
import { PLOT_CONFIG, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey } from "./next.js";
import { featureColumns, numbersTable } from "./table.js";
import { t } from "../i18n.js";

export function createDataFormat(root, api) {
  const plot = part(root, "plot");
  return createSection(root, {
    key: sourceKey,
    load: (context, signal) => loadQuestions(api.questions, context, signal),
    async render(answer) {
      const g = answer.global;
      const [, steps, features] = answer.input_shape;
      const { tokens } = answer;
      const limit = symmetricLimit(answer.x);
      const columns = featureColumns(features);
      const { data, layout } = panelsFigure([
        { title: `<b>channels_last</b> ${shapeText([1, steps, features])}`, z: answer.x, labels: tokens, limit },
        {
          title: `<b>channels_first</b> ${shapeText([1, features, steps])}`, z: g.channels_first, labels: columns, limit,
          colLabels: tokens,
        },
        { title: t("sections.dataformat.steps_html"), z: [g.max], labels: [t("sections.label.vector")], limit, newLine: true },
        {
          title: t("sections.dataformat.wrong_html"), z: [g.per_step], labels: [t("sections.dataformat.per_word")], limit, colLabels: tokens,
          newLine: true,
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);
      part(root, "status").textContent = t("sections.dataformat.status", {
        last: shapeText([1, steps, features]), first: shapeText([1, features, steps]),
      });
      part(root, "note").textContent = t("sections.dataformat.note", {
        vector: vectorText(g.max), shape: shapeText([1, features]), wrong: vectorText(g.per_step), wrong_shape: shapeText([1, steps]),
      });
      programBoxes(part(root, "code"), [
        { title: t("sections.dataformat.program_keras"), program: answer.programs.data_format_keras, claim: "program-data-format-keras", testId: "data-format-keras-program" },
        { title: t("sections.dataformat.program_torch"), program: answer.programs.data_format_pytorch, claim: "program-data-format-pytorch", testId: "data-format-pytorch-program" },
      ]);
      part(root, "table").replaceChildren(
        numbersTable({
          caption: t("sections.dataformat.caption"), corner: t("sections.corner.layer_shape"), columns,
          rows: [{ label: `GlobalMaxPooling1D() → ${shapeText([1, features])}`, values: g.max }],
          testId: "data-format-table",
        }),
        numbersTable({
          caption: t("sections.dataformat.wrong_caption"), corner: t("sections.corner.layer_shape"), columns: tokens.map((t, r) => `${r} ${t}`),
          rows: [{ label: `GlobalMaxPooling1D(data_format="channels_first") → ${shapeText([1, steps])}`, values: g.per_step }],
          testId: "data-format-wrong-table",
        }),
      );
    },
  });
}
