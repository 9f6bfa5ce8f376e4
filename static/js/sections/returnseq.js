// Section 10: return_sequences=True before pooling. The shapes of the two
// ways to write it on the sentence above, and the error Keras gives for
// GlobalMaxPooling1D on an LSTM's last output alone.
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey, summaryTable, tableBox } from "./next.js";

export function createReturnSequences(root, api) {
  return createSection(root, {
    key: sourceKey,
    load: (context, signal) => loadQuestions(api.questions, context, signal),
    render(answer) {
      const s = answer.return_sequences;
      const [, steps] = s.input;
      const words = `${steps} word${steps === 1 ? "" : "s"}`;
      const input = { call: "Input", output_shape: s.input };
      const wrong = summaryTable({
        caption: `Without return_sequences: your ${words}`,
        rows: [
          input,
          { call: `LSTM(${s.units})`, output_shape: s.last, mark: "the last word's output only" },
          { call: "GlobalMaxPooling1D()", shape_text: "error: expected ndim=3", mark: "no steps to pool" },
        ],
        testId: "return-sequences-without",
        highlight: (row) => row.call === "GlobalMaxPooling1D()",
      });
      const right = summaryTable({
        caption: `With return_sequences=True: your ${words}`,
        rows: [
          input,
          { call: `LSTM(${s.units}, return_sequences=True)`, output_shape: s.sequence, mark: "one output per word" },
          { call: "GlobalMaxPooling1D()", output_shape: s.pooled, mark: "pooled over the steps" },
        ],
        testId: "return-sequences-with",
        highlight: (row) => row.call === "GlobalMaxPooling1D()",
      });
      part(root, "plot").replaceChildren(tableBox(wrong, "Without return_sequences"), tableBox(right, "With return_sequences=True"));
      part(root, "status").textContent = `Your sentence, ${shapeText(s.input)}: LSTM(${s.units}) gives ${shapeText(s.last)}, `
        + `one vector for all ${words}; with return_sequences=True it gives ${shapeText(s.sequence)}, which pools to ${shapeText(s.pooled)}.`;
      part(root, "error").textContent = s.error;
      programBoxes(part(root, "code"), [{
        title: "Keras: without and with return_sequences=True", program: s.program,
        claim: "program-return-sequences", testId: "return-sequences-program",
      }]);
    },
  });
}
