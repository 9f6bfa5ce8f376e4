// Section 7: Flatten or global pooling before Dense. The classic question's
// models with Flatten() where they make one vector, for the question's
// (6, 10) and for the sentence above; and the error Keras gives when a
// Flatten model meets a sentence one word longer than it was built for.
import { createSection, part } from "./section.js";
import { count, loadQuestions, programBoxes, shapeText, sourceKey, summaryTable, tableBox } from "./next.js";
import { numbersTable } from "./table.js";
import { t } from "../i18n.js";

const TITLES = {
  windowed_flatten: "sections.flatten.windowed",
  global_flatten: "sections.flatten.global",
};
const POOLED = {
  windowed_flatten: "sections.flatten.instead_windowed",
  global_flatten: "sections.flatten.instead_global",
};

function modelTable(model, shape) {
  return tableBox(summaryTable({
    caption: t("sections.flatten.caption", { title: t(TITLES[model.name]), shape: shapeText(shape) }),
    rows: model.rows.map((row) => ({ ...row, mark: row.layer === "Flatten" ? t("sections.flatten.one_vector") : undefined })),
    total: model.total_params,
    testId: `flatten-${model.name}-${shape.join("x")}`,
    highlight: (row) => row.layer === "Flatten",
  }), t(TITLES[model.name]));
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
      part(root, "status").textContent = t("sections.flatten.status", {
        count: steps, features: t("sections.flatten.features", { count: features }), shape: shapeText([steps, 16]), size: String(size),
        params: global.total_params, pooled: global.pooled_total_params,
      });
      part(root, "plot").replaceChildren(
        ...mine.models.map((m) => modelTable(m, [steps, features])),
        ...(steps === 6 && features === 10 ? [] : flatten.question.models.map((m) => modelTable(m, [6, 10]))),
      );
      part(root, "note").textContent = t("sections.flatten.note", {
        count: steps, received: flatten.received_steps, size: String(size), got: String(flatten.received_steps * 16),
      });
      part(root, "error").textContent = flatten.error;
      part(root, "variable-error").textContent = flatten.variable_error;
      programBoxes(part(root, "code"), [{
        title: t("sections.flatten.program"),
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
            label: t("sections.flatten.row", { title: t(TITLES[m.name]), shape: shapeText([group.steps, group.features]) }),
            values: [
              flat.output_shape[1], count(m.rows.at(-1).params), count(m.total_params),
              t(POOLED[m.name], { params: m.pooled_total_params }),
            ],
          });
        }
      }
      part(root, "table").replaceChildren(numbersTable({
        caption: t("sections.flatten.table_caption"),
        corner: t("sections.flatten.col_model"),
        columns: [t("sections.flatten.col_values"), t("sections.flatten.col_dense"), t("sections.flatten.col_total"), t("sections.flatten.col_instead")],
        rows,
        testId: "flatten-table",
      }));
    },
  });
}
