// Visual constants: one place for every colour, size and timing on the page.

// Diverging blue-white-orange scale, centred at 0. Blue and orange stay
// distinct for the common colour-vision deficiencies (unlike red-green).
export const DIVERGING = [
  [0.0, "#1d4f91"],
  [0.25, "#76a8d8"],
  [0.5, "#f7f7f7"],
  [0.75, "#f7ab62"],
  [1.0, "#b8520c"],
];

export const PAD_FILL = "#d4d4d8";
export const PAD_TEXT = "#6b6b75";
export const INK = "#17181c";
export const MUTED = "#5b5f6b";
export const GRID_LINE = "#b9bcc6";
export const PAPER = "#ffffff";

// The current window and the output row it writes: one colour links them.
export const WINDOW = { color: "#17181c", width: 4 };
// A winning cell: dark outline with a white inner ring, visible on any fill.
export const WINNER = { color: "#17181c", width: 2.5, ring: "#ffffff", ringWidth: 1.5 };
export const EMPTY_SLOT = { color: "#9aa0ad", width: 1.2, dash: "dot" };

export const FONT = {
  family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, sans-serif',
  size: 13,
  color: INK,
};
export const CELL_FONT_SIZE = 13;
export const BIG_CELL_FONT_SIZE = 16;

// Pixels per row: rows share `budget`, within min..max; on a tall screen
// a short sentence gets up to `roomy` pixels a row (see rowPixels).
export const ROW_PX = { max: 42, roomy: 64, min: 14, budget: 420, reserved: 600 };

// Below these sizes the printed values would overlap, so they are hidden.
export const TEXT_MIN = { rowPx: 20, colPx: 34 };
export const LABEL_MAX_CHARS = 14;

export const STEP_MS = 1100;
export const DEBOUNCE_MS = 150;
