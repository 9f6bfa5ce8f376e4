// Reading a trace answer (format 2). A frame carries only what it alone
// knows: index, start, stop and, for max, where each feature's winner sits
// in the window (winner_offsets: the row is start + offset).
// Its real rows, padded positions, divisor and output row come from the
// arrays the answer holds once (steps, pooling.output): every module reads
// them here, never by looking for fields the frames no longer repeat.
// pooling/traces.py's window_cells is the Python twin of windowRows/paddedRows.

/** Number of windows of the sliding layer. */
export const windowCount = (trace) => trace.pooling.out_steps;

/** The window's frame as sent: { index, start, stop, winner_offsets? }. */
export const windowOf = (trace, i) => trace.pooling.frames[i];

/** The window's real input rows, first to last. */
export function windowRows(trace, i) {
  const { start, stop } = trace.pooling.frames[i];
  const rows = [];
  for (let r = Math.max(start, 0); r < Math.min(stop, trace.pooling.steps); r += 1) rows.push(r);
  return rows;
}

/** The window's padded positions (below 0 or from steps on), in order. */
export function paddedRows(trace, i) {
  const { start, stop } = trace.pooling.frames[i];
  const steps = trace.pooling.steps;
  const padded = [];
  for (let r = start; r < stop; r += 1) if (r < 0 || r >= steps) padded.push(r);
  return padded;
}

/** The layer's output for window `i`, one value per feature. */
export const outputRow = (trace, i) => trace.pooling.output[i];

/** Max only: the input row that won each feature of window `i`; null for an average. */
export function winnersOf(trace, i) {
  const { start, winner_offsets: offsets } = trace.pooling.frames[i];
  return offsets ? offsets.map((offset) => start + offset) : null;
}

/** Average only: what each sum of window `i` is divided by, its real cells. */
export function divisorOf(trace, i) {
  const { start, stop } = trace.pooling.frames[i];
  return Math.min(stop, trace.pooling.steps) - Math.max(start, 0);
}

/**
 * Window `i` with everything a view needs in one object:
 * { index, start, stop, rows, padded, output, winners (max) | divisor (average) }.
 */
export function frameAt(trace, i) {
  const { index, start, stop } = trace.pooling.frames[i];
  const whole = { index, start, stop, rows: windowRows(trace, i), padded: paddedRows(trace, i), output: outputRow(trace, i) };
  if (trace.pooling.kind === "max") whole.winners = winnersOf(trace, i);
  else whole.divisor = divisorOf(trace, i);
  return whole;
}

/** Every window, as frameAt gives it. */
export const allFrames = (trace) => Array.from({ length: windowCount(trace) }, (_, i) => frameAt(trace, i));
