// Section 6: a toy text CNN on the tool's sentence (Kim 2014 used widths
// 3, 4 and 5 with 100 filters each; this toy has the size of Zhang and
// Wallace's illustration, 2015): Conv1D filters of widths 2, 3 and 4, ReLU,
// then max over time. Each filter's scores along the sentence with its best
// phrase framed (every one of a tie; none when all scores are 0), the
// concatenated sentence vector, each filter's best n-gram, and for this
// same CNN, how many filters' best phrases hold each word.
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
          outlines: f.flatMap((x, row) => x.winner.windows.map((col) => ({ row, col }))), outlineName: "winner",
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
        li.textContent = filterLine(answer, x);
        return li;
      }));
      const widths = answer.widths.join(", ");
      part(root, "status").textContent = `${plural(f.length, "filter")} (widths ${widths}), padding="${answer.padding}": `
        + `the sentence vector is ${vectorText(answer.vector)}, shape (${answer.vector_shape.join(", ")}).`;
      await drawWins(answer);
      part(root, "table").replaceChildren(
        numbersTable({
          caption: "Each filter: its winning n-gram and the max over time", columns: ["width", "n-gram", "max"],
          rows: f.map((x) => ({ label: x.name, values: [String(x.width), bestPhrases(answer, x), x.winner.value] })),
          testId: "textcnn-table",
        }),
        numbersTable({
          caption: "Filters whose best phrase holds each word", columns: ["filters"],
          rows: answer.tokens.map((word, r) => ({ label: `${r + 1}: ${word}`, values: [String(answer.phrase_wins[r])] })),
          testId: "textcnn-wins-table",
        }),
      );
    },
  });

  async function drawWins(answer) {
    const wins = answer.phrase_wins;
    const filterCount = answer.filters.length;
    const rows = range(0, wins.length);
    const layout = {
      ...baseLayout({ width: Math.min(winsPlot.clientWidth, Math.max(440, 90 + 34 * wins.length)), height: WINS_HEIGHT, margin: { l: 44, r: 10, t: 34, b: 56 } }),
      xaxis: {
        tickvals: rows, ticktext: answer.tokens.map((w) => plotlyText(shortLabel(w, 10))), tickangle: wins.length > 8 ? -45 : 0,
        fixedrange: true, automargin: false,
      },
      yaxis: { title: { text: "filters" }, dtick: 1, rangemode: "tozero", fixedrange: true, gridcolor: "#e3e5ea" },
      annotations: [{
        xref: "paper", yref: "paper", x: 0, y: 1, yshift: 26, xanchor: "left", showarrow: false,
        text: `<b>max over time</b>: filters whose best phrase holds each word (of ${filterCount})`, font: { ...FONT, size: 13 },
      }],
    };
    const trace = {
      type: "bar", x: rows, y: wins, marker: { color: "#1d4f91" }, text: wins.map(String), textposition: "outside",
      textfont: { color: INK }, cliponaxis: false,
      customdata: answer.tokens.map((w) => plotlyText(w)), hovertemplate: "<b>%{customdata}</b>: %{y} filters<extra></extra>",
    };
    await Plotly.react(winsPlot, [trace], layout, PLOT_CONFIG);
    part(root, "note").textContent = winsNote(answer);
  }

  part(root, "controls").addEventListener("input", () => section.changed());
  return section;
}

/** Every best phrase of filter `x`, as the table shows it: "boy will", "(all 0)". */
function bestPhrases(answer, x) {
  if (x.winner.all_zero) return "(all 0)";
  return x.winner.windows.map((w) => phraseRows(answer, x, w).map((r) => answer.tokens[r]).join(" ")).join(" / ");
}

/** The rows (words) window `w` of filter `x` covers; padding left out. */
function phraseRows(answer, x, w) {
  const start = x.winner.start - x.winner.window + w;
  return range(start, start + x.width).filter((r) => r >= 0 && r < answer.tokens.length);
}

/** One filter in a sentence: its best phrase (every one of a tie), or that none stands out. */
function filterLine(answer, x) {
  const head = `${x.name} (width ${x.width})`;
  if (x.winner.all_zero) {
    return `${head}: every score is 0 after ReLU, so its max over time is 0 and no phrase stands out (none is framed).`;
  }
  const value = shortNumber(x.winner.value);
  const phrases = x.winner.windows.map((w) => ngram(answer.tokens, { rows: phraseRows(answer, x, w) }));
  if (phrases.length === 1) return `${head}: ${phrases[0]} scores best, ${value}.`;
  return `${head}: ${phrases.slice(0, -1).join(", ")} and ${phrases.at(-1)} tie at ${value}: the max over time is ${value} either way.`;
}

/** "'boy' is in the best phrase of 5 of 6 filters, 'the' of 4 and 'live' of 3". */
function heldText(named, total, rest) {
  const parts = named.map(({ w, n }, i) => (i === 0 ? `'${w}' is in the best phrase of ${n} of ${plural(total, "filter")}` : `'${w}' of ${n}`));
  if (rest) parts.push(`${plural(rest, "more word")} of fewer`);
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** Which words the text CNN drawn above keeps something of, in words. */
function winsNote(answer) {
  const wins = answer.phrase_wins;
  const total = answer.filters.length;
  const standing = answer.filters.filter((x) => !x.winner.all_zero).length;
  if (standing === 0) return `Every filter scores 0 everywhere on this sentence, so no word's phrase stands out.`;
  const held = answer.tokens.map((w, r) => ({ w, n: wins[r] })).filter(({ n }) => n > 0);
  // The most often held few by name, so a long sentence keeps a short note.
  const named = [...held].sort((a, b) => b.n - a.n).slice(0, MAX_NAMED);
  const rest = held.length - named.length;
  const none = answer.tokens.filter((_, r) => wins[r] === 0).map((w) => `'${w}'`);
  let text = `In this text CNN, ${heldText(named, total, rest)}.`;
  if (none.length) {
    const shown = none.length > MAX_NAMED ? `${none.slice(0, MAX_NAMED).join(", ")} and ${none.length - MAX_NAMED} more` : none.join(", ");
    text += ` ${shown} ${none.length === 1 ? "is" : "are"} in no filter's best phrase: the sentence vector holds nothing read from ${none.length === 1 ? "it" : "them"}.`;
  }
  return text;
}
