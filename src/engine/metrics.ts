// Serving metrics, measured on the lab's own runs, with the definitions used everywhere in the
// lab (see DESIGN.md): TTFT = request → first token; ITL = (E2E − TTFT) / (tokens − 1);
// E2E = request → last token; throughput = output tokens / s over all concurrent requests.

export type RequestTiming = {
  /** ms (performance.now) when the request was made. */
  requestMs: number;
  /** ms when each output token became available. */
  tokenMs: number[];
  /** Prompt length in tokens. */
  inputTokens: number;
};

export type RequestMetrics = {
  ttftMs: number;
  itlMs: number | null;
  e2eMs: number;
  outputTokens: number;
};

export function requestMetrics(t: RequestTiming): RequestMetrics | null {
  const n = t.tokenMs.length;
  if (n === 0) return null;
  const ttftMs = t.tokenMs[0]! - t.requestMs;
  const e2eMs = t.tokenMs[n - 1]! - t.requestMs;
  return { ttftMs, e2eMs, itlMs: n > 1 ? (e2eMs - ttftMs) / (n - 1) : null, outputTokens: n };
}

export type BatchMetrics = {
  requests: number;
  meanTtftMs: number;
  meanItlMs: number | null;
  meanE2eMs: number;
  outputTokensPerS: number;
  totalTokensPerS: number;
  wallMs: number;
};

/** Aggregates concurrent requests: throughput is over the wall time from first request to last token. */
export function batchMetrics(timings: readonly RequestTiming[]): BatchMetrics | null {
  const done = timings
    .map((t) => ({ t, m: requestMetrics(t) }))
    .filter((x): x is { t: RequestTiming; m: RequestMetrics } => x.m !== null);
  if (done.length === 0) return null;
  const start = Math.min(...done.map((x) => x.t.requestMs));
  const end = Math.max(...done.map((x) => x.t.tokenMs[x.t.tokenMs.length - 1]!));
  const wallMs = Math.max(end - start, 1e-6);
  const outputTokens = done.reduce((s, x) => s + x.m.outputTokens, 0);
  const inputTokens = done.reduce((s, x) => s + x.t.inputTokens, 0);
  const itls = done.map((x) => x.m.itlMs).filter((v): v is number => v !== null);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    requests: done.length,
    meanTtftMs: mean(done.map((x) => x.m.ttftMs)),
    meanItlMs: itls.length ? mean(itls) : null,
    meanE2eMs: mean(done.map((x) => x.m.e2eMs)),
    outputTokensPerS: (outputTokens / wallMs) * 1000,
    totalTokensPerS: ((outputTokens + inputTokens) / wallMs) * 1000,
    wallMs,
  };
}
