// Section 12: masking in a real pipeline. The sentence padded after its
// words with zero rows, GlobalMaxPooling1D (which ignores a mask) beside the
// masked max; the numbers are POST /api/questions' "masking".
import { joinAnd, plural, vectorText } from "../caption.js";
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey } from "./next.js";
import { featureColumns, numbersTable } from "./table.js";

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
      const rowLabels = m.mask.map((word, r) => `${r} ${word ? tokens[r] : "pad"}`);
      const limit = symmetricLimit(m.x);
      const { data, layout } = panelsFigure([
        {
          title: `<b>padded</b> ${shapeText(m.padded_shape)}, winners framed`, z: m.x, labels: rowLabels,
          limit, outlines: m.global_max.winners.map((row, col) => ({ row, col })), outlineName: "winner",
        },
        {
          title: `<b>GlobalMaxPooling1D()</b> → ${shapeText([1, features])}`, z: [m.global_max.output], labels: ["no mask"],
          limit, newLine: true,
        },
        {
          title: `<b>masked max</b> → ${shapeText([1, features])}`, z: [m.masked_max.output], labels: ["masked"], limit,
          newLine: true,
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      part(root, "status").textContent = `Your sentence: ${plural(steps, "word")} and ${plural(m.padding, "zero row")} after them, `
        + `${shapeText(m.padded_shape)}; the mask is True on the ${plural(steps, "word")}, False on the padding.`;
      const won = m.global_max.padding_won.flatMap((yes, f) => (yes ? [f] : []));
      const padded = `Padded with ${plural(m.padding, "zero row")}, GlobalMaxPooling1D gives ${vectorText(m.global_max.output)}`;
      part(root, "note").textContent = won.length === 0
        ? `${padded}, the same as the masked max: every feature has a word at 0 or above, so the padding's 0 wins nothing here. `
          + "A feature whose words are all negative would be won by the padding."
        : `${padded}: the padding wins ${joinAnd(won.map(featureName))}, `
          + `where every word is negative (${joinAnd(won.map((f) => `${featureName(f)}'s best word is ${shortNumber(m.masked_max.output[f])}`))}). `
          + `The masked max gives ${vectorText(m.masked_max.output)}, what the words alone give.`;
      programBoxes(part(root, "code"), [{
        title: "Keras: pad_sequences, mask_zero and a masked max", program: m.program, claim: "program-masking",
        testId: "masking-program",
      }]);
      const columns = featureColumns(features);
      part(root, "table").replaceChildren(
        numbersTable({
          caption: "GlobalMaxPooling1D, the masked max and the masked average", corner: "layer → shape", columns,
          rows: [
            { label: `GlobalMaxPooling1D() → ${shapeText([1, features])}`, values: m.global_max.output },
            { label: "won by", values: m.global_max.winners.map((r) => rowLabels[r]) },
            { label: `masked max → ${shapeText([1, features])}`, values: m.masked_max.output },
            { label: `GlobalAveragePooling1D() with the mask → ${shapeText([1, features])}`, values: m.masked_average },
          ],
          testId: "masking-table",
        }),
        numbersTable({
          caption: "The padded rows and the mask", corner: "row", columns: [...columns, "mask"],
          rows: m.x.map((values, r) => ({ label: rowLabels[r], values: [...values, m.mask[r] ? "True" : "False"] })),
          testId: "masking-rows-table",
        }),
      );
    },
  });
}
