// Section 2: shift invariance. The tool's sentence before; after, the same
// words rolled, with words added before and after. Both layers' outputs
// side by side: the global vector stays put while the windowed rows move,
// until a new word wins a feature.
//
// New words get toy vectors of the sentence's width (from /api/trace on
// those words alone; a toy vector depends only on the word, the width and
// the seed). The "after" sentence is sent with its rows as embeddings, so
// the old words keep exactly the vectors the tool shows, preset or not.
import { plural, vectorText } from "../caption.js";
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { SectionError, createSection, part, post, wholeNumber } from "./section.js";
import { featureColumns, numbersTable } from "./table.js";
import { allFrames } from "../trace.js";

const WINDOW_LABEL_WORDS = 3;

/** Rows moved `k` places later, the last ones wrapping to the front (NumPy's roll). */
export function roll(items, k) {
  const n = items.length;
  const s = ((k % n) + n) % n;
  return [...items.slice(n - s), ...items.slice(0, n - s)];
}

/**
 * What happened to the windowed output's rows, in one sentence: how many
 * kept their place, moved with their words, join the last word to the first
 * across the roll's wrap-around, hold a new word, or cover the words
 * differently (padding at the edges). A row is matched by the words it
 * covers (their rows in "before"), so "moved" means the same words, and so
 * the same values, in another row.
 */
export function windowedRows(before, after, origin) {
  const nb = before.pooling.out_steps;
  const na = after.pooling.out_steps;
  const key = (rows, pads) => `${rows.join(",")}|${pads}`;
  const old = new Map(allFrames(before).map((frame, j) => [key(frame.rows, frame.padded.length), j]));
  const count = { kept: 0, moved: 0, wrapped: 0, added: 0, other: 0 };
  const example = {};
  allFrames(after).forEach((frame, i) => {
    const from = frame.rows.map((r) => origin[r]);
    let kind;
    if (from.some((r) => r === null)) kind = "added";
    else if (from.some((r, t) => t > 0 && r !== from[t - 1] + 1)) kind = "wrapped";
    else {
      const j = old.get(key(from, frame.padded.length));
      kind = j === undefined ? "other" : j === i ? "kept" : "moved";
      if (kind === "moved" && !example.moved) example.moved = { j, i };
    }
    count[kind] += 1;
    if (kind === "wrapped" && !example.wrapped) example.wrapped = { i, words: frame.rows.map((r) => after.tokens[r]).join(" ") };
  });
  const parts = [];
  if (count.kept) parts.push(`${count.kept} kept ${count.kept === 1 ? "its" : "their"} place`);
  if (count.moved) {
    const { j, i } = example.moved;
    parts.push(`${count.moved} moved with ${count.moved === 1 ? "its" : "their"} words (row ${j + 1} is now row ${i + 1})`);
  }
  if (count.wrapped) {
    parts.push(`${count.wrapped} ${count.wrapped === 1 ? "is" : "are"} new, joining the last word to the first across the wrap-around `
      + `(row ${example.wrapped.i + 1}, '${example.wrapped.words}')`);
  }
  if (count.added) parts.push(`${count.added} ${count.added === 1 ? "holds" : "hold"} a new word`);
  if (count.other) parts.push(`${count.other} ${count.other === 1 ? "covers" : "cover"} the words differently at the edges`);
  const head = nb === na ? `Of the windowed output's ${plural(na, "row")}` : `The windowed output went from ${plural(nb, "row")} to ${na}; of these`;
  const joined = parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
  return `${head}, ${joined}.`;
}

/** A window's label: the words it covers, or "padding". */
function windowLabel(tokens, frame) {
  if (frame.rows.length === 0) return "padding";
  const words = frame.rows.map((r) => tokens[r]);
  return words.length > WINDOW_LABEL_WORDS ? `${words.slice(0, 2).join(" ")} … ${words.at(-1)}` : words.join(" ");
}

