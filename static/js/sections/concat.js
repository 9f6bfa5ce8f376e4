// Section 8: global max, global average, or both side by side, on the
// sentence above; the numbers are POST /api/questions' "global".
import { vectorText } from "../caption.js";
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey } from "./next.js";
import { featureColumns, numbersTable } from "./table.js";

export function createConcat(root, api) {
  const plot = part(root, "plot");
  return createSection(root, {
    key: sourceKey,
    load: (context, signal) => loadQuestions(api.questions, context, signal),
    async render(answer) {
      const g = answer.global;
      const features = g.max.length;
      const columns = featureColumns(features);
      const both = [...columns.map((c) => `max ${c}`), ...columns.map((c) => `avg ${c}`)];
      const limit = symmetricLimit(answer.x);
      const { data, layout } = panelsFigure([
        {
          title: `<b>input</b> ${shapeText(answer.input_shape)}`, z: answer.x, labels: answer.tokens, limit,
          outlines: g.argmax.map((row, col) => ({ row, col })), outlineName: "winner",
        },
        { title: `<b>GlobalMaxPooling1D()</b> → ${shapeText([1, features])}`, z: [g.max], labels: ["max"], limit, newLine: true },
        { title: `<b>GlobalAveragePooling1D()</b> → ${shapeText([1, features])}`, z: [g.average], labels: ["average"], limit },
        {
          title: `<b>Concatenate()</b> → ${shapeText(g.concat_shape)}`, z: [g.concat], labels: ["both"], limit, colLabels: both,
          newLine: true,
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      // Where the two disagree most: the max's winner against the rest.
      let far = 0;
      for (let f = 1; f < features; f += 1) if (Math.abs(g.max[f] - g.average[f]) > Math.abs(g.max[far] - g.average[far])) far = f;
      const words = answer.tokens.length;
      part(root, "status").textContent = `Your sentence: ${words} word${words === 1 ? "" : "s"} of ${features} feature${features === 1 ? "" : "s"}; `
        + `the max and the average are ${features} values each, both ${2 * features}.`;
      part(root, "note").textContent = words === 1
        ? `With one word, the max and the average are the same: ${vectorText(g.max)}. They part as soon as a second word comes.`
        : `The max is ${vectorText(g.max)}; the average is ${vectorText(g.average)}. They differ most in ${featureName(far)}: `
          + `the max keeps '${answer.tokens[g.argmax[far]]}''s ${shortNumber(g.max[far])}, and the other words pull the average to `
          + `${shortNumber(g.average[far])}. Side by side, the next layer sees both.`;
      programBoxes(part(root, "code"), [{
        title: "Keras: max, average and both", program: answer.programs.concat, claim: "program-concat", testId: "concat-program",
      }]);
      part(root, "table").replaceChildren(numbersTable({
        caption: "The global max, the global average and both concatenated",
        corner: "layer → shape",
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
