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
import { allFrames, frameAt } from "./trace.js";

const MAX_FEATURES_IN_WORDS = 6;
const MAX_WORDS_QUOTED = 8;
const MAX_WORD_NUMBERS = 6;
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
export function joinAnd(items) {
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
 * Where a maximum comes from, naming every word that holds it: "'boy'",
 * "'red' (words 1, 2 and 4, tied)", "'a' and 'b' (words 1 and 3, tied)".
 * A tie's value is shared: no one of the tied words gives it more than the
 * others (which index an argmax reports is a separate fact).
 */
export function fromWords(tokens, tied, rows, numbered = false) {
  if (tied.length === 1) return nameWord(tokens, tied[0], rows, numbered);
  const words = [...new Set(tied.map((r) => tokens[r]))].map(quote);
  return `${joinAnd(words)} (${wordList(tied)}, tied)`;
}

/**
 * One sentence on the ties among `outputs`, or none: "f0 and f1 are ties:
 * the maximum is shared, so each tied word holds the output's value."
 */
function tieSentences(x, rows, outputs, features = outputs.map((_, f) => f)) {
  const tiedFeatures = features.filter((f) => equalRows(x, rows, f, outputs[f]).length > 1).map(featureName);
  if (!tiedFeatures.length) return [];
  const names = tiedFeatures.length > MAX_FEATURES_IN_WORDS
    ? `${tiedFeatures.slice(0, MAX_FEATURES_IN_WORDS).join(", ")} and ${plural(tiedFeatures.length - MAX_FEATURES_IN_WORDS, "more feature")}`
    : joinAnd(tiedFeatures);
  const verb = tiedFeatures.length === 1 ? "is a tie" : "are ties";
  return [`${names} ${verb}: the maximum is shared, so every tied word holds the output's value.`];
}

/** Format a vector for prose: [0.8, -0.1, 0.8]. */
export function vectorText(values) {
  const shown = values.slice(0, 8).map(shortNumber);
  return values.length > 8 ? `[${shown.join(", ")}, … (${values.length} values)]` : `[${shown.join(", ")}]`;
}

/**
 * The features of `values` to speak of: those of the band on screen
 * (`shown` = { first, last }, every feature when absent), and a clause
 * saying which they are when not all are shown.
 */
function shownFeatures(values, shown) {
  const first = shown ? Math.max(0, shown.first) : 0;
  const last = shown ? Math.min(values.length - 1, shown.last) : values.length - 1;
  const indices = values.map((_, f) => f).filter((f) => f >= first && f <= last);
  const partial = indices.length < values.length;
  return { indices, note: partial ? ` (on screen: ${featureName(first)} to ${featureName(last)} of ${values.length} features)` : "" };
}

/**
 * What window `step` covers and what each feature takes from it; with
 * `shown`, only the features of the band on screen.
 */
export function stepCaption(trace, step, shown) {
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
      covers += ` and ${padding}, which Keras on JAX does not count,`
        + ` so each mean divides by ${frame.divisor}, not by pool_size ${poolSize}`;
    }
  }
  const { indices, note } = shownFeatures(frame.output, shown);
  const parts = indices.map((f) => {
    const value = frame.output[f];
    const name = featureName(f);
    if (p.kind === "max") {
      if (frame.rows.length === 0) return `${name} max ${shortNumber(value)}`;
      const tied = equalRows(trace.x, frame.rows, f, value);
      return `${name} max ${shortNumber(value)} from ${fromWords(trace.tokens, tied.length ? tied : [frame.winners[f]], frame.rows)}`;
    }
    if (frame.rows.length === 0) return `${name} mean ${shortNumber(value)}`;
    return `${name} mean ${shortNumber(value)} ${meanOf(frame.rows.map((r) => trace.x[r][f]), frame.divisor)}`;
  });
  const sentences = [`${head} ${covers}${note}: ${listSome(parts, "feature")}.`];
  if (p.kind === "max") sentences.push(...tieSentences(trace.x, frame.rows, frame.output, indices));
  return sentences.join(" ");
}

/** One or two sentences on where the global output comes from; with `shown`, naming only the features on screen. */
export function globalSummary(trace, shown) {
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
  const { indices, note } = shownFeatures(g.output, shown);
  const ties = tieSentences(trace.x, all, g.output, indices);
  if (single) {
    return [
      `${vector} is exactly the vector of ${single}: that one word holds the maximum of every feature.`,
      ...ties,
    ].join(" ");
  }
  const parts = indices.map((f) => {
    const tied = equalRows(trace.x, all, f, g.output[f]);
    return `${featureName(f)} from ${fromWords(trace.tokens, tied.length ? tied : [g.winners[f]], all)}`;
  });
  return [`${vector} takes ${listSome(parts, "feature")}${note}: it is not the vector of any single word.`, ...ties].join(" ");
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
    const tied = equalRows(trace.x, frame.rows, feature, frame.output[feature]);
    return `${head}: max ${value} from ${fromWords(trace.tokens, tied.length ? tied : [frame.winners[feature]], frame.rows, true)}.`;
  }
  const mean = `${head}: mean ${value} ${meanOf(frame.rows.map((r) => trace.x[r][feature]), frame.divisor)}.`;
  if (!frame.padded.length) return mean;
  return `${mean} Keras on JAX does not count padding: divided by ${frame.divisor}, not by pool_size ${p.config.pool_size}.`;
}

