// Sentences that say in words what the pictures show. Plain strings: the
// page puts them in the DOM with textContent, never as HTML (escape them
// with plotlyText before handing them to Plotly).
//
// Wording rules, kept in one place:
// - features are named as the axes name them (f0, f1, ...);
// - words are numbered from 1, as a learner counts them ("word 1" is the
//   first word); a word that occurs more than once where it is looked for
//   (the window, or the sentence for the global layer) is named by its
//   occurrence: "the first 'red' (word 1)";
// - sums read as written by hand: "0.73 - 0.18 + 0.28", "-0.18 + 0.73";
// - one of anything is singular ("1 padded position"), and every caption
//   is made of full sentences ending in a full stop.
import { featureName, shortNumber } from "./heatmap.js";
import { frameAt } from "./trace.js";

const MAX_FEATURES_IN_WORDS = 6;
const MAX_WORDS_QUOTED = 8;
const MAX_WORD_NUMBERS = 6;
const MAX_TIE_GROUPS = 3;
const MAX_ADDENDS = 4;
const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

const quote = (word) => `'${word}'`;

/** "1 word", "2 words". */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** "first", "second", ..., "tenth", "11th", "22nd". */
export function ordinal(n) {
  if (n <= ORDINALS.length) return ORDINALS[n - 1];
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : { 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** "a", "a and b", "a, b and c". */
function joinAnd(items) {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The first few items, then how many more, so a 64-feature sentence stays readable. */
function listSome(items, noun) {
  const shown = items.slice(0, MAX_FEATURES_IN_WORDS);
  const rest = items.length - shown.length;
  return rest > 0 ? `${shown.join(", ")}, and ${plural(rest, `more ${noun}`, `more ${noun}s`)}` : shown.join(", ");
}

/** 1-based word numbers of contiguous rows: "word 3", "words 1 to 4". */
function wordSpan(rows) {
  const first = rows[0] + 1;
  const last = rows.at(-1) + 1;
  return first === last ? `word ${first}` : `words ${first} to ${last}`;
}

/** 1-based numbers of any rows: "words 1, 2 and 4", shortened past a few. */
function wordList(rows) {
  const numbers = rows.map((r) => String(r + 1));
  if (numbers.length > MAX_WORD_NUMBERS) {
    return `words ${numbers.slice(0, MAX_WORD_NUMBERS - 1).join(", ")} and ${numbers.length - MAX_WORD_NUMBERS + 1} more`;
  }
  return `${numbers.length === 1 ? "word" : "words"} ${joinAnd(numbers)}`;
}

/**
 * The word at `row`, told apart from its repeats among `rows`:
 * "'boy'", or "the second 'red' (word 2)" when 'red' occurs twice there.
 * With `numbered`, the word number is always given: "'boy' (word 2)".
 */
export function nameWord(tokens, row, rows, numbered = false) {
  const same = rows.filter((r) => tokens[r] === tokens[row]);
  if (same.length > 1) return `the ${ordinal(same.indexOf(row) + 1)} ${quote(tokens[row])} (word ${row + 1})`;
  return numbered ? `${quote(tokens[row])} (word ${row + 1})` : quote(tokens[row]);
}

/** A sum as written by hand: "0.73 - 0.18 + 0.28", "-0.18 + 0.73". */
export function sumText(values) {
  return values
    .map((value, i) => {
      const text = shortNumber(value);
      if (i === 0) return text;
      return text.startsWith("-") ? `- ${text.slice(1)}` : `+ ${text}`;
    })
    .join(" ");
}

/** "= (0.7 + 0.8) / 2", or the sum alone for a long window: "= sum 3.1 / 7". */
function meanOf(values, divisor) {
  if (values.length === 1) return `= ${shortNumber(values[0])} / ${divisor}`;
  if (values.length <= MAX_ADDENDS) return `= (${sumText(values)}) / ${divisor}`;
  return `= sum ${shortNumber(values.reduce((a, b) => a + b, 0))} / ${divisor}`;
}

function coveredWords(tokens, rows) {
  const words = rows.map((r) => tokens[r]);
  if (words.length <= MAX_WORDS_QUOTED) return quote(words.join(" "));
  return quote(`${words.slice(0, 3).join(" ")} … ${words.slice(-2).join(" ")}`);
}

/** Rows among `rows` whose value of feature `f` equals `value`. */
function equalRows(x, rows, f, value) {
  return rows.filter((r) => x[r][f] === value);
}

/**
 * Sentences naming the features whose maximum several words share:
 * "f0 and f1 are ties between words 1 and 2: the first wins."
 */
function tieSentences(x, rows, outputs) {
  const groups = new Map();
  outputs.forEach((value, f) => {
    const tied = equalRows(x, rows, f, value);
    if (tied.length < 2) return;
    const key = tied.join(",");
    if (!groups.has(key)) groups.set(key, { rows: tied, features: [] });
    groups.get(key).features.push(featureName(f));
  });
  const all = [...groups.values()];
  const sentences = all.slice(0, MAX_TIE_GROUPS).map(({ rows: tied, features }) => {
    const names = features.length > MAX_FEATURES_IN_WORDS
      ? `${features.slice(0, MAX_FEATURES_IN_WORDS).join(", ")} and ${plural(features.length - MAX_FEATURES_IN_WORDS, "more feature")}`
      : joinAnd(features);
    const verb = features.length === 1 ? "is a tie" : "are ties";
    return `${names} ${verb} between ${wordList(tied)}: the first wins.`;
  });
  const rest = all.slice(MAX_TIE_GROUPS).reduce((n, g) => n + g.features.length, 0);
  if (rest) sentences.push(`${plural(rest, "more feature")} ${rest === 1 ? "has a tie" : "have ties"}, and the first word wins each.`);
  return sentences;
}

/** Format a vector for prose: [0.8, -0.1, 0.8]. */
export function vectorText(values) {
  const shown = values.slice(0, 8).map(shortNumber);
  return values.length > 8 ? `[${shown.join(", ")}, … (${values.length} values)]` : `[${shown.join(", ")}]`;
}

/** What window `step` covers and what each feature takes from it. */
export function stepCaption(trace, step) {
  const p = trace.pooling;
  const frame = frameAt(trace, step);
  const poolSize = p.config.pool_size;
  const head = `Window ${step + 1} of ${p.out_steps}`;
  const pads = frame.padded.length;
  const padding = plural(pads, "padded position");
  let covers;
  if (frame.rows.length === 0) {
    covers = `covers only padding (${padding})`;
  } else {
    covers = `covers ${coveredWords(trace.tokens, frame.rows)} (${wordSpan(frame.rows)})`;
    if (pads && p.kind === "max") {
      covers += ` and ${padding}, which never ${pads === 1 ? "wins" : "win"}`;
    } else if (pads) {
      covers += ` and ${padding}, which ${pads === 1 ? "is" : "are"} not counted,`
        + ` so each mean divides by ${frame.divisor}, not by pool_size ${poolSize}`;
    }
  }
  const parts = frame.output.map((value, f) => {
    const name = featureName(f);
    if (p.kind === "max") {
      if (frame.rows.length === 0) return `${name} max ${shortNumber(value)}`;
      return `${name} max ${shortNumber(value)} from ${nameWord(trace.tokens, frame.winners[f], frame.rows)}`;
    }
    if (frame.rows.length === 0) return `${name} mean ${shortNumber(value)}`;
    return `${name} mean ${shortNumber(value)} ${meanOf(frame.rows.map((r) => trace.x[r][f]), frame.divisor)}`;
  });
  const sentences = [`${head} ${covers}: ${listSome(parts, "feature")}.`];
  if (p.kind === "max") sentences.push(...tieSentences(trace.x, frame.rows, frame.output));
  return sentences.join(" ");
}

/** One or two sentences on where the global output comes from. */
export function globalSummary(trace) {
  const g = trace.global;
  const n = trace.tokens.length;
  const all = trace.tokens.map((_, r) => r);
  const vector = vectorText(g.output);
  const single = g.is_single_row ? nameWord(trace.tokens, g.single_row, all) : null;
  if (g.kind === "average") {
    if (n === 1) {
      return `${vector} is the mean of the 1 word vector, each feature divided by 1: with one word, the mean is its vector.`;
    }
    const base = `${vector} is the mean of all ${n} word vectors, feature by feature: `
      + `each feature's sum is divided by ${n}, so every word counts and none is picked.`;
    return single ? `${base} It happens to equal the vector of ${single}.` : base;
  }
  const ties = tieSentences(trace.x, all, g.output);
  if (single) {
    return [
      `${vector} is exactly the vector of ${single}: that one word holds the maximum of every feature.`,
      ...ties,
    ].join(" ");
  }
  const parts = g.winners.map((row, f) => `${featureName(f)} from ${nameWord(trace.tokens, row, all)}`);
  return [`${vector} takes ${listSome(parts, "feature")}: it is not the vector of any single word.`, ...ties].join(" ");
}

/**
 * Hover text for output cell (`row`, `feature`) of the sliding view while
 * the animation is at `step`: "" for a row not yet revealed (row > step),
 * else what the cell is made of, naming the winning word (max) or the
 * divisor (average): "Window 2, f1: max -0.1 from 'will' (word 3)."
 */
export function cellHover(trace, step, row, feature) {
  const p = trace.pooling;
  if (row > step || row < 0 || row >= p.out_steps) return "";
  const frame = frameAt(trace, row);
  const value = shortNumber(frame.output[feature]);
  const head = `Window ${row + 1}, ${featureName(feature)}`;
  if (frame.rows.length === 0) return `${head}: ${value}, from padding only.`;
  if (p.kind === "max") {
    return `${head}: max ${value} from ${nameWord(trace.tokens, frame.winners[feature], frame.rows, true)}.`;
  }
  const mean = `${head}: mean ${value} ${meanOf(frame.rows.map((r) => trace.x[r][feature]), frame.divisor)}.`;
  if (!frame.padded.length) return mean;
  return `${mean} Padding is not counted: divided by ${frame.divisor}, not by pool_size ${p.config.pool_size}.`;
}

/** Hover text for entry `feature` of the global output vector. */
export function globalCellHover(trace, feature) {
  const g = trace.global;
  const n = trace.tokens.length;
  const value = shortNumber(g.output[feature]);
  const head = `${featureName(feature)}`;
  if (g.kind === "max") {
    const all = trace.tokens.map((_, r) => r);
    return `${head}: max ${value} over ${plural(n, "word")}, from ${nameWord(trace.tokens, g.winners[feature], all, true)}.`;
  }
  return `${head}: mean ${value} ${meanOf(trace.x.map((row) => row[feature]), n)}, over ${plural(n, "word")}.`;
}
