// The player: play / pause, previous / next, the step slider, the speed,
// and the keys. It owns only the step and the timer; drawing a step is the
// caller's `onStep`.
import { SPEEDS } from "./colors.js";
import { t } from "./i18n.js";

/** The player's elements, found by their test ids (the page and the offline export share them). */
export function playerElements(byTestId) {
  const ids = ["play", "prev", "next", "step", "position", "speed"];
  return Object.fromEntries(ids.map((id) => [id, byTestId(id)]));
}

export function createPlayer(elements, { onStep, lastStep, holdAt = () => false }) {
  const { play, prev, next, step, position, speed } = elements;
  let current = 0;
  let timer = null;
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function showPosition() {
    const last = lastStep();
    step.max = String(last);
    step.value = String(current);
    position.textContent = t("page.player.position", { index: current + 1, total: last + 1 });
    step.setAttribute("aria-valuetext", t("page.player.valuetext", { index: current + 1, total: last + 1 }));
    const focused = document.activeElement;
    prev.disabled = current <= 0;
    next.disabled = current >= last;
    // A disabled button drops focus to <body>; hand it to its twin, or to play.
    if (focused === prev && prev.disabled) (next.disabled ? play : next).focus();
    if (focused === next && next.disabled) (prev.disabled ? play : prev).focus();
  }

  function goTo(target) {
    const clamped = Math.max(0, Math.min(lastStep(), target));
    if (clamped === current) return;
    current = clamped;
    showPosition();
    onStep(current);
  }

  const playing = () => timer !== null;

  function stepMs() {
    const ms = SPEEDS[speed.value] ?? SPEEDS.normal;
    // Less motion asked for: the same steps, a little slower, never eased.
    return reducedMotion.matches ? Math.max(ms, SPEEDS.normal) : ms;
  }

  function setPlaying(on) {
    clearTimeout(timer);
    timer = null;
    play.setAttribute("aria-pressed", String(on));
    play.querySelector(".label").textContent = on ? t("page.player.pause") : t("page.player.play");
    play.querySelector(".icon").textContent = on ? "❚❚" : "▶";
    if (on) timer = setTimeout(tick, stepMs());
  }

  // `holdAt(step)`: play stops at that step (predict mode: a window still to be predicted).
  function tick() {
    goTo(current + 1);
    setPlaying(current < lastStep() && !holdAt(current));
  }

  function toggle() {
    if (playing()) {
      setPlaying(false);
      return;
    }
    if (current >= lastStep()) goTo(0);
    setPlaying(lastStep() > 0 && !holdAt(current));
  }

  function isTyping(target) {
    return target instanceof HTMLElement
      && (target.matches("input:not([type=range]), select, textarea") || target.isContentEditable);
  }

  const KEY_MOVES = {
    ArrowRight: () => current + 1,
    ArrowLeft: () => current - 1,
    Home: () => 0,
    End: () => lastStep(),
  };

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (event.key === " " && !event.target.matches?.("button")) {
      event.preventDefault();
      toggle();
    } else if (KEY_MOVES[event.key] && event.target !== step) {
      event.preventDefault();
      setPlaying(false);
      goTo(KEY_MOVES[event.key]());
    }
  }

  play.addEventListener("click", toggle);
  prev.addEventListener("click", () => { setPlaying(false); goTo(current - 1); });
  next.addEventListener("click", () => { setPlaying(false); goTo(current + 1); });
  step.addEventListener("input", () => { setPlaying(false); goTo(Number(step.value)); });
  speed.addEventListener("change", () => { if (playing()) setPlaying(true); });
  document.addEventListener("keydown", onKey);

  return {
    get step() {
      return current;
    },
    /** Put the player at `target` without drawing (a new trace draws itself). */
    reset(target) {
      current = Math.max(0, Math.min(lastStep(), target));
      showPosition();
    },
    goTo,
    stop: () => setPlaying(false),
  };
}
