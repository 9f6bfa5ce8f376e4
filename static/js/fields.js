// Reading the number fields as a learner typed them.
//
// The fields are text boxes (inputmode="numeric"), not <input type=number>:
// a number box reports "1e" or "2.5." as an empty value, which silently
// meant strides=None. Here every entry is either a whole number in range,
// null where empty is allowed (strides), or a sentence for that field.

import { t } from "./i18n.js";

const WHOLE = /^[+-]?\d+(\.0*)?$/;
const SHOWN_CHARS = 24;

/** A typed value quoted for a message, shortened if long. */
function quoted(raw) {
  const chars = Array.from(raw);
  const text = chars.length > SHOWN_CHARS ? `${chars.slice(0, SHOWN_CHARS - 1).join("")}…` : raw;
  return `"${text}"`;
}

/**
 * Parse one field. `rule` is { name, min, max, emptyMeansNone }.
 * Returns { value } (a number, or null for an allowed empty) or { error }.
 */
export function readWholeNumber(raw, { name, min, max, emptyMeansNone = false }) {
  const text = raw.trim();
  const params = { name, min: String(min), max: String(max), typed: quoted(text) };
  if (text === "") {
    return emptyMeansNone ? { value: null } : { error: t("page.fields.empty", params) };
  }
  if (!WHOLE.test(text)) {
    return { error: emptyMeansNone ? t("page.fields.not_whole_or_none", params) : t("page.fields.not_whole", params) };
  }
  const value = Number(text);
  if (value < min || value > max) {
    return { error: emptyMeansNone ? t("page.fields.out_of_range_or_none", params) : t("page.fields.out_of_range", params) };
  }
  return { value };
}

/** ArrowUp / ArrowDown in a number field step its value, as a number box would. */
export function stepField(input, delta, { min, max }) {
  const current = Number(input.value.trim());
  const base = input.value.trim() === "" || !Number.isFinite(current) ? min - delta : Math.round(current);
  input.value = String(Math.max(min, Math.min(max, base + delta)));
}