export function createShift(root, api) {
  const plot = part(root, "plot");
  const inputs = {
    before: root.querySelector('[data-testid="shift-before"]'),
    after: root.querySelector('[data-testid="shift-after"]'),
    roll: root.querySelector('[data-testid="shift-roll"]'),
  };

  /** Toy rows for the words of `text` (none for an empty text). */
  async function toyWords(text, width, seed, signal) {
    if (!text.trim()) return { tokens: [], x: [] };
    try {
      const answer = await post(api.trace, {
        sentence: text, features: width, seed, layer: "max", pool_size: 1, strides: 1, padding: "valid",
      }, signal);
      return { tokens: answer.tokens, x: answer.x };
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new SectionError(`The words to add: ${error.message}`);
    }
  }

  const section = createSection(root, {
    key: ({ request }) => JSON.stringify([request, inputs.before.value, inputs.after.value, inputs.roll.value]),
    async load({ trace, request, seed }, signal) {
      const n = trace.tokens.length;
      const k = wholeNumber(inputs.roll, "roll by", -n * 4, n * 4);
      const width = trace.x[0].length;
      const [before, after] = await Promise.all([
        toyWords(inputs.before.value, width, seed ?? 0, signal),
        toyWords(inputs.after.value, width, seed ?? 0, signal),
      ]);
      const old = trace.tokens.map((_, r) => r);
      const order = roll(old, k);
      const tokens = [...before.tokens, ...order.map((r) => trace.tokens[r]), ...after.tokens];
      const x = [...before.x, ...order.map((r) => trace.x[r]), ...after.x];
      const isNew = [...before.tokens.map(() => true), ...order.map(() => false), ...after.tokens.map(() => true)];
      const { layer, pool_size, strides, padding } = request;
      const moved = await post(api.trace, { sentence: tokens.join(" "), embeddings: x, layer, pool_size, strides, padding }, signal);
      // Where each row of "after" came from: its row in "before", or null for a new word.
      const origin = [...before.tokens.map(() => null), ...order, ...after.tokens.map(() => null)];
      return { before: trace, after: moved, isNew, origin, k };
    },
    async render({ before, after, isNew, origin, k }) {
      const limit = symmetricLimit([...before.x, ...after.x]);
      const gb = before.global;
      const ga = after.global;
      const tolerance = ga.kind === "max" ? 0 : 1e-6;
      const changed = ga.output.map((v, f) => Math.abs(v - gb.output[f]) > tolerance * Math.max(1, Math.abs(v)));
      const broken = changed.map((c, f) => (c ? f : -1)).filter((f) => f >= 0);
      const windowed = (t) => ({
        z: t.pooling.output,
        labels: allFrames(t).map((frame) => windowLabel(t.tokens, frame)),
      });
      const wb = windowed(before);
      const wa = windowed(after);
      const { data, layout } = panelsFigure([
        { title: `<b>before</b>: ${before.pooling.name}, ${plural(before.pooling.out_steps, "row")}`, ...wb, limit },
        { title: `<b>after</b>: ${after.pooling.name}, ${plural(after.pooling.out_steps, "row")}`, ...wa, limit },
        { title: `<b>before</b>: ${gb.name}`, z: [gb.output], labels: ["vector"], limit, newLine: true },
        {
          title: `<b>after</b>: ${ga.name}`, z: [ga.output], labels: ["vector"], limit,
          outlines: broken.map((col) => ({ row: 0, col })), outlineName: "changed",
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      const added = isNew.filter(Boolean).length;
      const how = [];
      if (k) how.push(`rolled by ${k}`);
      if (added) how.push(`${plural(added, "new word")} added`);
      part(root, "status").textContent = how.length
        ? `After: '${after.tokens.join(" ")}' (${how.join(", ")}).`
        : "After is the same as before: roll the sentence or add words.";
      const rows = windowedRows(before, after, origin);
      let note;
      if (broken.length === 0) {
        note = `The global vector is unchanged: ${vectorText(ga.output)} before and after. ${rows}`;
      } else if (ga.kind === "max") {
        const parts = broken.map((f) => {
          const tied = after.x.map((row, r) => (row[f] === ga.output[f] ? r : -1)).filter((r) => r >= 0);
          const name = (r) => (isNew[r] ? `the new word '${after.tokens[r]}'` : `'${after.tokens[r]}'`);
          const who = tied.length > 1 ? `shared by ${tied.map(name).join(" and ")}` : `won by ${name(tied[0] ?? ga.winners[f])}`;
          return `${featureName(f)} is now ${who} with ${shortNumber(ga.output[f])} (was ${shortNumber(gb.output[f])})`;
        });
        note = `Invariance breaks where a new word holds a larger value: ${parts.join("; ")}. The other features are unchanged. ${rows}`;
      } else {
        note = `The mean changes in ${broken.map(featureName).join(", ")}: GlobalAveragePooling1D divides by the number of words, `
          + `so every added word moves it. Rolling alone keeps it (up to rounding). ${rows}`;
      }
      part(root, "note").textContent = note;
      const F = ga.output.length;
      part(root, "table").replaceChildren(
        numbersTable({
          caption: "Global vector before and after", columns: featureColumns(F), testId: "shift-global-table",
          rows: [{ label: "before", values: gb.output }, { label: "after", values: ga.output }],
        }),
        numbersTable({
          caption: `${after.pooling.call} after`, columns: featureColumns(F), testId: "shift-windowed-table",
          rows: wa.z.map((values, i) => ({ label: `${i + 1}: ${wa.labels[i]}`, values })),
        }),
      );
    },
  });
  root.querySelector('[data-part="controls"]').addEventListener("input", () => section.changed());
  root.querySelector('[data-part="controls"]').addEventListener("submit", (event) => event.preventDefault());
  return section;
}
