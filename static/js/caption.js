// Sentences that say in words what the pictures show. Plain strings: the
// page puts them in the DOM with textContent, never as HTML.
import { shortNumber } from "./heatmap.js";

const MAX_FEATURES_IN_WORDS = 6;
const MAX_WORDS_QUOTED = 8;

const quote = (word) => `'${word}'`;

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The first few items, then how many more, so a 64-feature sentence stays readable. */
function listSome(items, total, noun) {
  const shown = items.slice(0, MAX_FEATURES_IN_WORDS);
  const rest = total - shown.length;
  return rest > 0 ? `${shown.join(", ")}, and ${plural(rest, `more ${noun}`, `more ${noun}s`)}` : shown.join(", ");
}

function coveredWords(tokens, rows) {
  const words = rows.map((r) => tokens[r]);
  if (words.length <= MAX_WORDS_QUOTED) return quote(words.join(" "));
  return `${quote(`${words.slice(0, 3).join(" ")} … ${words.slice(-2).join(" ")}`)} (${words.length} words)`;
}

/** Format a vector for prose: [0.8, -0.1, 0.8]. */
export function vectorText(values) {
  const shown = values.slice(0, 8).map(shortNumber);
  return values.length > 8 ? `[${shown.join(", ")}, … (${values.length} values)]` : `[${shown.join(", ")}]`;
}

/** What window `step` covers and what each feature takes from it. */
export function stepCaption(trace, step) {
  const p = trace.pooling;
  const frame = p.frames[step];
  const head = `Window ${step + 1} of ${p.out_steps}`;
  const pads = frame.padded.length;
  let covers;
  if (frame.rows.length === 0) {
    covers = `covers only padding (${plural(pads, "padded position")})`;
  } else {
    covers = `covers ${coveredWords(trace.tokens, frame.rows)}`;
    if (pads) {
      covers += p.kind === "max"
        ? ` and ${plural(pads, "padded position")}, which never wins`
        : ` and ${plural(pads, "padded position")}, which is not counted`;
    }
  }
  const parts = frame.output.map((value, f) => {
    if (p.kind === "max") {
      return `feature ${f} max ${shortNumber(value)} from ${quote(trace.tokens[frame.winners[f]])}`;
    }
    const n = frame.divisor;
    const cells = plural(n, "real cell");
    if (n <= 4) {
      const addends = frame.rows.map((r) => shortNumber(trace.x[r][f])).join(" + ");
      return `feature ${f} mean ${shortNumber(value)} = (${addends}) / ${cells}`;
    }
    return `feature ${f} mean ${shortNumber(value)} = ${shortNumber(value * n)} / ${cells}`;
  });
  return `${head} ${covers}: ${listSome(parts, parts.length, "feature")}.`;
}

/** One sentence on where the global output comes from. */
export function globalSummary(trace) {
  const g = trace.global;
  const vector = vectorText(g.output);
  const single = g.is_single_row ? quote(trace.tokens[g.single_row]) : null;
  if (g.kind === "average") {
    const base = `${vector} is the mean of all ${plural(trace.tokens.length, "word vector")}, feature by feature: every word counts, none is picked.`;
    return single ? `${base} It happens to equal the vector of ${single}.` : base;
  }
  if (single) {
    return `${vector} is exactly the vector of ${single}: that one word holds the maximum of every feature.`;
  }
  const parts = g.winners.map((row, f) => `feature ${f} from ${quote(trace.tokens[row])}`);
  return `${vector} takes ${listSome(parts, parts.length, "feature")}: it is not the vector of any single word.`;
}
