// Everything derived once per simulation and shared by every forward pass it prices.
import { fabricFor, type Fabric } from './collectives';
import { FFN_TILE, ratesFor, type Rates } from './efficiency';
import { hardwareById } from './hardware';
import { expertShares, rankShares } from './imbalance';
import { keptExperts, resolveLayout, type Layout } from './layout';
import { modelById } from './models';
import type { HardwareSpec, ModelSpec, SimInput } from './types';

export class SimInputError extends Error {
  override name = 'SimInputError';
}

export type SimContext = {
  input: SimInput;
  model: ModelSpec;
  hw: HardwareSpec;
  layout: Layout;
  rates: Rates;
  fabric: Fabric;
  fused: boolean;
  /** Experts and expert width after pruning. */
  experts: number;
  expertFfn: number;
  /** Expert width one GPU multiplies, padded up to the tensor-core tile. */
  expertFfnTiled: number;
  /** Share of routed pairs per EP rank (length = ep). */
  rankLoad: number[];
};

export function buildContext(input: SimInput): SimContext {
  const model = modelById(input.model);
  if (!model) throw new SimInputError(`Unknown model "${input.model}".`);
  const hw = hardwareById(input.hardware);
  if (!hw) throw new SimInputError(`Unknown hardware "${input.hardware}".`);
  for (const [name, v] of [
    ['input length', input.inputLen],
    ['output length', input.outputLen],
    ['concurrency', input.concurrency],
    ['prompts', input.prompts],
  ] as const) {
    if (!Number.isFinite(v) || v < 1)
      throw new SimInputError(`${name} must be at least 1, got ${v}.`);
  }
  const pruneInter = clampFraction(input.pruneInter);
  const pruneIntra = clampFraction(input.pruneIntra);
  const layout = resolveLayout(model, { ...input, pruneInter });
  const fused = input.fusedMoe ?? true;
  const experts = keptExperts(model, pruneInter);
  const expertFfn = Math.max(1, Math.round(model.expertFfn * (1 - pruneIntra)));
  const perGpuFfn = expertFfn / layout.expertTp;
  const shares = expertShares(experts, input.skew ?? 0, input.expertLoad);
  return {
    input,
    model,
    hw,
    layout,
    rates: ratesFor(hw, input.precision, fused),
    fabric: fabricFor(hw, input.interconnect),
    fused,
    experts,
    expertFfn,
    expertFfnTiled: Math.ceil(perGpuFfn / FFN_TILE) * FFN_TILE,
    rankLoad: rankShares(shares, layout.ep, input.balancedPlacement ?? false),
  };
}

function clampFraction(v: number | undefined): number {
  if (v === undefined || !Number.isFinite(v)) return 0;
  return Math.min(0.95, Math.max(0, v));
}
