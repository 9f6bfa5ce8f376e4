// The page's messages: every string a module shows comes from here, by id,
// from the catalog the server embedded for the page's language
// (<script type="application/json" id="messages">, pooling/messages/).
//
// t("caption.window", { index: 2, total: 5 }) fills named placeholders; a
// message that counts something has one text per plural category and is
// chosen by its `count` (Intl.PluralRules, the same CLDR rules as Babel on
// the server). Whole numbers are written as prose in the language writes
// them; pass a string to keep a number as code writes it.

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

function embedded() {
  const element = typeof document === "undefined" ? null : document.getElementById("messages");
  return element ? JSON.parse(element.textContent) : { lang: "en", messages: {} };
}

let current = embedded();
// The pseudo-locale en-XA counts as English counts.
const rulesOf = (lang) => new Intl.PluralRules(lang === "en-XA" ? "en" : lang);
let rules = rulesOf(current.lang);
let numbers = new Intl.NumberFormat(current.lang === "en-XA" ? "en" : current.lang, { maximumFractionDigits: 20 });

/** The page's language code (en, es, zh, or the pseudo-locale en-XA). */
export const lang = () => current.lang;

/** Use another catalog (the offline export carries its own). */
export function setMessages(data) {
  current = data;
  rules = rulesOf(data.lang);
  numbers = new Intl.NumberFormat(data.lang === "en-XA" ? "en" : data.lang, { maximumFractionDigits: 20 });
}

/** The catalog in use, as embedded (for the offline export to carry). */
export const messagesData = () => current;

/** A whole number as prose writes it in the page's language. */
export const formatNumber = (n) => numbers.format(n);

/** The message `key` with `params` filled in. A missing id or placeholder throws: tests find it. */
export function t(key, params = {}) {
  const entry = current.messages[key];
  if (entry === undefined) throw new Error(`no message "${key}" in ${current.lang}`);
  let text = entry;
  if (typeof entry === "object") {
    if (typeof params.count !== "number") throw new Error(`message "${key}" counts something: give count`);
    text = entry[rules.select(params.count)] ?? entry.other;
  }
  return text.replace(PLACEHOLDER, (_, name) => {
    if (!(name in params)) throw new Error(`message "${key}" needs {${name}}`);
    const value = params[name];
    return Number.isInteger(value) ? formatNumber(value) : String(value);
  });
}

// The page's English lists have no serial comma ("a, b and c"): CLDR's en-GB
// writes them so, where plain "en" (American) writes "a, b, and c".
const LIST_LOCALE = { en: "en-GB", "en-XA": "en-GB" };

/** A list joined as the language joins one ("a, b and c"; "a、b和c"). */
export function joinList(items, type = "conjunction") {
  return new Intl.ListFormat(LIST_LOCALE[current.lang] ?? current.lang, { style: "long", type }).format(items.map(String));
}
