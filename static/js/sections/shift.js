// Section 2: shift invariance. The tool's sentence before; after, the same
// words rolled, with words added before and after. Both layers' outputs
// side by side: the global vector stays put while the windowed rows move,
// until a new word wins a feature.
//
// New words get toy vectors of the sentence's width (from /api/trace on
// those words alone; a toy vector depends only on the word, the width and
// the seed). The "after" sentence is sent with its rows as embeddings, so
// the old words keep exactly the vectors the tool shows, preset or not.
import { vectorText } from "../caption.js";
import { PLOT_CONFIG, featureName, shortNumber, symmetricLimit } from "../heatmap.js";
import { panelsFigure } from "./figure.js";
import { SectionError, createSection, part, post, wholeNumber } from "./section.js";
import { featureColumns, numbersTable } from "./table.js";
import { allFrames } from "../trace.js";
import { joinList, t } from "../i18n.js";

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
  if (count.kept) parts.push(t("sections.shift.rows_kept", { count: count.kept }));
  if (count.moved) {
    const { j, i } = example.moved;
    parts.push(t("sections.shift.rows_moved", { count: count.moved, from: j + 1, to: i + 1 }));
  }
  if (count.wrapped) {
    parts.push(t("sections.shift.rows_wrapped", { count: count.wrapped, row: example.wrapped.i + 1, words: example.wrapped.words }));
  }
  if (count.added) parts.push(t("sections.shift.rows_added", { count: count.added }));
  if (count.other) parts.push(t("sections.shift.rows_other", { count: count.other }));
  const list = joinList(parts);
  return nb === na
    ? t("sections.shift.rows_same", { count: na, list })
    : t("sections.shift.rows_changed", { count: nb, after: na, list });
}

/** A window's label: the words it covers, or "padding". */
function windowLabel(tokens, frame) {
  if (frame.rows.length === 0) return t("sections.shift.padding");
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
      throw new SectionError(t("sections.shift.words_error", { message: error.message }));
    }
  }

  const section = createSection(root, {
    key: ({ request }) => JSON.stringify([request, inputs.before.value, inputs.after.value, inputs.roll.value]),
    async load({ trace, request, seed }, signal) {
      const n = trace.tokens.length;
      const k = wholeNumber(inputs.roll, t("sections.shift.roll"), -n * 4, n * 4);
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
        { title: t("sections.shift.before_rows_html", { layer: before.pooling.name, rows: t("sections.shift.rows", { count: before.pooling.out_steps }) }), ...wb, limit },
        { title: t("sections.shift.after_rows_html", { layer: after.pooling.name, rows: t("sections.shift.rows", { count: after.pooling.out_steps }) }), ...wa, limit },
        { title: t("sections.shift.before_html", { layer: gb.name }), z: [gb.output], labels: [t("sections.label.vector")], limit, newLine: true },
        {
          title: t("sections.shift.after_html", { layer: ga.name }), z: [ga.output], labels: [t("sections.label.vector")], limit,
          outlines: broken.map((col) => ({ row: 0, col })), outlineName: "changed",
        },
      ], plot.clientWidth);
      await Plotly.react(plot, data, layout, PLOT_CONFIG);

      const added = isNew.filter(Boolean).length;
      const sentence = after.tokens.join(" ");
      let status = t("sections.shift.status_same");
      // The roll as typed (-2, not −2).
      if (k && added) status = t("sections.shift.status_both", { sentence, k: String(k), count: added });
      else if (k) status = t("sections.shift.status_rolled", { sentence, k: String(k) });
      else if (added) status = t("sections.shift.status_added", { sentence, count: added });
      part(root, "status").textContent = status;
      const rows = windowedRows(before, after, origin);
      let note;
      if (broken.length === 0) {
        note = `${t("sections.shift.unchanged", { vector: vectorText(ga.output) })} ${rows}`;
      } else if (ga.kind === "max") {
        const parts = broken.map((f) => {
          const tied = after.x.map((row, r) => (row[f] === ga.output[f] ? r : -1)).filter((r) => r >= 0);
          const name = (r) => (isNew[r] ? t("sections.shift.new_word", { word: after.tokens[r] }) : `'${after.tokens[r]}'`);
          const values = { feature: featureName(f), value: shortNumber(ga.output[f]), was: shortNumber(gb.output[f]) };
          return tied.length > 1
            ? t("sections.shift.feature_shared", { ...values, words: joinList(tied.map(name)) })
            : t("sections.shift.feature_won", { ...values, word: name(tied[0] ?? ga.winners[f]) });
        });
        note = `${t("sections.shift.breaks", { changes: parts.join(t("sections.shift.separator")) })} ${rows}`;
      } else {
        note = `${t("sections.shift.mean_changes", { features: broken.map(featureName).join(", ") })} ${rows}`;
      }
      part(root, "note").textContent = note;
      const F = ga.output.length;
      part(root, "table").replaceChildren(
        numbersTable({
          caption: t("sections.shift.global_caption"), columns: featureColumns(F), testId: "shift-global-table",
          rows: [{ label: t("sections.shift.label_before"), values: gb.output }, { label: t("sections.shift.label_after"), values: ga.output }],
        }),
        numbersTable({
          caption: t("sections.shift.windowed_caption", { call: after.pooling.call }), columns: featureColumns(F), testId: "shift-windowed-table",
          rows: wa.z.map((values, i) => ({ label: `${i + 1}: ${wa.labels[i]}`, values })),
        }),
      );
    },
  });
  root.querySelector('[data-part="controls"]').addEventListener("input", () => section.changed());
  root.querySelector('[data-part="controls"]').addEventListener("submit", (event) => event.preventDefault());
  return section;
}
