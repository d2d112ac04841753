// Per-GPU timelines: compute back to back on each GPU, a collective starting only when every GPU
// it joins has arrived (the others wait: that wait is what load imbalance costs), and pipeline
// schedules. Pure arithmetic on durations, so the panel and the tests share it.

export type SegmentKind = 'compute' | 'comm' | 'wait';
export type Segment = { phase: string; kind: SegmentKind; start: number; end: number };
export type Timeline = { lanes: Segment[][]; totalMs: number };

export type Stage =
  | { phase: string; kind: 'compute'; ms: number[] }
  /** `scope[r]` = which barrier group rank r joins (one id for all: a collective over every GPU). */
  | { phase: string; kind: 'comm'; ms: number[]; scope: number[] };

export function runStages(
  gpus: number,
  stages: Stage[],
  startAt: number[] = new Array<number>(gpus).fill(0),
): Timeline {
  const lanes: Segment[][] = Array.from({ length: gpus }, () => []);
  const at = [...startAt];
  for (const st of stages) {
    if (st.ms.every((v) => v <= 0)) continue;
    if (st.kind === 'compute') {
      st.ms.forEach((ms, r) => {
        if (ms <= 0) return;
        lanes[r]!.push({ phase: st.phase, kind: 'compute', start: at[r]!, end: at[r]! + ms });
        at[r]! += ms;
      });
      continue;
    }
    const ready = new Map<number, number>();
    st.scope.forEach((g, r) => ready.set(g, Math.max(ready.get(g) ?? 0, at[r]!)));
    st.ms.forEach((ms, r) => {
      const start = ready.get(st.scope[r]!)!;
      if (ms <= 0 && start === at[r]) return;
      if (start > at[r]!)
        lanes[r]!.push({
          phase: `waiting for ${st.phase}`,
          kind: 'wait',
          start: at[r]!,
          end: start,
        });
      if (ms > 0) lanes[r]!.push({ phase: st.phase, kind: 'comm', start, end: start + ms });
      at[r] = start + Math.max(0, ms);
    });
  }
  return { lanes, totalMs: Math.max(0, ...at) };
}

/** The same stages run `times` times back to back (a decode step: every layer in turn). */
export function repeatStages(gpus: number, stages: Stage[], times: number): Timeline {
  let t: Timeline = { lanes: Array.from({ length: gpus }, () => []), totalMs: 0 };
  let at = new Array<number>(gpus).fill(0);
  for (let i = 0; i < times; i++) {
    const next = runStages(gpus, stages, at);
    t = { lanes: t.lanes.map((l, r) => [...l, ...next.lanes[r]!]), totalMs: next.totalMs };
    at = next.lanes.map((l, r) => (l.length ? l[l.length - 1]!.end : at[r]!));
  }
  return t;
}

/**
 * Share of the step lost to uneven work: the step as run vs the same step with the named phase's
 * time spread evenly over the GPUs (each GPU doing the mean).
 */
export function imbalanceLoss(gpus: number, stages: Stage[], phase: string): number {
  const actual = runStages(gpus, stages).totalMs;
  const even = stages.map((s) => {
    if (s.phase !== phase) return s;
    const mean = s.ms.reduce((a, b) => a + b, 0) / s.ms.length;
    return { ...s, ms: s.ms.map(() => mean) };
  });
  const balanced = runStages(gpus, even).totalMs;
  return actual > 0 ? Math.max(0, 1 - balanced / actual) : 0;
}

/**
 * GPipe schedule: stage s runs micro-batch j once it finished j−1 and stage s−1's send of j
 * arrived; a send occupies the sender (no overlap of send and compute, the simple case).
 */
export function pipelineTimeline(computeMs: number[][], sendMs: number[][]): Timeline {
  const S = computeMs.length;
  const m = computeMs[0]?.length ?? 0;
  const lanes: Segment[][] = Array.from({ length: S }, () => []);
  const free = new Array<number>(S).fill(0);
  const arrived: number[][] = Array.from({ length: S }, () => new Array<number>(m).fill(0));
  for (let tick = 0; tick < m + S - 1; tick++)
    for (let s = 0; s < S; s++) {
      const j = tick - s;
      if (j < 0 || j >= m) continue;
      const start = Math.max(free[s]!, arrived[s]![j]!);
      if (start > free[s]!)
        lanes[s]!.push({ phase: 'bubble', kind: 'wait', start: free[s]!, end: start });
      const end = start + computeMs[s]![j]!;
      lanes[s]!.push({ phase: `micro-batch ${j + 1}`, kind: 'compute', start, end });
      free[s] = end;
      if (s < S - 1) {
        const send = sendMs[s]?.[j] ?? 0;
        if (send > 0)
          lanes[s]!.push({ phase: `send ${j + 1}`, kind: 'comm', start: end, end: end + send });
        free[s] = end + send;
        arrived[s + 1]![j] = end + send;
      }
    }
  return { lanes, totalMs: Math.max(0, ...free) };
}
