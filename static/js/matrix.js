// Reading a matrix a learner pasted: CSV, TSV or JSON rows, with or without
// a word at the start of each row. Pure: text in, rows or a message out.

import { t } from "./i18n.js";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FLOAT32_MAX = 3.4028234663852886e38;

// What the server's tokenizer (pooling.embeddings.tokenize) keeps as a word:
// letters, digits, marks, symbols such as emoji and their joiners, with
// apostrophes inside. Anything else splits words.
const CHAR = "[\\p{L}\\p{N}\\p{M}\\p{So}\\u200d\\ufe0e\\ufe0f\\u{1F3FB}-\\u{1F3FF}]";
const WORD_RUN = new RegExp(`${CHAR}+(?:['\u2019]${CHAR}+)*`, "gu");
/** Joins the parts of a row label such as "New York" or "e-mail" into one word (a letter, so the tokenizer keeps it). */
export const JOINER = "\u02cd";

/**
 * A row label as one word of the sentence: its parts joined by JOINER
 * ("New York" -> "NewˍYork", "e-mail" -> "eˍmail"), or null when it has
 * no letter or digit.
 */
export function asOneWord(label) {
  const parts = label.match(WORD_RUN) ?? [];
  return parts.length ? parts.join(JOINER) : null;
}

function cellProblem(row, column, raw) {
  const shown = raw.length > 20 ? `${raw.slice(0, 19)}…` : raw;
  return t("page.matrix.not_number", { row: String(row), column: String(column), value: shown });
}

/**
 * Parse pasted text into { words, rows } (words null when the rows carry
 * none), or { error } naming the first bad row and column (from 1).
 * `options` is { maxRows, maxCols, words }: `words` are the sentence's
 * words, so a row starting with its own word is labelled even when that
 * word is a number ("3", "2024").
 */
export function parseMatrix(text, { maxRows = 256, maxCols = 64, words: known = [] } = {}) {
  const trimmed = text.trim();
  if (trimmed === "") return { error: t("page.matrix.empty") };
  let table;
  if (trimmed.startsWith("[")) {
    let parsed;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { error: t("page.matrix.bad_json") };
    }
    if (!Array.isArray(parsed) || !parsed.every(Array.isArray)) {
      return { error: t("page.matrix.json_rows") };
    }
    table = parsed.map((row) => row.map((v) => (typeof v === "number" ? String(v) : typeof v === "string" ? v : JSON.stringify(v))));
  } else {
    const separator = trimmed.includes("\t") ? "\t" : trimmed.includes(",") ? "," : /\s+/;
    table = trimmed.split(/\r?\n/).filter((line) => line.trim() !== "").map((line) => line.split(separator).map((c) => c.trim()));
  }
  // A first cell that is not a number, or that is the sentence's word at
  // that row, in every row (and not all of them numbers) is the row's word.
  const sentenceWord = (cell, r) => known[r] !== undefined && cell.toLowerCase() === String(known[r]).toLowerCase();
  const labelled = table.every((row, r) => row.length > 1 && (!NUMBER.test(row[0]) || sentenceWord(row[0], r)))
    && table.some((row, r) => !NUMBER.test(row[0]) || sentenceWord(row[0], r));
  const words = labelled ? table.map((row) => asOneWord(row[0])) : null;
  if (labelled) {
    const r = words.indexOf(null);
    if (r >= 0) return { error: t("page.matrix.no_word", { row: String(r + 1), value: table[r][0].slice(0, 20) }) };
  }
  const cells = labelled ? table.map((row) => row.slice(1)) : table;
  if (cells.length > maxRows) return { error: t("page.matrix.too_many_rows", { rows: cells.length, limit: maxRows }) };
  const width = cells[0].length;
  if (width === 0) return { error: t("page.matrix.no_numbers") };
  if (width > maxCols) return { error: t("page.matrix.too_many_columns", { width, limit: maxCols }) };
  const rows = [];
  for (let r = 0; r < cells.length; r += 1) {
    if (cells[r].length !== width) {
      const n = cells[r].length;
      return { error: t("page.matrix.ragged", { row: String(r + 1), count: n, width }) };
    }
    const row = [];
    for (let c = 0; c < width; c += 1) {
      const raw = cells[r][c];
      const value = Number(raw);
      const column = c + 1 + (labelled ? 1 : 0);
      if (!NUMBER.test(raw) || !Number.isFinite(value)) return { error: cellProblem(r + 1, column, raw) };
      if (Math.abs(value) > FLOAT32_MAX) return { error: t("page.matrix.float32", { row: String(r + 1), column: String(column), value: raw }) };
      row.push(value);
    }
    rows.push(row);
  }
  return { words, rows };
}

/** The matrix as the editor shows it: a word, then its numbers, comma-separated, one row per line. */
export function matrixText(words, rows) {
  return rows.map((row, i) => [words[i] ?? `w${i}`, ...row.map((v) => String(v))].join(", ")).join("\n");
}
