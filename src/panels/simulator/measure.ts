// Wall-clock time of a computation, so the panel can say how long its own sweeps take.
export function measure<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}
