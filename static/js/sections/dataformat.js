// Section 11: which axis a 1-D pooling layer pools. The sentence channels
// last and channels first, the vector pooled over the steps in both, and
// what channels_first on channels-last data gives: one number per word.
import { vectorText } from "../caption.js";
import { PLOT_CONFIG, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey } from "./next.js";
import { featureColumns, numbersTable } from "./table.js";

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
        { title: "<b>pooled over the steps</b>, either way", z: [g.max], labels: ["vector"], limit, newLine: true },
        {
          title: "<b>wrong axis</b>: pooled over the features", z: [g.per_step], labels: ["per word"], limit, colLabels: tokens,
          newLine: true,
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);
      part(root, "status").textContent = `Your sentence: ${shapeText([1, steps, features])} channels last, `
        + `${shapeText([1, features, steps])} channels first, ${shapeText([1, features, steps])} in PyTorch's (N, C, L).`;
      part(root, "note").textContent = `Pooled over the steps, both layouts give ${vectorText(g.max)}, shape ${shapeText([1, features])}. `
        + `Pooled over the wrong axis, the same numbers give ${vectorText(g.per_step)}, shape ${shapeText([1, steps])}: `
        + "one value per word. The shape is the tell: the pooled axis is the one that disappears.";
      programBoxes(part(root, "code"), [
        { title: "Keras: data_format", program: answer.programs.data_format_keras, claim: "program-data-format-keras", testId: "data-format-keras-program" },
        { title: "PyTorch: permute(0, 2, 1), then pool", program: answer.programs.data_format_pytorch, claim: "program-data-format-pytorch", testId: "data-format-pytorch-program" },
      ]);
      part(root, "table").replaceChildren(
        numbersTable({
          caption: "Pooled over the steps (either layout)", corner: "layer → shape", columns,
          rows: [{ label: `GlobalMaxPooling1D() → ${shapeText([1, features])}`, values: g.max }],
          testId: "data-format-table",
        }),
        numbersTable({
          caption: "Pooled over the features by mistake", corner: "layer → shape", columns: tokens.map((t, r) => `${r} ${t}`),
          rows: [{ label: `GlobalMaxPooling1D(data_format="channels_first") → ${shapeText([1, steps])}`, values: g.per_step }],
          testId: "data-format-wrong-table",
        }),
      );
    },
  });
}
