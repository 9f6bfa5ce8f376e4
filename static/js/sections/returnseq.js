// Section 10: return_sequences=True before pooling. The shapes of the two
// ways to write it on the sentence above, and the error Keras gives for
// GlobalMaxPooling1D on an LSTM's last output alone.
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey, summaryTable, tableBox } from "./next.js";
import { t } from "../i18n.js";

export function createReturnSequences(root, api) {
  return createSection(root, {
    key: sourceKey,
    load: (context, signal) => loadQuestions(api.questions, context, signal),
    render(answer) {
      const s = answer.return_sequences;
      const [, steps] = s.input;
      const input = { call: "Input", output_shape: s.input };
      const wrong = summaryTable({
        caption: t("sections.returnseq.without_caption", { count: steps }),
        rows: [
          input,
          { call: `LSTM(${s.units})`, output_shape: s.last, mark: t("sections.returnseq.last_only") },
          { call: "GlobalMaxPooling1D()", shape_text: t("sections.returnseq.ndim_error"), mark: t("sections.returnseq.no_steps") },
        ],
        testId: "return-sequences-without",
        highlight: (row) => row.call === "GlobalMaxPooling1D()",
      });
      const right = summaryTable({
        caption: t("sections.returnseq.with_caption", { count: steps }),
        rows: [
          input,
          { call: `LSTM(${s.units}, return_sequences=True)`, output_shape: s.sequence, mark: t("sections.returnseq.per_word") },
          { call: "GlobalMaxPooling1D()", output_shape: s.pooled, mark: t("sections.returnseq.pooled") },
        ],
        testId: "return-sequences-with",
        highlight: (row) => row.call === "GlobalMaxPooling1D()",
      });
      part(root, "plot").replaceChildren(tableBox(wrong, t("sections.returnseq.without")), tableBox(right, t("sections.returnseq.with")));
      part(root, "status").textContent = t("sections.returnseq.status", {
        count: steps, shape: shapeText(s.input), lstm: `LSTM(${s.units})`, last: shapeText(s.last), sequence: shapeText(s.sequence),
        pooled: shapeText(s.pooled),
      });
      part(root, "error").textContent = s.error;
      programBoxes(part(root, "code"), [{
        title: t("sections.returnseq.program"), program: s.program,
        claim: "program-return-sequences", testId: "return-sequences-program",
      }]);
    },
  });
}
