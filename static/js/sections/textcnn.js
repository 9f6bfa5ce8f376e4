// Section 6: a toy text CNN on the tool's sentence (Kim 2014 used widths
// 3, 4 and 5 with 100 filters each; this toy has the size of Zhang and
// Wallace's illustration, 2015): Conv1D filters of widths 2, 3 and 4, ReLU,
// then max over time. Each filter's scores along the sentence with its best
// phrase framed (every one of a tie; none when all scores are 0), the
// concatenated sentence vector, each filter's best n-gram, and for this
// same CNN, how many filters' best phrases hold each word.
import { vectorText } from "../caption.js";
import { FONT, INK } from "../colors.js";
import { PLOT_CONFIG, baseLayout, plotlyText, range, shortLabel, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { createSection, part, post, wholeNumber } from "./section.js";
import { numbersTable } from "./table.js";
import { joinList, t } from "../i18n.js";

const WINS_HEIGHT = 208;
const MAX_NAMED = 8;

/** "'boy will live' (words 2 to 4)". */
function ngram(tokens, winner) {
  const words = winner.rows.map((r) => tokens[r]).join(" ");
  const first = winner.rows[0] + 1;
  const last = winner.rows.at(-1) + 1;
  return first === last
    ? t("sections.textcnn.ngram_word", { words, word: first })
    : t("sections.textcnn.ngram_words", { words, first, last });
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
        filters: wholeNumber(filters, t("sections.textcnn.filters"), 1, 8),
        filter_seed: wholeNumber(seed, t("sections.textcnn.seed"), 0, 2147483647),
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
          title: t("sections.textcnn.scores_html"), z, labels: names, limit, colLabels: starts,
          outlines: f.flatMap((x, row) => x.winner.windows.map((col) => ({ row, col }))), outlineName: "winner",
        },
        {
          title: t("sections.textcnn.max_over_time_html", { shape: `(${answer.vector_shape.join(", ")})` }), z: answer.vector.map((v) => [v]),
          labels: names, limit, colLabels: [t("sections.textcnn.max")],
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
      part(root, "status").textContent = t("sections.textcnn.status", {
        count: f.length, widths, padding: answer.padding, vector: vectorText(answer.vector), shape: `(${answer.vector_shape.join(", ")})`,
      });
      await drawWins(answer);
      part(root, "table").replaceChildren(
        numbersTable({
          caption: t("sections.textcnn.table_caption"),
          columns: [t("sections.textcnn.col_width"), t("sections.textcnn.col_ngram"), t("sections.textcnn.max")],
          rows: f.map((x) => ({ label: x.name, values: [String(x.width), bestPhrases(answer, x), x.winner.value] })),
          testId: "textcnn-table",
        }),
        numbersTable({
          caption: t("sections.textcnn.wins_caption"), columns: [t("sections.textcnn.col_filters")],
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
      ...baseLayout({ width: Math.min(winsPlot.clientWidth, Math.max(440, 90 + 34 * wins.length)), height: WINS_HEIGHT, margin: { l: 44, r: 10, t: 52, b: 56 } }),
      xaxis: {
        tickvals: rows, ticktext: answer.tokens.map((w) => plotlyText(shortLabel(w, 10))), tickangle: wins.length > 8 ? -45 : 0,
        fixedrange: true, automargin: false,
      },
      yaxis: { title: { text: t("sections.textcnn.col_filters") }, dtick: 1, rangemode: "tozero", fixedrange: true, gridcolor: "#e3e5ea" },
      annotations: [{
        // A title and what it counts on two lines: a phone's width holds each.
        xref: "paper", yref: "paper", x: 0, y: 1, yshift: 44, xanchor: "left", align: "left", showarrow: false,
        text: `${t("sections.textcnn.wins_title_html")}<br>${t("sections.textcnn.wins_counted", { count: filterCount })}`,
        font: { ...FONT, size: 13 },
      }],
    };
    const trace = {
      type: "bar", x: rows, y: wins, marker: { color: "#1d4f91" }, text: wins.map(String), textposition: "outside",
      textfont: { color: INK }, cliponaxis: false,
      customdata: answer.tokens.map((w) => plotlyText(w)), // Plotly's own placeholders, filled by Plotly on hover.
      hovertemplate: `${t("sections.textcnn.wins_hover_html", { word: "%{customdata}", filters: "%{y}" })}<extra></extra>`,
    };
    await Plotly.react(winsPlot, [trace], layout, PLOT_CONFIG);
    part(root, "note").textContent = winsNote(answer);
  }

  part(root, "controls").addEventListener("input", () => section.changed());
  return section;
}

/** Every best phrase of filter `x`, as the table shows it: "boy will", "(all 0)". */
function bestPhrases(answer, x) {
  if (x.winner.all_zero) return t("sections.textcnn.all_zero");
  return x.winner.windows.map((w) => phraseRows(answer, x, w).map((r) => answer.tokens[r]).join(" ")).join(" / ");
}

/** The rows (words) window `w` of filter `x` covers; padding left out. */
function phraseRows(answer, x, w) {
  const start = x.winner.start - x.winner.window + w;
  return range(start, start + x.width).filter((r) => r >= 0 && r < answer.tokens.length);
}

/** One filter in a sentence: its best phrase (every one of a tie), or that none stands out. */
function filterLine(answer, x) {
  const head = { filter: x.name, width: x.width };
  if (x.winner.all_zero) return t("sections.textcnn.filter_zero", head);
  const value = shortNumber(x.winner.value);
  const phrases = x.winner.windows.map((w) => ngram(answer.tokens, { rows: phraseRows(answer, x, w) }));
  if (phrases.length === 1) return t("sections.textcnn.filter_best", { ...head, phrase: phrases[0], value });
  return t("sections.textcnn.filter_tie", { ...head, phrases: joinList(phrases), value });
}

/** "'boy' is in the best phrase of 5 of 6 filters, 'the' of 4 and 'live' of 3". */
function heldText(named, total, rest) {
  const parts = named.map(({ w, n }, i) => (i === 0
    ? t("sections.textcnn.held_first", { word: w, held: n, count: total })
    : t("sections.textcnn.held_next", { word: w, held: n })));
  if (rest) parts.push(t("sections.textcnn.held_rest", { count: rest }));
  return joinList(parts);
}

/** Which words the text CNN drawn above keeps something of, in words. */
function winsNote(answer) {
  const wins = answer.phrase_wins;
  const total = answer.filters.length;
  const standing = answer.filters.filter((x) => !x.winner.all_zero).length;
  if (standing === 0) return t("sections.textcnn.all_silent");
  const held = answer.tokens.map((w, r) => ({ w, n: wins[r] })).filter(({ n }) => n > 0);
  // The most often held few by name, so a long sentence keeps a short note.
  const named = [...held].sort((a, b) => b.n - a.n).slice(0, MAX_NAMED);
  const rest = held.length - named.length;
  const none = answer.tokens.filter((_, r) => wins[r] === 0).map((w) => `'${w}'`);
  let text = t("sections.textcnn.held", { list: heldText(named, total, rest) });
  if (none.length) {
    const words = none.length > MAX_NAMED
      ? t("sections.textcnn.words_and_more", { words: none.slice(0, MAX_NAMED).join(", "), count: none.length - MAX_NAMED })
      : none.join(", ");
    // One word or a list of them: the sentence is built differently ("is", "are").
    text += ` ${t(none.length === 1 ? "sections.textcnn.in_none_one" : "sections.textcnn.in_none_several", { words })}`;
  }
  return text;
}
