// What every guided section shares: it follows the tool's trace and view
// state, draws only when on screen, debounces its own fetches and aborts a
// stale one, so an older answer never replaces a newer one.
//
// A view module gives `createSection` three functions:
//   key(context)            a string naming everything its data depends on;
//   load(context, signal)   fetches (with `signal`) and resolves with its data;
//   render(data, context)   draws the data (Plotly.react, textContent);
// and, if it needs one, onFollow(context, previous), called when the tool
// draws, before anything is fetched (to reset its own controls).
// `context` is { trace, state, request }: the tool's last trace, its view
// state, and toRequest(state), the body the teaching endpoints take.
import { ApiError, fetchTrace } from "../api.js";
import { DEBOUNCE_MS } from "../colors.js";
import { t } from "../i18n.js";

// Sections load when they come on screen: none fetches while the tool
// alone is in view (stepping the player must send no request).
const MARGIN = "0px";

export function createSection(root, { key, load, render, onFollow }) {
  const status = root.querySelector('[data-part="status"]');
  let context = null;
  let visible = false;
  let drawnKey = null;
  let data = null;
  let controller = null;
  let timer = 0;
  let renders = 0;
  let width = root.clientWidth;

  function showError(message) {
    status.textContent = message;
    status.classList.add("is-error");
    root.classList.add("stale");
  }

  function clearError() {
    if (status.classList.contains("is-error")) status.textContent = "";
    status.classList.remove("is-error");
    root.classList.remove("stale");
  }

  async function run() {
    const wanted = context && visible ? key(context) : drawnKey;
    if (wanted === drawnKey && !controller) {
      delete root.dataset.busy;
      return;
    }
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    root.dataset.busy = "true";
    try {
      const next = await load(context, mine.signal);
      if (mine.signal.aborted) return;
      data = next;
      await render(data, context);
      if (mine.signal.aborted) return;
      drawnKey = wanted;
      clearError();
      renders += 1;
      root.dataset.renders = String(renders);
    } catch (error) {
      if (error.name === "AbortError") return;
      if (error instanceof SectionError || error instanceof ApiError) {
        drawnKey = wanted;
        showError(error.message);
        renders += 1;
        root.dataset.renders = String(renders);
        return;
      }
      throw error;
    } finally {
      if (controller === mine) {
        controller = null;
        delete root.dataset.busy;
      }
    }
  }

  /** Fetch again soon: the tool or this section's own controls changed. */
  function schedule(delay = DEBOUNCE_MS) {
    clearTimeout(timer);
    if (!visible) return;
    // A pending change is already stale: stop its fetch now.
    controller?.abort();
    controller = null;
    root.dataset.busy = "true";
    timer = setTimeout(run, delay);
  }

  new IntersectionObserver((entries) => {
    visible = entries.some((entry) => entry.isIntersecting);
    if (visible && context && key(context) !== drawnKey) schedule(0);
  }, { rootMargin: MARGIN }).observe(root);

  // A new width (a resized window, a rotated phone) redraws what is there, with no fetch.
  new ResizeObserver(() => {
    if (root.clientWidth === width) return;
    width = root.clientWidth;
    if (data && visible && !controller) render(data, context);
  }).observe(root);

  return {
    root,
    /** The tool drew a trace: follow it when what this section shows depends on something new. */
    follow(next) {
      const previous = context;
      context = next;
      followLayer(root, next.trace);
      onFollow?.(next, previous);
      if (visible && key(context) !== drawnKey) schedule();
    },
    /** This section's own control changed. */
    changed() {
      if (context) schedule();
    },
    get context() {
      return context;
    },
  };
}

/**
 * The section's own words follow the tool's layer: an element marked
 * data-layer="max" or "average" shows only under that layer, and one marked
 * data-name="pool" or "global" names the windowed or the global layer.
 */
export function followLayer(root, trace) {
  for (const element of root.querySelectorAll("[data-layer]")) element.hidden = element.dataset.layer !== trace.pooling.kind;
  for (const element of root.querySelectorAll('[data-name="pool"]')) element.textContent = trace.pooling.name;
  for (const element of root.querySelectorAll('[data-name="global"]')) element.textContent = trace.global.name;
}

/** A problem with the learner's input to a section, said in a sentence. */
export class SectionError extends Error {
  constructor(message) {
    super(message);
    this.name = "SectionError";
  }
}

/** POST `body` as JSON to `url`; ApiError for a refusal (the app's one error shape). */
export function post(url, body, signal) {
  return fetchTrace(url, body, signal);
}

/** A section's element by its data-part. */
export function part(root, name) {
  return root.querySelector(`[data-part="${name}"]`);
}

/** Read a whole number from a text field; SectionError naming the field when it is not one. */
export function wholeNumber(input, name, min, max) {
  const text = input.value.trim();
  if (!/^-?\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    // The bounds as code writes them (2147483647, not 2,147,483,647).
    throw new SectionError(t("sections.whole_number", { name, min: String(min), max: String(max), text }));
  }
  return Number(text);
}
