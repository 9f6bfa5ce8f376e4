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
import { t } from "./i18n.js";
import { allFrames, frameAt } from "./trace.js";

const MAX_FEATURES_IN_WORDS = 6;
const MAX_WORDS_QUOTED = 8;
const MAX_WORD_NUMBERS = 6;
const MAX_ADDENDS = 4;
// "first", "second", ... in the page's language (the tenth and on by number).
const ORDINALS = [
  "caption.ordinal.1", "caption.ordinal.2", "caption.ordinal.3", "caption.ordinal.4", "caption.ordinal.5",
  "caption.ordinal.6", "caption.ordinal.7", "caption.ordinal.8", "caption.ordinal.9", "caption.ordinal.10",
];
const ORDINAL_SUFFIX = { 1: "caption.ordinal.st", 2: "caption.ordinal.nd", 3: "caption.ordinal.rd" };

// Numbers as code writes them (word 1234, not 1,234): a word's number is a label.
const label = (n) => String(n);
const quote = (word) => t("caption.word.quoted", { word });

/** "1 word", "2 words" (English; the sections' own sentences, until they move to their catalogs). */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** "first", "second", ..., "tenth", "11th", "22nd" (in the page's language). */
export function ordinal(n) {
  if (n <= ORDINALS.length) return t(ORDINALS[n - 1]);
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return t((!teen && ORDINAL_SUFFIX[n % 10]) || "caption.ordinal.th", { n: label(n) });
}

/** "a", "a and b", "a, b and c" (as the page's language lists things). */
export function joinAnd(items) {
  if (items.length <= 1) return items.join("");
  return t("caption.list.and", { items: items.slice(0, -1).join(t("caption.list.separator")), last: items.at(-1) });
}

/** The first few items, then how many more, so a 64-feature sentence stays readable. */
function listSome(items) {
  const shown = items.slice(0, MAX_FEATURES_IN_WORDS);
  const rest = items.length - shown.length;
  const joined = shown.join(t("caption.list.parts_separator"));
  return rest > 0 ? t("caption.list.more_features", { items: joined, count: rest }) : joined;
}

/** 1-based word numbers of contiguous rows: "word 3", "words 1 to 4". */
function wordSpan(rows) {
  const first = rows[0] + 1;
  const last = rows.at(-1) + 1;
  return first === last ? t("caption.words.one", { number: label(first) })
    : t("caption.words.span", { first: label(first), last: label(last) });
}

/** 1-based numbers of any rows: "words 1, 2 and 4", shortened past a few. */
function wordList(rows) {
  const numbers = rows.map((r) => label(r + 1));
  if (numbers.length > MAX_WORD_NUMBERS) {
    return t("caption.words.list_more", {
      numbers: numbers.slice(0, MAX_WORD_NUMBERS - 1).join(t("caption.list.separator")),
      more: numbers.length - MAX_WORD_NUMBERS + 1,
    });
  }
  return numbers.length === 1 ? t("caption.words.one", { number: numbers[0] }) : t("caption.words.list", { numbers: joinAnd(numbers) });
}

/**
 * The word at `row`, told apart from its repeats among `rows`:
 * "'boy'", or "the second 'red' (word 2)" when 'red' occurs twice there.
 * With `numbered`, the word number is always given: "'boy' (word 2)".
 */
export function nameWord(tokens, row, rows, numbered = false) {
  const same = rows.filter((r) => tokens[r] === tokens[row]);
  const params = { word: quote(tokens[row]), number: label(row + 1) };
  if (same.length > 1) return t("caption.word.nth", { ...params, nth: ordinal(same.indexOf(row) + 1) });
  return numbered ? t("caption.word.numbered", params) : params.word;
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
  return t("caption.mean.sum", { total: shortNumber(values.reduce((a, b) => a + b, 0)), divisor: label(divisor) });
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
  return t("caption.word.tied", { words: joinAnd(words), numbers: wordList(tied) });
}

/**
 * One sentence on the ties among `outputs`, or none: "f0 and f1 are ties:
 * the maximum is shared, so each tied word holds the output's value."
 */
function tieSentences(x, rows, outputs, features = outputs.map((_, f) => f)) {
  const tiedFeatures = features.filter((f) => equalRows(x, rows, f, outputs[f]).length > 1).map(featureName);
  if (!tiedFeatures.length) return [];
  const names = tiedFeatures.length > MAX_FEATURES_IN_WORDS
    ? t("caption.list.and_more_features", {
      items: tiedFeatures.slice(0, MAX_FEATURES_IN_WORDS).join(t("caption.list.separator")),
      count: tiedFeatures.length - MAX_FEATURES_IN_WORDS,
    })
    : joinAnd(tiedFeatures);
  return [tiedFeatures.length === 1 ? t("caption.ties.one_feature", { names }) : t("caption.ties.features", { names })];
}

/** Format a vector for prose: [0.8, -0.1, 0.8]. */
export function vectorText(values) {
  const shown = values.slice(0, 8).map(shortNumber);
  return values.length > 8 ? t("caption.vector.long", { values: shown.join(", "), count: values.length }) : `[${shown.join(", ")}]`;
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
  const note = partial ? t("caption.on_screen", { first: featureName(first), last: featureName(last), count: values.length }) : "";
  return { indices, note };
}

/**
 * What window `step` covers and what each feature takes from it; with
 * `shown`, only the features of the band on screen.
 */
export function stepCaption(trace, step, shown) {
  const p = trace.pooling;
  const frame = frameAt(trace, step);
  const pads = frame.padded.length;
  const { indices, note } = shownFeatures(frame.output, shown);
  const parts = indices.map((f) => {
    const value = shortNumber(frame.output[f]);
    const name = featureName(f);
    if (p.kind === "max") {
      if (frame.rows.length === 0) return t("caption.part.max_padding", { name, value });
      const tied = equalRows(trace.x, frame.rows, f, frame.output[f]);
      return t("caption.part.max", { name, value, source: fromWords(trace.tokens, tied.length ? tied : [frame.winners[f]], frame.rows) });
    }
    if (frame.rows.length === 0) return t("caption.part.mean_padding", { name, value });
    return t("caption.part.mean", { name, value, formula: meanOf(frame.rows.map((r) => trace.x[r][f]), frame.divisor) });
  });
  const params = {
    index: label(step + 1), total: label(p.out_steps), note, parts: listSome(parts), count: pads,
    divisor: label(frame.divisor), pool_size: label(p.config.pool_size),
  };
  let head;
  if (frame.rows.length === 0) {
    head = t("caption.window.padding_only", params);
  } else {
    Object.assign(params, { words: coveredWords(trace.tokens, frame.rows), span: wordSpan(frame.rows) });
    if (!pads) head = t("caption.window.words", params);
    else if (p.kind === "max") head = t("caption.window.words_padding_max", params);
    else head = t("caption.window.words_padding_average", params);
  }
  const sentences = [head];
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
    if (n === 1) return t("caption.global.average_one", { vector });
    const base = t("caption.global.average", { vector, n: label(n) });
    return single ? `${base} ${t("caption.global.average_equals", { word: single })}` : base;
  }
  const { indices, note } = shownFeatures(g.output, shown);
  const ties = tieSentences(trace.x, all, g.output, indices);
  if (single) return [t("caption.global.max_single", { vector, word: single }), ...ties].join(" ");
  const parts = indices.map((f) => {
    const tied = equalRows(trace.x, all, f, g.output[f]);
    return t("caption.global.part", { name: featureName(f), source: fromWords(trace.tokens, tied.length ? tied : [g.winners[f]], all) });
  });
  return [t("caption.global.max", { vector, parts: listSome(parts), note }), ...ties].join(" ");
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
  const params = { index: label(row + 1), name: featureName(feature), value: shortNumber(frame.output[feature]) };
  if (frame.rows.length === 0) return t("caption.hover.padding_only", params);
  if (p.kind === "max") {
    const tied = equalRows(trace.x, frame.rows, feature, frame.output[feature]);
    return t("caption.hover.max", { ...params, source: fromWords(trace.tokens, tied.length ? tied : [frame.winners[feature]], frame.rows, true) });
  }
  const mean = t("caption.hover.mean", { ...params, formula: meanOf(frame.rows.map((r) => trace.x[r][feature]), frame.divisor) });
  if (!frame.padded.length) return mean;
  return `${mean} ${t("caption.hover.not_counted", { divisor: label(frame.divisor), pool_size: label(p.config.pool_size) })}`;
}

