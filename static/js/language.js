// The page's language: chosen in the menu, carried by the lesson link, kept in a cookie.
//
// The server renders the page in the language of the request (webapp/i18n.py:
// the link's `lang`, then the `lang` cookie, then Accept-Language), so
// choosing another one reloads the page in it with the same view (the link).
// The cookie keeps the choice for Back, a new tab and a link without `lang`.
import { lang } from "./i18n.js";

const COOKIE = "lang";
const YEAR_S = 365 * 24 * 3600;

function chosen() {
  const match = document.cookie.match(/(?:^|;\s*)lang=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : null;
}

function openIn(code) {
  const url = new URL(location.href);
  url.searchParams.set("lang", code);
  location.replace(url);
}

/**
 * The state a link opened, in the page's language. A link whose `lang` the
 * server did not see (a long link keeps it in the query, but an old one may
 * not) opens again in that language.
 */
export function inPageLanguage(state) {
  if (state.lang !== "en" && state.lang !== lang()) openIn(state.lang);
  return { ...state, lang: lang() };
}

/** The menu: `select` lists the languages; `beforeLeave` writes the view into the address first. */
export function createLanguageMenu(select, beforeLeave) {
  select.value = lang();
  select.addEventListener("change", () => {
    document.cookie = `${COOKIE}=${encodeURIComponent(select.value)}; path=/; max-age=${YEAR_S}; SameSite=Lax`;
    beforeLeave();
    openIn(select.value);
  });
  // Back into a page kept whole by the browser (bfcache) after a choice: show it in the chosen language.
  window.addEventListener("pageshow", (event) => {
    const code = chosen();
    if (event.persisted && code && code !== lang() && !new URL(location.href).searchParams.has("lang")) location.reload();
  });
}
