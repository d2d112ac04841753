// The whole-model benchmark's measurements as a report: one table of the paths, one of our
// speed-up over the reference graph on each backend, one of our own WGSL dense path against
// ORT's dense parts, the WGSL path's batched decode with its step profile, one table of batched
// decode across paths (S concurrent requests on wasm, ORT-dense WebGPU and own WGSL dense) with
// the WebGPU ÷ wasm throughput at each S and whether each path's throughput grows with S, and a
// chart of TTFT and ITL. Pure.
import type { DispatchCosts } from '../viz/dispatchFloor';
import { modelTargets } from './modelTargets';
import { fmt } from './timing';
import type { BenchReport, BenchSection, BenchSize, Cell } from './types';

export type ModelPathResult = {
  id:
    | 'ours-webgpu'
    | 'ours-webgpu-uncaptured'
    | 'ours-webgpu-jspi'
    | 'wgsl-webgpu'
    | 'ours-wasm'
    | 'ref-webgpu'
    | 'ref-wasm';
  label: string;
  backend: string;
  ttftMs?: number;
  itlMs?: number;
  tokensPerS?: number;
  /** Compute dispatches per generated token (ORT's and ours), WebGPU paths only. */
  dispatchesPerToken?: number | null;
  /** Command buffers submitted per generated token, WebGPU paths only. */
  submitsPerToken?: number | null;
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

/** The own WGSL dense path decoding S identical requests together. */
export type WgslBatchResult = {
  sequences: number;
  ttftMs: number;
  itlMs: number;
  /** Output tokens per second over all S requests. */
  outputTokensPerS: number;
  /** Submissions per decode step (all S sequences' tokens of that step). */
  submitsPerStep: number;
  /** Whether all S sequences made the same tokens (they had the same prompt). */
  sameTokens: boolean;
  /** The first request's tokens in the first timed run (absent in reports before it was kept). */
  tokens?: number[];
  /** One decode step of the S sequences, measured step by step (not pipelined). */
  profile: {
    dispatches: number;
    /** CPU: writing the step's rows and uniforms, recording every pass, submitting. */
    encodeMs: number;
    /** From the submit to the token ids on the CPU. */
    waitMs: number;
    /** GPU busy time from per-kernel timestamps: dense kernels, MoE kernels (null: none). */
    gpuDenseMs: number | null;
    gpuMoeMs: number | null;
  };
};

/**
 * Our engine through the lab's own generate() loop (wasm, or ORT-dense WebGPU with graph
 * capture) decoding S identical requests together: one row of the batched table.
 */
export type EngineBatchResult = {
  id: 'ours-webgpu' | 'ours-wasm';
  label: string;
  backend: string;
  sequences: number;
  /** Means over the S requests; medians over the timed runs. */
  ttftMs?: number;
  itlMs?: number;
  /** Output tokens per second over all S requests: their new tokens ÷ first request → last token. */
  outputTokensPerS?: number;
  /** onnxruntime session.run calls per decode step (one step: a token for each of the S). */
  ortRunsPerStep?: number | null;
  /** Whether all S requests made the same tokens, in every timed run. */
  sameTokens?: boolean;
  /** The first request's tokens in the first timed run. */
  tokens?: number[];
  /** Wall ms of this measurement, warm-up included: what it adds to the benchmark. */
  measureMs?: number;
  /**
   * At 1 request: the path's single-request runs of the first table (the same generate() call),
   * this many, reused rather than measured again.
   */
  singleRequestRuns?: number;
  /** Why this batch size has no numbers. */
  error?: string;
};

/** Issue 19: at 16 and 64 concurrent requests, WebGPU output tokens/s ≥ 10× wasm's. */
export const BATCH_TARGET = { ratio: 10, sequences: [16, 64] } as const;

export type ModelReportMeta = {
  packId: string;
  promptTokens: number;
  newTokens: number;
  runs: number;
  startedIso: string;
  device: string;
  runtime: string;
  size: BenchSize;
  /** Timed runs of each batched measurement on our engine's paths (absent: `runs`). */
  batchRuns?: number;
  /** What a dispatch and a submission cost on this device, measured in the same run. */
  dispatchCosts?: DispatchCosts | null;
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

/** Tokens/s to a precision that reads on a fast GPU (thousands) and on SwiftShader (below one). */
const tps = (x: number): string => x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2);

/** A row of the batched table: an engine path's result, or the own WGSL path's, by path. */
type BatchRow = Omit<EngineBatchResult, 'id' | 'measureMs' | 'singleRequestRuns'> & {
  path: 'ours-webgpu' | 'wgsl-webgpu' | 'ours-wasm';
};

const measuredTps = (r: BatchRow | undefined): number | null =>
  r && !r.error && r.outputTokensPerS !== undefined && Number.isFinite(r.outputTokensPerS)
    ? r.outputTokensPerS
    : null;

/**
 * Batched decode on every path as one table (path × S), with computed lines: at each S the
 * fastest WebGPU path's output tokens/s ÷ wasm's against BATCH_TARGET, and whether each path's
 * throughput grows from each measured S to the next.
 */
function batchSection(
  engine: EngineBatchResult[],
  wgsl: WgslBatchResult[],
  results: ModelPathResult[],
  truth: ModelPathResult | undefined,
  truthName: string,
  meta: ModelReportMeta,
): BenchSection | null {
  if (!engine.length && !wgsl.length) return null;
  const wgslLabel =
    results.find((r) => r.id === 'wgsl-webgpu')?.label ?? 'ours, own WGSL dense (all kernels ours)';
  const all: BatchRow[] = [
    ...engine.map((b) => ({ ...b, path: b.id })),
    ...wgsl.map((b) => ({
      ...b,
      path: 'wgsl-webgpu' as const,
      label: wgslLabel,
      backend: 'WebGPU',
      ortRunsPerStep: 0,
    })),
  ];
  const order = ['ours-webgpu', 'wgsl-webgpu', 'ours-wasm'] as const;
  const rows = order.flatMap((p) =>
    all.filter((r) => r.path === p).sort((a, b) => a.sequences - b.sequences),
  );
  const at = (p: BatchRow['path'], S: number) =>
    rows.find((r) => r.path === p && r.sequences === S);
  const same = (r: BatchRow): Cell => {
    if (r.error || r.sameTokens === undefined) return null;
    if (!r.sameTokens) return 'no: the requests differ';
    if (!r.tokens || !truth?.tokens) return 'yes';
    const n = sharedPrefix(r.tokens, truth.tokens);
    return n === truth.tokens.length && n === r.tokens.length
      ? 'yes'
      : `first ${n} of ${truth.tokens.length}`;
  };
  const table: Cell[][] = rows.map((r) => {
    const one = measuredTps(at(r.path, 1));
    const mine = measuredTps(r);
    return [
      r.label,
      r.backend,
      String(r.sequences),
      fmt(r.error ? null : r.ttftMs, 1),
      fmt(r.error ? null : r.itlMs, 2),
      mine === null ? null : tps(mine),
      fmt(mine !== null && one !== null && r.sequences !== 1 ? mine / one : null, 2),
      fmt(r.error ? null : (r.ortRunsPerStep ?? null), 1),
      same(r),
    ];
  });
  const name = (r: BatchRow) =>
    r.path === 'wgsl-webgpu'
      ? 'own WGSL dense'
      : r.path === 'ours-webgpu'
        ? 'ORT dense + our MoE'
        : 'ORT dense + TS MoE';
  const engineRuns = meta.batchRuns ?? meta.runs;
  const notes = [
    `S requests = S copies of the prompt started together, greedy, EOS ignored, ${meta.newTokens} new tokens each. Our engine's paths (ORT dense on WebGPU with graph capture, and on wasm) run the lab's own generate() loop (src/engine/generate.ts); the own WGSL dense path runs its own loop, one submission per step. TTFT and ITL: means over the S requests; output tokens/s: all S requests' new tokens ÷ the time from their start to the last token. Medians over ${engineRuns} timed run${engineRuns === 1 ? '' : 's'} (own WGSL dense: ${meta.runs}) after a warm-up run at each S. "× 1 request": this row's tokens/s ÷ the same path's at 1 request. ORT runs / decode step: onnxruntime session.run calls in one decode step of all S requests.`,
  ];
  const reused = engine.filter((b) => b.singleRequestRuns !== undefined && !b.error);
  if (reused.length)
    notes.push(
      `1 request on ${reused.map((b) => `${b.id === 'ours-wasm' ? 'ORT dense + TS MoE' : 'ORT dense + our MoE'} on ${b.backend}`).join(' and ')}: the single-request runs of the first table (median of ${reused[0]!.singleRequestRuns}), not measured again; its ORT runs / decode step count decode steps only.`,
    );
  for (const r of rows)
    if (r.error)
      notes.push(
        `${name(r)} on ${r.backend}, ${r.sequences} requests: not measured (${r.error.replace(/\.$/, '')}).`,
      );
  // WebGPU ÷ wasm at each S: the fastest WebGPU path against wasm at the same concurrency.
  const sizes = [...new Set(rows.map((r) => r.sequences))].sort((a, b) => a - b);
  for (const S of sizes) {
    const wasm = at('ours-wasm', S);
    const wasmTps = measuredTps(wasm);
    const gpu = rows
      .filter((r) => r.sequences === S && r.path !== 'ours-wasm' && measuredTps(r) !== null)
      .sort((a, b) => measuredTps(b)! - measuredTps(a)!)[0];
    const targeted = (BATCH_TARGET.sequences as readonly number[]).includes(S);
    const head = `${S} request${S === 1 ? '' : 's'}: WebGPU ÷ wasm output tokens/s`;
    if (!gpu || wasmTps === null || wasmTps <= 0) {
      notes.push(
        `${head}: no ratio (${!gpu ? 'no WebGPU path measured' : 'wasm not measured'} at this S)${targeted ? `; the ≥ ${BATCH_TARGET.ratio}× target is not measured` : ''}.`,
      );
      continue;
    }
    const x = measuredTps(gpu)! / wasmTps;
    const verdict = targeted
      ? x >= BATCH_TARGET.ratio
        ? `target ≥ ${BATCH_TARGET.ratio}×: met`
        : `target ≥ ${BATCH_TARGET.ratio}×: missed, ${(BATCH_TARGET.ratio / x).toFixed(2)}× short`
      : `no target at this S (the ≥ ${BATCH_TARGET.ratio}× target is set at ${BATCH_TARGET.sequences.join(' and ')} requests)`;
    notes.push(
      `${head} = ${x.toFixed(2)}× (fastest WebGPU path: ${name(gpu)}, ${tps(measuredTps(gpu)!)} tokens/s; wasm ${tps(wasmTps)} tokens/s) — ${verdict}.`,
    );
  }
  // Whether each path's throughput grows with the batch: every measured S over the one before.
  const shrinks: string[] = [];
  let judged = 0;
  for (const p of order) {
    const mine = rows.filter((r) => r.path === p && measuredTps(r) !== null);
    if (mine.length < 2) continue;
    judged++;
    const steps = mine.slice(1).map((r, i) => ({
      from: mine[i]!,
      to: r,
      x: measuredTps(r)! / measuredTps(mine[i]!)!,
    }));
    const falls = steps.filter((s) => s.x <= 1);
    if (falls.length) shrinks.push(`${name(mine[0]!)} on ${mine[0]!.backend}`);
    notes.push(
      `${name(mine[0]!)} on ${mine[0]!.backend}: output tokens/s at ${mine.map((r) => r.sequences).join(' → ')} requests: ${mine.map((r) => tps(measuredTps(r)!)).join(' → ')} (${steps.map((s) => `×${s.x.toFixed(2)}`).join(', ')}) — ${
        falls.length
          ? `does not grow with the batch from ${falls.map((s) => `${s.from.sequences} to ${s.to.sequences}`).join(' and from ')} requests`
          : 'grows with the batch at every step'
      }.`,
    );
  }
  if (judged)
    notes.push(
      shrinks.length
        ? `Throughput grows with the batch on every path measured: no (not on ${shrinks.join(', ')}).`
        : `Throughput grows with the batch on every path measured: yes (${judged} path${judged === 1 ? '' : 's'}).`,
    );
  return {
    id: 'model-batch',
    title: `Whole model, S concurrent requests decoded together, every path (same prompt, ${meta.newTokens} new tokens each)`,
    columns: [
      'Path',
      'Backend',
      'Requests',
      'TTFT ms',
      'ITL ms',
      'output tokens/s (all requests)',
      '× 1 request',
      'ORT runs / decode step',
      `Same tokens (every request${truth?.tokens ? `, as ${truthName}` : ''})`,
    ],
    rows: table,
    notes,
  };
}

export function modelReport(
  results: ModelPathResult[],
  batches: WgslBatchResult[],
  meta: ModelReportMeta,
  engineBatches: EngineBatchResult[] = [],
): BenchReport {
  const by = (id: ModelPathResult['id']) => results.find((r) => r.id === id && !r.error);
  // The ground truth for tokens: the ONNX-only graph on the CPU, else our CPU path.
  const truth = by('ref-wasm') ?? by('ours-wasm');
  const notes = [
    'TTFT: request → first new token (tokenise, prefill, sample). ITL: (E2E − TTFT) / (tokens − 1). tokens/s: new tokens / E2E. Medians over the timed runs, after one warm-up run.',
    'Greedy decoding with EOS ignored, so every path makes the same number of tokens from the same prompt.',
    'reference.onnx is the whole model as one onnxruntime graph with no KV cache: each new token re-runs the whole sequence, so its ITL grows with the length; ours keeps K/V per layer and runs only the new token.',
    'ORT dense (the default): decode steps replay onnxruntime-web graph-captured sessions — per layer a static attention graph for one new token of each of B sequences, built from the pack\u2019s weights (src/engine/decodeGraph.ts; B the smallest of 1, 2, 4 … 64 that holds the batch), and the head on B rows: one call per layer for the whole batch — and the embedding is a copy from the table on the GPU; the prompt runs the pack\u2019s own graphs. "without graph capture": every step on the pack\u2019s own graphs (embed, attention per layer, head).',
    'ORT ms and MoE ms / token: wall time per decode token spent inside onnxruntime-web calls (for the reference: its whole run and the logits read back) and inside our MoE layers; the rest of the ITL is sampling, the loop and waiting.',
    'GPU dispatches: every compute dispatch (onnxruntime-web\u2019s and ours), counted by wrapping GPUComputePassEncoder.dispatchWorkgroups during the run. Submits: command buffers handed to GPUQueue.submit during the run, counted the same way. Both per generated token, prefill included.',
    'Own WGSL dense: embedding, RMSNorm, q|k|v, RoPE, attention over a preallocated KV cache, Wo, LM head and sampling are our WGSL kernels (shaders/dense_*.wgsl), recorded with our MoE layers into one command buffer per token; only the sampled token ids are read back. No ORT calls, so no ORT or separate MoE time.',
  ];
  // onnxruntime-web's two WebGPU builds, per call: the ORT time of a decode token over its calls.
  const perCall = (r: ModelPathResult | undefined) =>
    r?.ortMsPerToken !== undefined && r.ortRunsPerToken
      ? r.ortMsPerToken / r.ortRunsPerToken
      : null;
  const asyncifyCall = perCall(by('ours-webgpu'));
  const uncapturedCall = perCall(by('ours-webgpu-uncaptured'));
  const jspiCall = perCall(by('ours-webgpu-jspi'));
  if (asyncifyCall !== null && uncapturedCall !== null)
    notes.push(
      `onnxruntime-web per session.run on WebGPU, decode (ORT ms ÷ ORT runs per decode token): the captured static graphs ${asyncifyCall.toFixed(2)} ms, the pack's own graphs without capture ${uncapturedCall.toFixed(2)} ms — ${
        asyncifyCall < uncapturedCall
          ? `capture ${(uncapturedCall / asyncifyCall).toFixed(2)}× faster per call`
          : `capture not faster here (${(asyncifyCall / uncapturedCall).toFixed(2)}× the uncaptured time)`
      }.`,
    );
  if (asyncifyCall !== null && jspiCall !== null)
    notes.push(
      `onnxruntime-web per session.run on WebGPU (ORT ms ÷ ORT runs per decode token): asyncify build ${asyncifyCall.toFixed(2)} ms, JSPI build ${jspiCall.toFixed(2)} ms — ${
        jspiCall < asyncifyCall
          ? `JSPI ${(asyncifyCall / jspiCall).toFixed(2)}× faster per call`
          : `JSPI not faster here (${(jspiCall / asyncifyCall).toFixed(2)}× the asyncify time)`
      }.`,
    );
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
    fmt(r.submitsPerToken ?? null, 1),
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
  const ortDense = by('ours-webgpu');
  const wgsl = by('wgsl-webgpu');
  const denseRows: Cell[][] =
    ortDense && wgsl
      ? [
          [
            'WebGPU',
            fmt(ratio(ortDense.ttftMs, wgsl.ttftMs), 2),
            fmt(ratio(ortDense.itlMs, wgsl.itlMs), 2),
            fmt(ratio(wgsl.tokensPerS, ortDense.tokensPerS), 2),
            fmt(
              ratio(ortDense.dispatchesPerToken ?? undefined, wgsl.dispatchesPerToken ?? undefined),
              2,
            ),
            fmt(ratio(ortDense.submitsPerToken ?? undefined, wgsl.submitsPerToken ?? undefined), 2),
          ],
        ]
      : [];
  const batchTable = batchSection(engineBatches, batches, results, truth, truthName, meta);
  const label = (r: ModelPathResult) =>
    `${r.id === 'wgsl-webgpu' ? 'own WGSL' : r.id.startsWith('ours') ? 'ours' : 'reference'} ${r.backend}`;
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
          'Submits / token',
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
      {
        id: 'model-wgsl-dense',
        title:
          'Whole model: own WGSL dense vs ORT dense + our MoE, both WebGPU (× = how many times better the WGSL path is)',
        columns: [
          'Backend',
          'TTFT ×',
          'ITL ×',
          'tokens/s ×',
          'fewer dispatches ×',
          'fewer submits ×',
        ],
        rows: denseRows,
        notes: denseRows.length
          ? []
          : ['Needs both WebGPU paths measured; see the table above for why not.'],
      },
      ...(batches.length
        ? [
            {
              id: 'model-wgsl-batch',
              title: `Own WGSL dense path, S concurrent requests decoded together (same prompt, ${meta.newTokens} new tokens each)`,
              columns: [
                'Requests',
                'TTFT ms',
                'ITL ms',
                'output tokens/s (all requests)',
                'submits / step',
                'all requests same tokens',
                'dispatches / step',
                'CPU record + submit ms',
                'submit → ids ms',
                'GPU dense ms',
                'GPU MoE ms',
              ],
              rows: batches.map((b) => [
                String(b.sequences),
                fmt(b.ttftMs, 1),
                fmt(b.itlMs, 2),
                fmt(b.outputTokensPerS, 0),
                fmt(b.submitsPerStep, 2),
                b.sameTokens ? 'yes' : 'no',
                fmt(b.profile.dispatches, 0),
                fmt(b.profile.encodeMs, 3),
                fmt(b.profile.waitMs, 3),
                fmt(b.profile.gpuDenseMs, 3),
                fmt(b.profile.gpuMoeMs, 3),
              ]),
              notes: [
                'Every decode step runs all S sequences through each kernel together in one submission; the prefill runs the prompts in groups of at most 512 rows, one submission each. Submits / step averages over every step, prefill included. Greedy decode is pipelined: the next step is recorded and submitted (its token ids come from the sampler on the GPU) before this step\u2019s ids are read back.',
                'Profile of one decode step, measured step by step without pipelining (medians): CPU record + submit = writing the row info and uniforms, recording every pass (ours and the MoE layers\u2019) and submitting; submit → ids = waiting for the GPU and the read-back of the token ids; GPU dense / MoE ms = the kernels\u2019 busy time from timestamps around each kernel (a separate run, each kernel in its own pass; — where the device has no timestamp-query).',
              ],
            },
          ]
        : []),
      ...(batchTable ? [batchTable] : []),
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
    targets: modelTargets(results, meta.dispatchCosts ?? null),
    targetsFrom: 'issue 19',
    raw: { meta, results, batches, engineBatches },
  };
}
