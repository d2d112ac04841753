// Everything derived once per simulation and shared by every forward pass it prices.
import { fabricFor, type Fabric } from './collectives';
import { FFN_TILE, ratesFor, type Rates } from './efficiency';
import { ENGINE_RELEASES, engineById, schedulerLimitsFor, type EngineProfile } from './engines';
import { hardwareById } from './hardware';
import { expertShares, rankShares } from './imbalance';
import { keptExperts, resolveLayout, type Layout } from './layout';
import { modelById } from './models';
import { ENDPOINTS, type HardwareSpec, type ModelSpec, type SimInput } from './types';

export class SimInputError extends Error {
  override name = 'SimInputError';
}

export type SimContext = {
  input: SimInput;
  model: ModelSpec;
  hw: HardwareSpec;
  layout: Layout;
  rates: Rates;
  engine: EngineProfile;
  fabric: Fabric;
  fused: boolean;
  /** Experts and expert width after pruning. */
  experts: number;
  expertFfn: number;
  /** Expert width one GPU multiplies, padded up to the tensor-core tile. */
  expertFfnTiled: number;
  /** Share of routed pairs per EP rank (length = ep). */
  rankLoad: number[];
  /** Share of routed pairs per (kept) expert: the capacity factor's drops come from these. */
  expertShares: number[];
};

export function buildContext(input: SimInput): SimContext {
  const model = modelById(input.model);
  if (!model) throw new SimInputError(`Unknown model "${input.model}".`);
  const hw = hardwareById(input.hardware);
  if (!hw) throw new SimInputError(`Unknown hardware "${input.hardware}".`);
  const profile = input.engineProfile ?? engineById(input.engine ?? DEFAULT_ENGINE);
  if (!profile) throw new SimInputError(`Unknown engine "${input.engine}".`);
  // The engine's scheduler defaults on this GPU (vLLM keeps smaller ones on A100s).
  const engine = { ...profile, ...schedulerLimitsFor(profile, hw) };
  if (
    input.engineRelease !== undefined &&
    !(ENGINE_RELEASES as readonly string[]).includes(input.engineRelease)
  )
    throw new SimInputError(`Unknown engine release "${input.engineRelease}".`);
  if (input.endpoint !== undefined && !(ENDPOINTS as readonly string[]).includes(input.endpoint))
    throw new SimInputError(`Unknown endpoint "${input.endpoint}".`);
  validateNumbers(input);
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
    rates: ratesFor(hw, input.precision, fused, engine, input.engineRelease, model.int4Format),
    engine,
    fabric: fabricFor(hw, input.interconnect),
    fused,
    experts,
    expertFfn,
    expertFfnTiled: Math.ceil(perGpuFfn / FFN_TILE) * FFN_TILE,
    rankLoad: rankShares(shares, layout.ep, input.balancedPlacement ?? false),
    expertShares: shares,
  };
}

export const DEFAULT_ENGINE = 'vllm';

/**
 * Every number that enters the simulator is finite and in range: a NaN or an overflowing
 * value would otherwise flow through the arithmetic into a confident wrong answer.
 */
function validateNumbers(input: SimInput): void {
  const atLeastOne: [string, number][] = [
    ['input length', input.inputLen],
    ['output length', input.outputLen],
    ['concurrency', input.concurrency],
    ['prompts', input.prompts],
    ['GPU count', input.gpus],
  ];
  for (const [name, v] of atLeastOne) {
    if (!Number.isFinite(v) || v < 1)
      throw new SimInputError(`${name} must be a finite number of at least 1, got ${v}.`);
  }
  const optional: [string, number | undefined, number, number][] = [
    ['skew', input.skew, 0, 1],
    ['inter-expert pruning', input.pruneInter, 0, 0.95],
    ['intra-expert pruning', input.pruneIntra, 0, 0.95],
    ['length CV', input.lengthCv, 0, 10],
    ['max batch tokens', input.maxBatchTokens, 1, 1e7],
    ['arrival rate', input.arrivalRate, 1e-6, 1e7],
    ['diffusion steps', input.diffusionSteps, 1, 1e6],
    ['capacity factor', input.capacityFactor, 1, 4],
  ];
  for (const [name, v, lo, hi] of optional) {
    if (v !== undefined && (!Number.isFinite(v) || v < lo || v > hi))
      throw new SimInputError(`${name} must be a finite number in [${lo}, ${hi}], got ${v}.`);
  }
  const spec = input.speculative;
  if (spec && ![spec.draftParamsB, spec.draftTokens, spec.acceptanceRate].every(Number.isFinite))
    throw new SimInputError('Speculative decoding settings must be finite numbers.');
  if (input.expertLoad && !input.expertLoad.every((x) => Number.isFinite(x) && x >= 0))
    throw new SimInputError('Expert loads must be finite, non-negative counts.');
}

function clampFraction(v: number | undefined): number {
  if (v === undefined || !Number.isFinite(v)) return 0;
  return Math.min(0.95, Math.max(0, v));
}
