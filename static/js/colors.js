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
// Printed values: 13 px on a laptop, at least 20 px in presentation mode.
export const CELL_FONT_SIZE = 13;
export const PRESENT_FONT_SIZE = 20;

// Cell sizes in pixels. Rows never shrink below `rowMin` (the values stay
// printed and the words labelled); a sentence taller than its plot shows a
// viewport of rows instead. Columns shrink from `colMax` down to `colMin`,
// the narrowest column whose value ("-0.35" at `fontMin` px) still clears a
// winner's frame (geometry.js cellFont), before a feature is dropped; more
// features than fit at `colMin` show as a band of features to move along.
export const CELL = { rowMin: 24, rowMax: 56, colMin: 36, colMax: 110, font: CELL_FONT_SIZE, fontMin: 11 };
// Presentation mode: rows and columns big enough for 20 px values.
export const PRESENT_CELL = { rowMin: 36, rowMax: 72, colMin: 59, colMax: 140, font: PRESENT_FONT_SIZE, fontMin: PRESENT_FONT_SIZE };
export const LABEL_MAX_CHARS = 14;

// Milliseconds per window for each play speed.
export const SPEEDS = { slow: 2000, normal: 1100, fast: 500 };
// Typing waits this long for the next key before asking the server: short enough
// that keystroke-to-pixels stays within 100 ms, long enough to merge a burst.
// A newer request aborts an older one, so an older answer never wins.
export const DEBOUNCE_MS = 40;

// The part of a long sentence on screen, framed in the overview strip.
export const VIEWPORT = { line: { color: "#1d4f91", width: 2 }, fill: "rgba(29, 79, 145, 0.18)" };

// An average window that divides by fewer than pool_size (its padding is not counted).
export const PARTIAL_COLOR = "#9a4209";
