// Issue 19's single-request targets for the whole model, judged from one run's rows: decode ITL
// ≤ 1.0 ms on WebGPU set beside its dispatch floor (dispatches × per-dispatch cost + submits ×
// per-submit cost, both measured in the same run), WebGPU ITL ≤ 0.5 × wasm's, and TTFT ≤ 5 ms.
// The targets are stated for the H200 in Node + Dawn; elsewhere (SwiftShader, a laptop) the same
// lines say how far this device is from them. Pure: tested in plain Vitest.
import type { DispatchCosts } from '../viz/dispatchFloor';
import { floorMs } from '../viz/dispatchFloor';
import type { Target } from './types';

/**
 * What the targets read of a whole-model row (modelReport's ModelPathResult, which imports this
 * file: stated here so the two do not import each other).
 */
export type TargetRow = {
  id: string;
  itlMs?: number;
  ttftMs?: number;
  dispatchesPerToken?: number | null;
  submitsPerToken?: number | null;
  error?: string;
};

export const MODEL_TARGETS = { itlMs: 1.0, itlOfWasm: 0.5, ttftMs: 5 } as const;

const WEBGPU_PATHS: readonly string[] = ['wgsl-webgpu', 'ours-webgpu'];

const ok = (r: TargetRow | undefined, key: 'itlMs' | 'ttftMs') =>
  !!r && !r.error && r[key] !== undefined && Number.isFinite(r[key]);

const name = (r: TargetRow) =>
  r.id === 'wgsl-webgpu' ? 'own WGSL dense' : 'ORT dense + our MoE (graph capture)';

const ms = (v: number, digits = 2) => `${v.toFixed(digits)} ms`;

/** The floor of one token of `r` at its counted dispatches and submissions, or why there is none. */
export function tokenFloor(r: TargetRow, costs: DispatchCosts | null) {
  const d = r.dispatchesPerToken;
  const s = r.submitsPerToken;
  if (!costs || d === null || d === undefined || s === null || s === undefined) return null;
  return {
    ms: floorMs(d, s, costs),
    text: `${d.toFixed(0)} dispatches × ${costs.perDispatchUs.toFixed(1)} µs + ${s.toFixed(1)} submits × ${costs.perSubmitUs.toFixed(1)} µs`,
  };
}

export function modelTargets(results: readonly TargetRow[], costs: DispatchCosts | null): Target[] {
  const gpu = WEBGPU_PATHS.map((id) => results.find((r) => r.id === id)).filter(
    (r): r is TargetRow => ok(r, 'itlMs'),
  );
  const fastest = [...gpu].sort((a, b) => a.itlMs! - b.itlMs!)[0];
  const wasm = results.find((r) => r.id === 'ours-wasm');
  const targets: Target[] = [];

  const floors = gpu.map((r) => {
    const f = tokenFloor(r, costs);
    return f
      ? `${name(r)} ITL ${ms(r.itlMs!)}, floor ${ms(f.ms, 3)} (${f.text}; the ITL is ${(r.itlMs! / f.ms).toFixed(1)}× it)`
      : `${name(r)} ITL ${ms(r.itlMs!)} (no floor: ${costs ? 'dispatches not counted' : 'dispatch cost not measured in this run'})`;
  });
  targets.push({
    target: `decode ITL ≤ ${MODEL_TARGETS.itlMs.toFixed(1)} ms on WebGPU, beside its dispatch floor measured in this run${costs ? ` (${costs.perDispatchUs.toFixed(1)} µs a dispatch, ${costs.perSubmitUs.toFixed(1)} µs a submission)` : ''}`,
    status: !fastest ? 'not measured' : fastest.itlMs! <= MODEL_TARGETS.itlMs ? 'met' : 'missed',
    detail: fastest
      ? `${floors.join('; ')}${fastest.itlMs! > MODEL_TARGETS.itlMs ? ` — the fastest misses by ${ms(fastest.itlMs! - MODEL_TARGETS.itlMs)}` : ''}`
      : 'no WebGPU path ran',
  });

  const wasmOk = ok(wasm, 'itlMs') && wasm!.itlMs! > 0;
  const x = fastest && wasmOk ? fastest.itlMs! / wasm!.itlMs! : null;
  targets.push({
    target: `WebGPU ITL ≤ ${MODEL_TARGETS.itlOfWasm} × wasm ITL (same run)`,
    status: x === null ? 'not measured' : x <= MODEL_TARGETS.itlOfWasm ? 'met' : 'missed',
    detail:
      x === null
        ? `no ${fastest ? 'wasm' : 'WebGPU'} ITL in this run`
        : `${name(fastest!)} ${ms(fastest!.itlMs!)} ÷ wasm ${ms(wasm!.itlMs!)} = ${x.toFixed(2)}×`,
  });

  const ttft = WEBGPU_PATHS.map((id) => results.find((r) => r.id === id))
    .filter((r): r is TargetRow => ok(r, 'ttftMs'))
    .sort((a, b) => a.ttftMs! - b.ttftMs!)[0];
  targets.push({
    target: `TTFT ≤ ${MODEL_TARGETS.ttftMs} ms on WebGPU`,
    status: !ttft ? 'not measured' : ttft.ttftMs! <= MODEL_TARGETS.ttftMs ? 'met' : 'missed',
    detail: ttft
      ? `${name(ttft)} ${ms(ttft.ttftMs!, 1)}${wasm && ok(wasm, 'ttftMs') ? ` (wasm ${ms(wasm.ttftMs!, 1)})` : ''}`
      : 'no WebGPU path ran',
  });
  return targets;
}
