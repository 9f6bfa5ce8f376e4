// Section 6: a toy text CNN after Kim (2014) on the tool's sentence:
// Conv1D filters of widths 2, 3 and 4, ReLU, then max over time. Each
// filter's scores along the sentence with its winner framed, the
// concatenated sentence vector, each filter's winning n-gram, and for the
// plain global layer above, how many features each word won.
import { plural, vectorText } from "../caption.js";
import { FONT, INK } from "../colors.js";
import { PLOT_CONFIG, baseLayout, plotlyText, range, shortLabel, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part, post, wholeNumber } from "./section.js";
import { numbersTable } from "./table.js";

const WINS_HEIGHT = 190;
const MAX_NAMED = 8;

/** "'boy will live' (words 2 to 4)". */
function ngram(tokens, winner) {
  const words = winner.rows.map((r) => tokens[r]).join(" ");
  const first = winner.rows[0] + 1;
  const last = winner.rows.at(-1) + 1;
  const where = first === last ? `word ${first}` : `words ${first} to ${last}`;
  return `'${words}' (${where})`;
}

export function createTextCnn(root, api) {
  const plot = part(root, "plot");
  const winsPlot = part(root, "wins");
  const filters = root.querySelector('[data-testid="textcnn-filters"]');
  const seed = root.querySelector('[data-testid="textcnn-seed"]');

  const section = createSection(root, {
    key: ({ request }) => JSON.stringify([request, filters.value, seed.value]),
    load({ request }, signal) {
      const body = {
        ...request,
        filters: wholeNumber(filters, "filters per width", 1, 8),
        filter_seed: wholeNumber(seed, "filter seed", 0, 2147483647),
      };
      return post(api.textcnn, body, signal);
    },
    async render(answer) {
      const f = answer.filters;
      const positions = Math.max(...f.map((x) => x.activation.length));
      const z = f.map((x) => range(0, positions).map((i) => (i < x.activation.length ? x.activation[i] : null)));
      const limit = symmetricLimit([...z.map((row) => row.filter((v) => v !== null)), answer.vector]);
      // A column is a window position, labelled with the word it starts at.
      const starts = range(0, positions).map((i) => shortLabel(answer.tokens[i] ?? "", 7));
      const names = f.map((x) => x.name);
      const { data, layout } = panelsFigure([
        {
          title: "<b>scores after ReLU</b>, by first word", z, labels: names, limit, colLabels: starts,
          outlines: f.map((x, row) => ({ row, col: x.winner.window })), outlineName: "winner",
        },
        {
          title: `<b>max over time</b> → (${answer.vector_shape.join(", ")})`, z: answer.vector.map((v) => [v]),
          labels: names, limit, colLabels: ["max"],
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      const list = part(root, "winners");
      list.replaceChildren(...f.map((x) => {
        const li = document.createElement("li");
        li.textContent = x.winner.all_zero
          ? `${x.name} (width ${x.width}): every score is 0 after ReLU, so its max is 0 and no phrase stands out.`
          : `${x.name} (width ${x.width}): ${ngram(answer.tokens, x.winner)} wins with ${shortNumber(x.winner.value)}.`;
        return li;
      }));
      const widths = answer.widths.join(", ");
      part(root, "status").textContent = `${plural(f.length, "filter")} (widths ${widths}), padding="${answer.padding}": `
        + `the sentence vector is ${vectorText(answer.vector)}, shape (${answer.vector_shape.join(", ")}).`;
      await drawWins(answer);
      part(root, "table").replaceChildren(
        numbersTable({
          caption: "Each filter: its winning n-gram and the max over time", columns: ["width", "n-gram", "max"],
          rows: f.map((x) => ({ label: x.name, values: [String(x.width), x.winner.all_zero ? "(all 0)" : x.winner.rows.map((r) => answer.tokens[r]).join(" "), x.winner.value] })),
          testId: "textcnn-table",
        }),
        numbersTable({
          caption: "Features of the plain GlobalMaxPooling1D won by each word", columns: ["features won"],
          rows: answer.tokens.map((word, r) => ({ label: `${r + 1}: ${word}`, values: [String(answer.feature_wins[r])] })),
          testId: "textcnn-wins-table",
        }),
      );
    },
  });

  async function drawWins(answer) {
    const wins = answer.feature_wins;
    const features = answer.x[0].length;
    const rows = range(0, wins.length);
    const layout = {
      ...baseLayout({ width: Math.min(winsPlot.clientWidth, Math.max(440, 90 + 34 * wins.length)), height: WINS_HEIGHT, margin: { l: 44, r: 10, t: 34, b: 56 } }),
      xaxis: {
        tickvals: rows, ticktext: answer.tokens.map((w) => plotlyText(shortLabel(w, 10))), tickangle: wins.length > 8 ? -45 : 0,
        fixedrange: true, automargin: false,
      },
      yaxis: { title: { text: "features won" }, dtick: 1, rangemode: "tozero", fixedrange: true, gridcolor: "#e3e5ea" },
      annotations: [{
        xref: "paper", yref: "paper", x: 0, y: 1, yshift: 26, xanchor: "left", showarrow: false,
        text: `<b>GlobalMaxPooling1D()</b>: features won by each word (of ${features})`, font: { ...FONT, size: 13 },
      }],
    };
    const trace = {
      type: "bar", x: rows, y: wins, marker: { color: "#1d4f91" }, text: wins.map(String), textposition: "outside",
      textfont: { color: INK }, cliponaxis: false,
      customdata: answer.tokens.map((w) => plotlyText(w)), hovertemplate: "<b>%{customdata}</b>: %{y} features<extra></extra>",
    };
    await Plotly.react(winsPlot, [trace], layout, PLOT_CONFIG);
    const winners = answer.tokens.map((w, r) => ({ w, n: wins[r] })).filter(({ n }) => n > 0);
    const none = wins.length - winners.length;
    // The strongest few by name, so a long sentence keeps a short note.
    const named = [...winners].sort((a, b) => b.n - a.n).slice(0, MAX_NAMED);
    const rest = winners.length - named.length;
    part(root, "note").textContent = `Under GlobalMaxPooling1D() of this sentence, ${named.map(({ w, n }) => `'${w}' won ${plural(n, "feature")}`).join(", ")}`
      + (rest ? ` and ${plural(rest, "more word")} won the rest` : "")
      + (none ? `; ${plural(none, "word")} won none and ${none === 1 ? "is" : "are"} thrown away entirely.` : ".");
  }

  part(root, "controls").addEventListener("input", () => section.changed());
  return section;
}
