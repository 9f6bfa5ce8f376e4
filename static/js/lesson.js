// Lesson links: the whole view state in the address.
//
// Opening a link restores exactly that view; every edit is a new history
// entry, so back and forward walk through edits (moving the window, the
// band or the presentation replaces the entry instead of flooding the
// history). A teacher hides controls with `hide=padding,strides`. A bad or
// unknown parameter falls back to its default with a visible notice.
// A short state is the query; a long one goes after `#?` (see state.js), so
// every link the page writes opens again.
import { LINK_LONG, stateFromLink, stateToLink } from "./state.js";
import { t } from "./i18n.js";

// While the window plays, the address is rewritten at most this often
// (browsers throttle history calls); the last step is always written.
const LATER_MS = 300;

function readable(hash) {
  try {
    decodeURIComponent(hash);
    return true;
  } catch {
    return false;
  }
}

export function createLesson({ table, base, presets, notice, share, shareStatus, current, offerExport, onRestore }) {
  let written = `${location.search}${location.hash}`;
  let pending = 0;
  let lastStepWrite = -Infinity;

  function read() {
    return stateFromLink(location, base, table, presets);
  }

  function writeNow(state, push) {
    clearTimeout(pending);
    pending = 0;
    const link = stateToLink(state, base, table, presets);
    // A section's deep link (#gradient) stays beside a short state; an unreadable fragment goes.
    const hash = link.hash || (location.hash.startsWith("#?") || !readable(location.hash) ? "" : location.hash);
    const target = `${link.search}${hash}`;
    if (target === written) return;
    written = target;
    const url = `${location.pathname}${target}`;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  /**
   * Put `state` in the address bar: a new history entry for an edit, the
   * same entry otherwise. `later` (a step of the window) writes at once
   * unless a step was written less than LATER_MS ago; then it writes the
   * newest state when that time is up, so the link never lags the screen
   * by more than that and a single step is written at once.
   */
  function write(state, { push = false, later = false } = {}) {
    if (later) {
      const wait = lastStepWrite + LATER_MS - performance.now();
      if (wait > 0) {
        clearTimeout(pending);
        pending = setTimeout(() => {
          lastStepWrite = performance.now();
          writeNow(state, false);
        }, wait);
        return;
      }
      lastStepWrite = performance.now();
    }
    writeNow(state, push);
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
    // Exactly what is on screen now, not what the address said a moment ago.
    writeNow(current(), false);
    const url = location.href;
    let said;
    try {
      await navigator.clipboard.writeText(url);
      said = t("page.share.copied");
    } catch {
      // No clipboard (an insecure origin, or permission refused): show the link to copy by hand.
      said = t("page.share.copy_by_hand", { url });
    }
    shareStatus.replaceChildren(said);
    if (url.length > LINK_LONG) {
      // It opens here, but a mail or chat app may cut it: the file keeps everything.
      const file = document.createElement("button");
      file.type = "button";
      file.textContent = t("page.share.download");
      file.dataset.testid = "share-export";
      file.addEventListener("click", offerExport);
      shareStatus.append(
        ` ${t("page.share.long", { count: url.length })} `,
        file,
      );
    }
  }

  share.addEventListener("click", copyLink);
  window.addEventListener("popstate", () => {
    written = `${location.search}${location.hash}`;
    onRestore(read());
  });
  // Leaving the page (or its tab going to the background) writes a step still waiting.
  window.addEventListener("pagehide", () => pending && writeNow(current(), false));

  return { read, write, showProblems, applyHidden };
}
