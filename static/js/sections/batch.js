// Section 3: a batch of sentences padded at the end with zero vectors (as
// pad_sequences(padding="post") places them; its default is "pre"), and
// the pitfall: GlobalMaxPooling1D lets a padding zero win a feature whose
// real values are all negative; the masked max does not.
//
// Sentence 1 is the tool's sentence with the tool's vectors; the lines
// typed here get toy vectors of the same width (from /api/batch on those
// lines alone). The batch is then sent with all its rows as embeddings.
// "Show the pitfall" asks for the engine's batch preset instead.
import { plural, vectorText } from "../caption.js";
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { SectionError, createSection, part, post } from "./section.js";
import { featureColumns, numbersTable } from "./table.js";

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
          throw new SectionError(`More sentences: ${error.message}`);
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
        const labels = Array.from({ length: steps }, (_, t) => (t < length ? s.tokens[t] : "pad"));
        return {
          title: `<b>sentence ${b + 1}</b> (${length} + ${steps - length} pad)`, z: answer.x[b], labels, limit,
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
        { title: `<b>masked max</b> → (${batch}, ${features})`, z: answer.masked_max.output },
      ].map((p, i) => ({ ...p, labels: answer.sentences.map((_, b) => `sentence ${b + 1}`), limit, newLine: i === 0 }));
      const { data, layout } = panelsFigure([...panels, ...outputs], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      if (mode === PITFALL) {
        first.textContent = answer.sentences[0].text;
        lines.value = answer.sentences.slice(1).map((s) => s.text).join("\n");
      }
      part(root, "status").textContent = mode === PITFALL
        ? "The pitfall preset: hand-written vectors. Edit the sentences, or the sentence above, to go back to your own batch."
        : `Input shape (batch, steps, features) = (${batch}, ${steps}, ${features}).`;
      part(root, "note").textContent = pitfallNote(answer);
      const cols = featureColumns(features);
      const perSentence = (name, block) => numbersTable({
        caption: name, columns: cols, testId: `batch-${block}-table`,
        rows: answer[block].output.map((values, b) => ({ label: `sentence ${b + 1}`, values })),
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
      ? `${plural(padded, "sentence is", "sentences are")} padded, but no padding zero wins a feature here: each of `
        + "their features has a real value of 0 or more. Press \"Show the pitfall\" for a batch where it does."
      : "No sentence is padded (they are all as long as the longest). Add a shorter sentence, or press \"Show the pitfall\".";
  }
  return hit.map(({ b, features }) => {
    const s = answer.sentences[b];
    const names = features.map(featureName).join(" and ");
    const real = features.map((f) => shortNumber(answer.masked_max.output[b][f])).join(" and ");
    return `In sentence ${b + 1} ('${s.text}'), ${names} ${features.length === 1 ? "is" : "are"} won by a padding zero: `
      + `GlobalMaxPooling1D gives ${vectorText(answer.global_max.output[b])}, though the largest real `
      + `${features.length === 1 ? "value is" : "values are"} ${real}. The masked max gives ${vectorText(answer.masked_max.output[b])}. `
      + `GlobalAveragePooling1D is pulled towards 0 too, ${vectorText(answer.global_average.output[b])}, unless given the mask: `
      + `${vectorText(answer.masked_average.output[b])}.`;
  }).join(" ");
}
