// Section 3: a batch of sentences padded at the end with zero vectors (as
// pad_sequences(padding="post") places them; its default is "pre"), and
// the pitfall: GlobalMaxPooling1D lets a padding zero win a feature whose
// real values are all negative; the masked max does not.
//
// Sentence 1 is the tool's sentence with the tool's vectors; the lines
// typed here get toy vectors of the same width (from /api/batch on those
// lines alone). The batch is then sent with all its rows as embeddings.
// "Show the pitfall" asks for the engine's batch preset instead.
import { vectorText } from "../caption.js";
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { SectionError, createSection, part, post } from "./section.js";
import { featureColumns, numbersTable } from "./table.js";
import { joinList, t } from "../i18n.js";

const PITFALL = "pitfall";
const PAD_BAND = { color: "#5b5f6b", width: 2, dash: "dash" };

export function createBatch(root, api) {
  const plot = part(root, "plot");
  const lines = root.querySelector('[data-testid="batch-lines"]');
  const first = part(root, "first");
  let mode = "own";

  const typedLines = () => lines.value.split("\n").map((line) => line.trim()).filter(Boolean);

  const section = createSection(root, {
    key: ({ request }) => (mode === PITFALL ? PITFALL : JSON.stringify([request, typedLines()])),
    onFollow(context, previous) {
      // The tool moved on: the batch follows its sentence again.
      if (mode === PITFALL && previous && JSON.stringify(previous.request) !== JSON.stringify(context.request)) mode = "own";
      if (mode !== PITFALL) first.textContent = context.trace.tokens.join(" ");
    },
    async load({ trace, seed }, signal) {
      if (mode === PITFALL) return post(api.batch, { preset: PITFALL }, signal);
      const more = typedLines();
      const width = trace.x[0].length;
      let rows = [];
      let texts = [];
      if (more.length) {
        let toy;
        try {
          toy = await post(api.batch, { sentence: more.join("\n"), features: width, seed: seed ?? 0 }, signal);
        } catch (error) {
          if (error.name === "AbortError") throw error;
          throw new SectionError(t("sections.batch.lines_error", { message: error.message }));
        }
        texts = toy.sentences.map((s) => s.tokens.join(" "));
        rows = toy.x.flatMap((sequence, i) => sequence.slice(0, toy.lengths[i]));
      }
      return post(api.batch, {
        sentence: [trace.tokens.join(" "), ...texts].join("\n"),
        embeddings: [...trace.x, ...rows],
      }, signal);
    },
    async render(answer) {
      const [batch, steps, features] = answer.input_shape;
      const limit = symmetricLimit(answer.x.flat());
      const panels = answer.sentences.map((s, b) => {
        const length = answer.lengths[b];
        const labels = Array.from({ length: steps }, (_, step) => (step < length ? s.tokens[step] : t("sections.batch.pad")));
        return {
          title: t("sections.batch.sentence_title_html", { number: b + 1, words: length, pads: steps - length }), z: answer.x[b], labels, limit,
          bands: length < steps ? [{ first: length, last: steps - 1, line: PAD_BAND, name: "padding" }] : [],
        };
      });
      const won = answer.global_max.padding_won;
      const outputs = [
        {
          title: `<b>${answer.global_max.call}</b> → (${batch}, ${features})`, z: answer.global_max.output,
          outlines: won.flatMap((row, b) => row.map((w, col) => (w ? { row: b, col } : null)).filter(Boolean)),
          outlineName: "padding-won",
        },
        { title: t("sections.figure.masked_max_html", { shape: `(${batch}, ${features})` }), z: answer.masked_max.output },
      ].map((p, i) => ({ ...p, labels: answer.sentences.map((_, b) => t("sections.batch.sentence", { number: b + 1 })), limit, newLine: i === 0 }));
      const { data, layout } = panelsFigure([...panels, ...outputs], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      if (mode === PITFALL) {
        first.textContent = answer.sentences[0].text;
        lines.value = answer.sentences.slice(1).map((s) => s.text).join("\n");
      }
      part(root, "status").textContent = mode === PITFALL
        ? t("sections.batch.status_pitfall")
        : t("sections.batch.status", { shape: `(${batch}, ${steps}, ${features})` });
      part(root, "note").textContent = pitfallNote(answer);
      const cols = featureColumns(features);
      const perSentence = (name, block) => numbersTable({
        caption: name, columns: cols, testId: `batch-${block}-table`,
        rows: answer[block].output.map((values, b) => ({ label: t("sections.batch.sentence", { number: b + 1 }), values })),
      });
      part(root, "table").replaceChildren(
        perSentence(answer.global_max.call, "global_max"),
        perSentence(answer.masked_max.call, "masked_max"),
        perSentence(answer.global_average.call, "global_average"),
        perSentence(answer.masked_average.call, "masked_average"),
      );
    },
  });

  lines.addEventListener("input", () => {
    mode = "own";
    if (section.context) first.textContent = section.context.trace.tokens.join(" ");
    section.changed();
  });
  root.querySelector('[data-testid="batch-pitfall"]').addEventListener("click", () => {
    mode = PITFALL;
    section.changed();
  });
  return section;
}

/** What the padding did to GlobalMaxPooling1D in this batch, in words. */
function pitfallNote(answer) {
  const won = answer.global_max.padding_won;
  const hit = won.map((row, b) => ({ b, features: row.map((w, f) => (w ? f : -1)).filter((f) => f >= 0) }))
    .filter(({ features }) => features.length);
  if (hit.length === 0) {
    const padded = answer.lengths.filter((n) => n < answer.input_shape[1]).length;
    return padded
      ? t("sections.batch.padded_none_won", { count: padded, button: t("sections.batch.show_pitfall") })
      : t("sections.batch.none_padded", { button: t("sections.batch.show_pitfall") });
  }
  // One feature or a list of them: the sentence is built differently ("is won", "are won").
  const ids = { one: "sections.batch.padding_won_one", several: "sections.batch.padding_won_several" };
  return hit.map(({ b, features }) => t(ids[features.length === 1 ? "one" : "several"], {
    number: b + 1,
    text: answer.sentences[b].text,
    features: joinList(features.map(featureName)),
    real: joinList(features.map((f) => shortNumber(answer.masked_max.output[b][f]))),
    global: vectorText(answer.global_max.output[b]),
    masked: vectorText(answer.masked_max.output[b]),
    average: vectorText(answer.global_average.output[b]),
    masked_average: vectorText(answer.masked_average.output[b]),
  })).join(" ");
}