/** Hover text for entry `feature` of the global output vector. */
export function globalCellHover(trace, feature) {
  const g = trace.global;
  const n = trace.tokens.length;
  const params = { name: featureName(feature), value: shortNumber(g.output[feature]), count: n };
  if (g.kind === "max") {
    const all = trace.tokens.map((_, r) => r);
    const tied = equalRows(trace.x, all, feature, g.output[feature]);
    return t("caption.hover.global_max", { ...params, source: fromWords(trace.tokens, tied.length ? tied : [g.winners[feature]], all, true) });
  }
  return t("caption.hover.global_mean", { ...params, formula: meanOf(trace.x.map((row) => row[feature]), n) });
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
    if (g.kind === "average") return t("caption.lesson.classic.average", { vector, n: label(trace.tokens.length) });
    if (g.is_single_row) return t("caption.lesson.classic.single", { vector });
    return t("caption.lesson.classic.max", { vector, words: sourceWords(trace) });
  },
  negatives(trace) {
    const p = trace.pooling;
    const padded = p.pad_left + p.pad_right > 0;
    const allNegative = p.output.every((row) => row.every((v) => v < 0));
    if (!allNegative) return null;
    const largest = shortNumber(Math.max(...p.output.flat()));
    if (!padded) return t("caption.lesson.negatives.unpadded", { padding: p.config.padding, largest });
    if (p.kind === "max") return t("caption.lesson.negatives.max", { largest });
    return { text: t("caption.lesson.negatives.average", { largest }), claim: "average-same-no-padding" };
  },
  ties(trace) {
    const g = trace.global;
    const n = trace.tokens.length;
    const all = trace.tokens.map((_, r) => r);
    if (g.kind === "average") return t("caption.lesson.ties.average", { n: label(n), vector: vectorText(g.output) });
    const tied = g.output.map((_, f) => f).filter((f) => globalSources(trace, f).length > 1);
    if (!tied.length) return null;
    const f = tied[0];
    return t("caption.lesson.ties.max", {
      name: featureName(f), value: shortNumber(g.output[f]), words: fromWords(trace.tokens, globalSources(trace, f), all),
    });
  },
  single(trace) {
    const g = trace.global;
    const all = trace.tokens.map((_, r) => r);
    if (g.kind === "average") {
      const strongest = all.find((r) => trace.x[r].every((v, f) => trace.x.every((row) => row[f] <= v)));
      const params = { vector: vectorText(g.output), n: label(trace.tokens.length) };
      if (strongest === undefined) return t("caption.lesson.single.average", params);
      return t("caption.lesson.single.average_strongest", { ...params, word: nameWord(trace.tokens, strongest, all) });
    }
    if (!g.is_single_row) return null;
    return t("caption.lesson.single.max", { vector: vectorText(g.output), word: nameWord(trace.tokens, g.single_row, all) });
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
