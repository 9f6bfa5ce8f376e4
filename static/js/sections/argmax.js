// Section 9: which word won each feature of GlobalMaxPooling1D: argmax over
// the steps (the first of tied rows, as keras.ops.argmax and torch.argmax
// report it), and every word that holds the maximum.
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey } from "./next.js";
import { numbersTable } from "./table.js";
import { joinList, t } from "../i18n.js";

const MAX_LISTED = 12;
const quoted = (tokens, rows) => rows.map((r) => t("sections.argmax.word_row", { word: tokens[r], row: String(r) }));

export function createArgmax(root, api) {
  const plot = part(root, "plot");
  return createSection(root, {
    key: sourceKey,
    load: (context, signal) => loadQuestions(api.questions, context, signal),
    async render(answer) {
      const g = answer.global;
      const { tokens } = answer;
      const limit = symmetricLimit(answer.x);
      const features = g.max.length;
      const rows = answer.x.map((_, r) => r);
      const { data, layout } = panelsFigure([
        {
          title: t("sections.argmax.input_html", { shape: shapeText(answer.input_shape) }), z: answer.x,
          labels: rows.map((r) => `${r} ${tokens[r]}`), limit,
          outlines: g.argmax.map((row, col) => ({ row, col })), outlineName: "argmax",
        },
        {
          title: `<b>argmax(x, axis=1)</b> → ${shapeText([1, features])}`, z: [g.max], labels: [t("sections.argmax.label_row")],
          limit, text: [g.argmax.map((r) => String(r))], newLine: true,
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      const tied = g.ties.filter((t) => t.length > 1).length;
      const found = { rows: `[${g.argmax.join(", ")}]`, words: g.argmax.map((r) => `'${tokens[r]}'`).join(", ") };
      part(root, "status").textContent = tied === 0
        ? t("sections.argmax.status_no_tie", found)
        : t("sections.argmax.status_ties", { ...found, count: tied });
      const items = g.ties.slice(0, MAX_LISTED).map((rows, f) => {
        const li = document.createElement("li");
        const about = { feature: featureName(f), value: shortNumber(g.max[f]) };
        li.textContent = rows.length === 1
          ? t("sections.argmax.won", { ...about, word: quoted(tokens, rows)[0] })
          : t("sections.argmax.held", { ...about, words: joinList(quoted(tokens, rows)), row: String(g.argmax[f]) });
        return li;
      });
      if (g.ties.length > MAX_LISTED) {
        const li = document.createElement("li");
        li.textContent = t("sections.argmax.more", { count: g.ties.length - MAX_LISTED });
        items.push(li);
      }
      part(root, "winners").replaceChildren(...items);
      programBoxes(part(root, "code"), [
        { title: t("sections.argmax.program_keras"), program: answer.programs.argmax_keras, claim: "program-argmax-keras", testId: "argmax-keras-program" },
        { title: t("sections.argmax.program_torch"), program: answer.programs.argmax_pytorch, claim: "program-argmax-pytorch", testId: "argmax-pytorch-program" },
      ]);
      part(root, "table").replaceChildren(numbersTable({
        caption: t("sections.argmax.caption"),
        corner: t("sections.argmax.col_feature"),
        columns: [t("sections.argmax.col_maximum"), t("sections.argmax.col_row"), t("sections.argmax.col_word"), t("sections.argmax.col_rows")],
        rows: g.ties.map((held, f) => ({
          label: featureName(f), values: [g.max[f], String(g.argmax[f]), tokens[g.argmax[f]], held.join(", ")],
        })),
        testId: "argmax-table",
      }));
    },
  });
}
