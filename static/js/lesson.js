// Lesson links: the whole view state in the query string.
//
// Opening a link restores exactly that view; every edit is a new history
// entry, so back and forward walk through edits (moving the window, the
// band or the presentation replaces the entry instead of flooding the
// history). A teacher hides controls with `hide=padding,strides`. A bad or
// unknown parameter falls back to its default with a visible notice.
import { stateFromQuery, stateToQuery } from "./state.js";

const LATER_MS = 300;

export function createLesson({ table, base, presets, notice, share, shareStatus, onRestore }) {
  let written = location.search;

  function read() {
    return stateFromQuery(location.search, base, table, presets);
  }

  let pending = 0;

  /**
   * Put `state` in the address bar: a new history entry for an edit, the
   * same entry otherwise. `later` (the steps of playing) waits for a pause,
   * so the address bar is not rewritten on every frame.
   */
  function write(state, { push = false, later = false } = {}) {
    clearTimeout(pending);
    if (later) {
      pending = setTimeout(() => write(state), LATER_MS);
      return;
    }
    const query = stateToQuery(state, base, table, presets);
    const search = query ? `?${query}` : "";
    if (search === written) return;
    written = search;
    const url = `${location.pathname}${search}${location.hash}`;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function showProblems(problems) {
    notice.textContent = problems.join(" ");
    notice.hidden = problems.length === 0;
  }

  /** Hide the controls a lesson link names; show all others. */
  function applyHidden(hide) {
    for (const element of document.querySelectorAll("[data-control]")) {
      element.hidden = hide.includes(element.dataset.control);
    }
  }

  async function copyLink() {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      shareStatus.textContent = "Link copied.";
    } catch {
      // No clipboard (an insecure origin, or permission refused): show the link to copy by hand.
      shareStatus.textContent = `Copy this link: ${url}`;
    }
  }

  share.addEventListener("click", copyLink);
  window.addEventListener("popstate", () => {
    written = location.search;
    onRestore(read());
  });

  return { read, write, showProblems, applyHidden };
}
