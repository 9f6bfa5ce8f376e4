// Presentation mode: the controls fold to one line saying what is shown,
// cells grow (values at least 20 px), and both views fill the screen side
// by side when both fit (main.js asks the layout solver), else one at a
// time with a button to swap them; the caption sits under them. Esc leaves.
import { t } from "./i18n.js";

export function createPresentation({ button, swap, summary, panels, onChange }) {
  const sliding = panels.querySelector('[data-panel="sliding"]');
  const globalPanel = panels.querySelector('[data-panel="global"]');

  const active = () => document.body.classList.contains("presenting");

  function show(panel) {
    sliding.toggleAttribute("data-shown", panel === sliding);
    globalPanel.toggleAttribute("data-shown", panel === globalPanel);
    swap.textContent = panel === sliding ? t("page.present.show_global") : t("page.present.show_sliding");
  }

  const shownName = () => (globalPanel.hasAttribute("data-shown") ? "global" : "sliding");
  const both = () => document.body.classList.contains("present-both");

  /** Show both views side by side (`on`) or the chosen one alone; the chosen view is kept either way. */
  function split(on) {
    document.body.classList.toggle("present-both", on && active());
    swap.hidden = on || !active();
  }

  /** Enter or leave presentation mode, showing view `name` ("sliding" or "global"). */
  function set(on, name = "sliding") {
    const panel = name === "global" ? globalPanel : sliding;
    if (on === active() && panel.hasAttribute("data-shown")) return;
    document.body.classList.toggle("presenting", on);
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? t("page.present.leave") : t("page.present.label");
    summary.hidden = !on;
    swap.hidden = !on;
    if (!on) document.body.classList.remove("present-both");
    show(on ? panel : sliding);
    onChange(on, shownName());
  }

  button.addEventListener("click", () => set(!active()));
  swap.addEventListener("click", () => {
    show(sliding.hasAttribute("data-shown") ? globalPanel : sliding);
    onChange(true, shownName());
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && active()) {
      event.preventDefault();
      set(false);
    }
  });

  return {
    get active() { return active(); },
    /** The view alone on screen in presentation mode ("sliding" or "global"), or null when both or none are. */
    get shown() { return active() && !both() ? shownName() : null; },
    set,
    split,
  };
}
