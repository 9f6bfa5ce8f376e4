// Section 9: which word won each feature of GlobalMaxPooling1D: argmax over
// the steps (the first of tied rows, as keras.ops.argmax and torch.argmax
// report it), and every word that holds the maximum.
import { joinAnd } from "../caption.js";
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part } from "./section.js";
import { loadQuestions, programBoxes, shapeText, sourceKey } from "./next.js";
import { numbersTable } from "./table.js";

const MAX_LISTED = 12;
const quoted = (tokens, rows) => rows.map((r) => `'${tokens[r]}' (row ${r})`);

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
          title: `<b>input</b> ${shapeText(answer.input_shape)}, argmax framed`, z: answer.x,
          labels: rows.map((r) => `${r} ${tokens[r]}`), limit,
          outlines: g.argmax.map((row, col) => ({ row, col })), outlineName: "argmax",
        },
        {
          title: `<b>argmax(x, axis=1)</b> → ${shapeText([1, features])}`, z: [g.max], labels: ["row"],
          limit, text: [g.argmax.map((r) => String(r))], newLine: true,
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      const tied = g.ties.filter((t) => t.length > 1).length;
      part(root, "status").textContent = `argmax over the steps of your sentence: rows [${g.argmax.join(", ")}], `
        + `the words ${g.argmax.map((r) => `'${tokens[r]}'`).join(", ")}. `
        + (tied === 0 ? "No feature has a tie." : `${tied} feature${tied === 1 ? " has" : "s have"} a tie: argmax names the first tied row.`);
      const items = g.ties.slice(0, MAX_LISTED).map((rows, f) => {
        const li = document.createElement("li");
        li.textContent = rows.length === 1
          ? `${featureName(f)}: ${shortNumber(g.max[f])}, won by ${quoted(tokens, rows)[0]}.`
          : `${featureName(f)}: ${shortNumber(g.max[f])}, held by ${joinAnd(quoted(tokens, rows))}; argmax reports row ${g.argmax[f]}.`;
        return li;
      });
      if (g.ties.length > MAX_LISTED) {
        const li = document.createElement("li");
        li.textContent = `… ${g.ties.length - MAX_LISTED} more features in the numbers below.`;
        items.push(li);
      }
      part(root, "winners").replaceChildren(...items);
      programBoxes(part(root, "code"), [
        { title: "Keras: keras.ops.argmax", program: answer.programs.argmax_keras, claim: "program-argmax-keras", testId: "argmax-keras-program" },
        { title: "PyTorch: torch.argmax and max(dim=1).indices", program: answer.programs.argmax_pytorch, claim: "program-argmax-pytorch", testId: "argmax-pytorch-program" },
      ]);
      part(root, "table").replaceChildren(numbersTable({
        caption: "Each feature's maximum, the row argmax reports, and every row that holds it",
        corner: "feature",
        columns: ["maximum", "argmax row", "word", "rows holding it"],
        rows: g.ties.map((held, f) => ({
          label: featureName(f), values: [g.max[f], String(g.argmax[f]), tokens[g.argmax[f]], held.join(", ")],
        })),
        testId: "argmax-table",
      }));
    },
  });
}
