// The whole-model benchmark's measurements as a report: one table of the four paths, one of our
// speed-up over the reference graph on each backend, and a chart of TTFT and ITL. Pure.
import { fmt } from './timing';
import type { BenchReport, BenchSize, Cell } from './types';

export type ModelPathResult = {
  id: 'ours-webgpu' | 'ours-wasm' | 'ref-webgpu' | 'ref-wasm';
  label: string;
  backend: string;
  ttftMs?: number;
  itlMs?: number;
  tokensPerS?: number;
  /** Compute dispatches per generated token (ORT's and ours), WebGPU paths only. */
  dispatchesPerToken?: number | null;
  ortRunsPerToken?: number;
  /** Per decode token: wall ms inside onnxruntime calls (the reference: its whole run + read-back). */
  ortMsPerToken?: number;
  /** Per decode token: wall ms in our MoE layers (our paths only). */
  moeMsPerToken?: number | null;
  /** The greedy tokens of the first timed run. */
  tokens?: number[];
  /** Why the path has no numbers (no WebGPU, ORT could not load the graph, …). */
  error?: string;
  /** Tokens of every timed run (greedy runs must agree). */
  runs: number[][];
};

export type ModelReportMeta = {
  packId: string;
  promptTokens: number;
  newTokens: number;
  runs: number;
  startedIso: string;
  device: string;
  runtime: string;
  size: BenchSize;
};

/** How many leading tokens two greedy runs share. */
export function sharedPrefix(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function agreement(r: ModelPathResult, truth: ModelPathResult | undefined): Cell {
  if (!r.tokens || !truth?.tokens) return null;
  if (r === truth) return 'is the reference';
  const n = sharedPrefix(r.tokens, truth.tokens);
  return n === truth.tokens.length && n === r.tokens.length
    ? 'yes'
    : `first ${n} of ${truth.tokens.length}`;
}

const ratio = (num: number | undefined, den: number | undefined): number | null =>
  num !== undefined && den !== undefined && den > 0 && Number.isFinite(num / den)
    ? num / den
    : null;

export function modelReport(results: ModelPathResult[], meta: ModelReportMeta): BenchReport {
  const by = (id: ModelPathResult['id']) => results.find((r) => r.id === id && !r.error);
  // The ground truth for tokens: the ONNX-only graph on the CPU, else our CPU path.
  const truth = by('ref-wasm') ?? by('ours-wasm');
  const notes = [
    'TTFT: request → first new token (tokenise, prefill, sample). ITL: (E2E − TTFT) / (tokens − 1). tokens/s: new tokens / E2E. Medians over the timed runs, after one warm-up run.',
    'Greedy decoding with EOS ignored, so every path makes the same number of tokens from the same prompt.',
    'reference.onnx is the whole model as one onnxruntime graph with no KV cache: each new token re-runs the whole sequence, so its ITL grows with the length; ours keeps K/V per layer and runs only the new token.',
    'ORT ms and MoE ms / token: wall time per decode token spent inside onnxruntime-web calls (for the reference: its whole run and the logits read back) and inside our MoE layers; the rest of the ITL is sampling, the loop and waiting.',
    'GPU dispatches: every compute dispatch (onnxruntime-web\u2019s and ours), counted by wrapping GPUComputePassEncoder.dispatchWorkgroups during the run.',
  ];
  for (const r of results) {
    if (r.error)
      notes.push(`${r.label} on ${r.backend}: not measured (${r.error.replace(/\.$/, '')}).`);
    else if (r.runs.some((t) => sharedPrefix(t, r.runs[0]!) !== r.runs[0]!.length))
      notes.push(`${r.label} on ${r.backend}: the timed runs did not all make the same tokens.`);
  }
  const truthName = truth ? `${truth.id === 'ref-wasm' ? 'reference' : 'ours'} (wasm)` : 'wasm';
  const rows: Cell[][] = results.map((r) => [
    r.label,
    r.backend,
    fmt(r.ttftMs, 1),
    fmt(r.itlMs, 2),
    fmt(r.tokensPerS, 1),
    fmt(r.dispatchesPerToken ?? null, 0),
    fmt(r.ortRunsPerToken, 0),
    fmt(r.ortMsPerToken, 2),
    fmt(r.moeMsPerToken ?? null, 2),
    agreement(r, truth),
  ]);
  const speedRows: Cell[][] = [];
  for (const backend of ['WebGPU', 'wasm']) {
    const key = backend === 'WebGPU' ? 'webgpu' : 'wasm';
    const ours = by(`ours-${key}` as ModelPathResult['id']);
    const ref = by(`ref-${key}` as ModelPathResult['id']);
    if (!ours || !ref) continue;
    speedRows.push([
      backend,
      fmt(ratio(ref.ttftMs, ours.ttftMs), 2),
      fmt(ratio(ref.itlMs, ours.itlMs), 2),
      fmt(ratio(ours.tokensPerS, ref.tokensPerS), 2),
      fmt(ratio(ref.dispatchesPerToken ?? undefined, ours.dispatchesPerToken ?? undefined), 2),
    ]);
  }
  const label = (r: ModelPathResult) =>
    `${r.id.startsWith('ours') ? 'ours' : 'reference'} ${r.backend}`;
  return {
    kind: 'model',
    size: meta.size,
    startedIso: meta.startedIso,
    finishedIso: new Date().toISOString(),
    device: meta.device,
    runtime: meta.runtime,
    sections: [
      {
        id: 'model',
        title: `Whole model: ${meta.packId}, ${meta.promptTokens}-token prompt, ${meta.newTokens} new tokens, greedy (median of ${meta.runs} runs)`,
        columns: [
          'Path',
          'Backend',
          'TTFT ms',
          'ITL ms',
          'tokens/s',
          'GPU dispatches / token',
          'ORT runs / token',
          'ORT ms / token',
          'MoE ms / token',
          `Same tokens as ${truthName}`,
        ],
        rows,
        notes,
      },
      {
        id: 'model-speedup',
        title: 'Whole model: ours vs the reference graph (× = how many times better ours is)',
        columns: ['Backend', 'TTFT ×', 'ITL ×', 'tokens/s ×', 'fewer dispatches ×'],
        rows: speedRows,
        notes: speedRows.length
          ? []
          : ['Needs both paths measured on the same backend; see the table above for why not.'],
      },
    ],
    charts: [
      {
        title: 'Whole model: time to first token and between tokens',
        unit: 'ms (log scale)',
        series: results.map(label),
        groups: [
          { label: 'TTFT', values: results.map((r) => (r.error ? null : (r.ttftMs ?? null))) },
          { label: 'ITL', values: results.map((r) => (r.error ? null : (r.itlMs ?? null))) },
        ],
        log: true,
      },
    ],
    targets: [],
    raw: { meta, results },
  };
}
