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
      return { before: trace, after: moved, isNew, k };
    },
    async render({ before, after, isNew, k }) {
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
      let note;
      if (broken.length === 0) {
        const nb = before.pooling.out_steps;
        const na = after.pooling.out_steps;
        const moved = wb.z.filter((row, i) => i >= na || row.some((v, f) => v !== wa.z[i][f])).length;
        const rows = nb === na
          ? `The windowed output still has ${plural(na, "row")}, and ${moved} of them changed: its rows follow the words.`
          : `The windowed output went from ${plural(nb, "row")} to ${na}: its rows follow the words.`;
        note = `The global vector is unchanged: ${vectorText(ga.output)} before and after. ${rows}`;
      } else if (ga.kind === "max") {
        const parts = broken.map((f) => {
          const row = ga.winners[f];
          const who = isNew[row] ? `the new word '${after.tokens[row]}'` : `'${after.tokens[row]}'`;
          return `${featureName(f)} is now won by ${who} with ${shortNumber(ga.output[f])} (was ${shortNumber(gb.output[f])})`;
        });
        note = `Invariance breaks where a new word wins: ${parts.join("; ")}. The other features are unchanged.`;
      } else {
        note = `The mean changes in ${broken.map(featureName).join(", ")}: GlobalAveragePooling1D divides by the number of words, `
          + "so every added word moves it. Rolling alone keeps it (up to rounding).";
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
