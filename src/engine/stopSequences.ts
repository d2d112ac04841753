// Where generated text should end: the earliest stop sequence, searched only in the part of
// the text that the newest token could have completed.

/** Index in `text` where the first stop sequence starts, or -1. `from` skips text already checked. */
export function findStop(text: string, stops: readonly string[], from = 0): number {
  let best = -1;
  for (const stop of stops) {
    if (stop === '') continue;
    const at = text.indexOf(stop, Math.max(0, from - stop.length + 1));
    if (at !== -1 && (best === -1 || at < best)) best = at;
  }
  return best;
}
