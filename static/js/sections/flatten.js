// Section 7: Flatten or global pooling before Dense. The classic question's
// models with Flatten() where they make one vector, for the question's
// (6, 10) and for the sentence above; and the error Keras gives when a
// Flatten model meets a sentence one word longer than it was built for.
import { createSection, part } from "./section.js";
import { count, loadQuestions, programBoxes, shapeText, sourceKey, summaryTable, tableBox } from "./next.js";
import { numbersTable } from "./table.js";

const TITLES = {
  windowed_flatten: "LSTM, MaxPooling1D, then Flatten() in place of LSTM(10)",
  global_flatten: "LSTM, then Flatten() in place of GlobalMaxPooling1D()",
};
const POOLED = {
  windowed_flatten: "with the second LSTM(10)",
  global_flatten: "with GlobalMaxPooling1D()",
};
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function modelTable(model, shape) {
  return tableBox(summaryTable({
    caption: `${TITLES[model.name]}. Input ${shapeText(shape)}`,
    rows: model.rows.map((row) => ({ ...row, mark: row.layer === "Flatten" ? "one vector" : undefined })),
    total: model.total_params,
    testId: `flatten-${model.name}-${shape.join("x")}`,
    highlight: (row) => row.layer === "Flatten",
  }), TITLES[model.name]);
}

export function createFlatten(root, api) {
  return createSection(root, {
    key: sourceKey,
    load: (context, signal) => loadQuestions(api.questions, context, signal),
    render(answer) {
      const { flatten } = answer;
      const [, steps, features] = answer.input_shape;
      const mine = flatten.sentence;
      const global = mine.models.find((m) => m.name === "global_flatten");
      const size = steps * 16;
      part(root, "status").textContent = `Your sentence: ${plural(steps, "word")} of ${plural(features, "feature")}. `
        + `LSTM(16, return_sequences=True) gives ${shapeText([steps, 16])}; Flatten() makes that ${steps} × 16 = ${size} values, `
        + `GlobalMaxPooling1D() 16. With Flatten the model has ${count(global.total_params)} parameters, `
        + `${count(global.pooled_total_params)} with global pooling.`;
      part(root, "plot").replaceChildren(
        ...mine.models.map((m) => modelTable(m, [steps, features])),
        ...(steps === 6 && features === 10 ? [] : flatten.question.models.map((m) => modelTable(m, [6, 10]))),
      );
      part(root, "note").textContent = `Built for your ${plural(steps, "word")} and given a sentence of ${flatten.received_steps} words, `
        + `the Flatten model stops: Dense was built for ${size} inputs and receives ${flatten.received_steps * 16}. Keras 3 says:`;
      part(root, "error").textContent = flatten.error;
      part(root, "variable-error").textContent = flatten.variable_error;
      programBoxes(part(root, "code"), [{
        title: "Keras: the Flatten model meets a longer sentence",
        program: flatten.program,
        claim: "program-flatten",
        testId: "flatten-program",
      }]);
      const rows = [];
      for (const group of [flatten.sentence, flatten.question]) {
        if (group === flatten.question && steps === 6 && features === 10) continue;
        for (const m of group.models) {
          const flat = m.rows.find((r) => r.layer === "Flatten");
          rows.push({
            label: `${TITLES[m.name]}, input ${shapeText([group.steps, group.features])}`,
            values: [flat.output_shape[1], count(m.rows.at(-1).params), count(m.total_params), `${count(m.pooled_total_params)} ${POOLED[m.name]}`],
          });
        }
      }
      part(root, "table").replaceChildren(numbersTable({
        caption: "Parameters with Flatten, and with the layer it replaces",
        corner: "model",
        columns: ["values after Flatten", "Dense parameters", "total", "instead"],
        rows,
        testId: "flatten-table",
      }));
    },
  });
}