/** Hover text for entry `feature` of the global output vector. */
export function globalCellHover(trace, feature) {
  const g = trace.global;
  const n = trace.tokens.length;
  const value = shortNumber(g.output[feature]);
  const head = `${featureName(feature)}`;
  if (g.kind === "max") {
    const all = trace.tokens.map((_, r) => r);
    const tied = equalRows(trace.x, all, feature, g.output[feature]);
    return `${head}: max ${value} over ${plural(n, "word")}, from ${fromWords(trace.tokens, tied.length ? tied : [g.winners[feature]], all, true)}.`;
  }
  return `${head}: mean ${value} ${meanOf(trace.x.map((row) => row[feature]), n)}, over ${plural(n, "word")}.`;
}

/** The rows holding feature `f`'s global maximum (every one of a tie). */
function globalSources(trace, f) {
  const all = trace.tokens.map((_, r) => r);
  const tied = equalRows(trace.x, all, f, trace.global.output[f]);
  return tied.length ? tied : [trace.global.winners[f]];
}

/** "'boy', 'will' and 'live'": each word that holds some feature's maximum, in feature order. */
function sourceWords(trace) {
  const rows = [];
  trace.global.output.forEach((_, f) => {
    for (const r of globalSources(trace, f)) if (!rows.includes(r)) rows.push(r);
  });
  const all = trace.tokens.map((_, r) => r);
  return joinAnd(rows.map((r) => nameWord(trace.tokens, r, all)));
}

const LESSONS = {
  classic(trace) {
    const g = trace.global;
    const vector = vectorText(g.output);
    if (g.kind === "average") {
      return `Global average pooling counts every word: ${vector} is the mean of all ${trace.tokens.length} word vectors, `
        + "so no word is picked and none is left out.";
    }
    if (g.is_single_row) return `Global max pooling picks each feature's maximum: here one word holds them all, so ${vector} is its vector.`;
    return `Global max pooling picks each feature's maximum, wherever it is: ${vector} comes from ${sourceWords(trace)}, `
      + "and is no single word's vector.";
  },
  negatives(trace) {
    const p = trace.pooling;
    const padded = p.pad_left + p.pad_right > 0;
    const allNegative = p.output.every((row) => row.every((v) => v < 0));
    if (!allNegative) return null;
    const largest = shortNumber(Math.max(...p.output.flat()));
    if (!padded) {
      return `Every value is negative, and with padding="${p.config.padding}" no window holds padding here: `
        + `each output is made of real words only, so it stays negative (the largest is ${largest}).`;
    }
    if (p.kind === "max") {
      return `Max pooling ignores padding: with padding="same" the padded positions never win, so the outputs stay negative `
        + `(the largest is ${largest}) and are not pulled up to a padded 0.`;
    }
    return {
      text: `Average pooling with padding="same" divides each edge window by its real words only, so the outputs stay the means `
        + `of negative values (the largest is ${largest}), not pulled towards a padded 0.`,
      claim: "average-same-no-padding",
    };
  },
  ties(trace) {
    const g = trace.global;
    const n = trace.tokens.length;
    const all = trace.tokens.map((_, r) => r);
    if (g.kind === "average") {
      return `Average pooling picks no word: each of the ${n} words counts 1/${n} in every feature, `
        + `equal words included, and ${vectorText(g.output)} is their mean.`;
    }
    const tied = g.output.map((_, f) => f).filter((f) => globalSources(trace, f).length > 1);
    if (!tied.length) return null;
    const f = tied[0];
    return `When several words share a feature's maximum, the value is shared: ${featureName(f)}'s ${shortNumber(g.output[f])} `
      + `is held by ${fromWords(trace.tokens, globalSources(trace, f), all)}, and global max pooling gives ${shortNumber(g.output[f])} `
      + "whichever of them you credit. How training splits a tie is in section 4, The backward pass.";
  },
  single(trace) {
    const g = trace.global;
    const all = trace.tokens.map((_, r) => r);
    if (g.kind === "average") {
      const strongest = all.find((r) => trace.x[r].every((v, f) => trace.x.every((row) => row[f] <= v)));
      const vector = vectorText(g.output);
      if (strongest === undefined) return `Average pooling picks no word: ${vector} is the mean of all ${trace.tokens.length} word vectors.`;
      return `${nameWord(trace.tokens, strongest, all)} is the largest in every feature, but average pooling picks no word: `
        + `${vector} is the mean of all ${trace.tokens.length} word vectors, so the others dilute it.`;
    }
    if (!g.is_single_row) return null;
    return `When one word holds every maximum, global max pooling returns exactly its vector: ${vectorText(g.output)} `
      + `is the vector of ${nameWord(trace.tokens, g.single_row, all)}.`;
  },
};

/**
 * The lesson line of preset `name` under the current trace, built from its
 * numbers and layer: { text, claim } (claim: the registered claim the
 * sentence states, if any), or null when the preset's lesson does not show
 * on these settings (the page then keeps the preset's own line).
 */
export function lessonLine(name, trace) {
  const line = LESSONS[name]?.(trace);
  if (!line) return null;
  return typeof line === "string" ? { text: line, claim: null } : line;
}

/**
 * The registered claim the captions state for this trace, if any: an
 * average over a window with padding says Keras does not count the padding.
 */
export function captionClaim(trace) {
  const p = trace.pooling;
  const padded = p.kind === "average" && allFrames(trace).some((frame) => frame.padded.length && frame.rows.length);
  return padded ? { claim: "average-same-no-padding" } : null;
}
