// Times for the virtual GPUs' timeline. Links come from the chosen interconnect of an H100 node
// (the simulator's specs, derated by the same collective efficiency). Compute is what each
// rank's kernels measured (timestamp-query) or, without it, an H100 roofline: max(FLOPs at the
// bf16 rate, bytes at HBM bandwidth) + a launch per kernel — the simulator's efficiencies.
import {
  COLLECTIVE_EFFICIENCY,
  DENSE_GEMM_EFFICIENCY,
  FUSED_MOE_GEMM_EFFICIENCY,
  HBM_EFFICIENCY,
} from '../sim/efficiency';
import { hardwareById } from '../sim/hardware';
import type { HardwareSpec, Interconnect } from '../sim/types';
import { attentionTp, type ModelDims } from './modelDims';
import type { ShardLayout } from './shardLayout';

export type Link = {
  name: string;
  latencyUs: number;
  bytesPerMs: number;
  /** The data-sheet rate per direction (GB/s) and the derating applied to it, for the caption. */
  gbPerS: number;
  efficiency: number;
};

export const TIMELINE_HARDWARE = 'h100-sxm';

function hardware(): HardwareSpec {
  const hw = hardwareById(TIMELINE_HARDWARE);
  if (!hw) throw new Error(`no hardware spec ${TIMELINE_HARDWARE}`);
  return hw;
}

export function linkFor(interconnect: Interconnect): Link {
  const l = hardware()[interconnect];
  const name = { nvlink: 'NVLink 4', pcie: 'PCIe 5', infiniband: 'InfiniBand NDR' }[interconnect];
  return {
    name,
    latencyUs: l.latencyUs,
    bytesPerMs: l.gbPerS * 1e6 * COLLECTIVE_EFFICIENCY,
    gbPerS: l.gbPerS,
    efficiency: COLLECTIVE_EFFICIENCY,
  };
}

/** Where the modelled link times come from, in words: rate, derating, latency per step. */
export function linkNote(link: Link): string {
  return `${link.name}: ${link.gbPerS} GB/s each way (data sheet) × ${link.efficiency} (collective efficiency the simulator calibrated) + ${link.latencyUs} µs per step`;
}

/** Where the modelled compute times come from, in words: the H100's data-sheet figures and deratings. */
export function hardwareNote(): string {
  const hw = hardware();
  const pct = (v: number) => `${Math.round(v * 100)} %`;
  return `${hw.name} (NVIDIA data sheet): ${hw.bf16Tflops} TFLOP/s bf16 at ${pct(DENSE_GEMM_EFFICIENCY)} for dense GEMMs and ${pct(FUSED_MOE_GEMM_EFFICIENCY)} for grouped expert GEMMs, ${hw.hbmTBs} TB/s HBM at ${pct(HBM_EFFICIENCY)}, ${hw.kernelLaunchUs} µs per kernel launch — the cluster simulator's figures`;
}

/** A collective's time on one rank: latency per step plus its larger direction over the link. */
export function commMs(link: Link, steps: number, sent: number, received: number): number {
  if (sent <= 0 && received <= 0) return 0;
  return (steps * link.latencyUs) / 1000 + Math.max(sent, received) / link.bytesPerMs;
}

export type ComputePhase = 'attention' | 'router' | 'pack' | 'experts' | 'shared' | 'sum';

export type RankWork = {
  /** Tokens whose attention and routing this rank runs. */
  ownTokens: number;
  /** Rows its expert shard received, pairs it computed, experts it touched. */
  rows: number;
  pairs: number;
  expertsHit: number;
};

function roofMs(flops: number, bytes: number, eff: number, launches: number): number {
  const hw = hardware();
  const t = Math.max(
    flops / (hw.bf16Tflops * 1e9 * eff),
    bytes / (hw.hbmTBs * 1e9 * HBM_EFFICIENCY),
  );
  return t + (launches * hw.kernelLaunchUs) / 1000;
}

/** Modelled ms per compute phase of one rank, for one MoE layer (f32 bytes, bf16 FLOP rate). */
export function modelledComputeMs(
  layout: ShardLayout,
  m: ModelDims,
  rank: number,
  w: RankWork,
): Record<ComputePhase, number> {
  const r = rank % layout.tp;
  const Ir = layout.iSlice[r]![1] - layout.iSlice[r]![0];
  const Is = layout.sharedSlice[r]![1] - layout.sharedSlice[r]![0];
  const attnTp = attentionTp(layout.strategy, layout.gpus, layout.tp, m.heads);
  const q = m.heads * m.headDim;
  const kv = m.kvHeads * m.headDim;
  const attnFlops = (2 * w.ownTokens * (m.D * (q + 2 * kv) + q * m.D)) / attnTp;
  const attnBytes =
    ((m.D * (q + 2 * kv) + q * m.D) * 4 + w.ownTokens * 2 * kv * m.context * 4) / attnTp;
  return {
    attention: w.ownTokens > 0 ? roofMs(attnFlops, attnBytes, DENSE_GEMM_EFFICIENCY, 3) : 0,
    router:
      w.ownTokens > 0
        ? roofMs(2 * w.ownTokens * m.D * m.E, m.D * m.E * 4, DENSE_GEMM_EFFICIENCY, 1)
        : 0,
    pack: w.rows > 0 ? roofMs(0, 2 * w.rows * m.D * 4, 1, 1) : 0,
    experts:
      w.pairs > 0
        ? roofMs(
            6 * m.D * Ir * w.pairs,
            w.expertsHit * 3 * m.D * Ir * 4,
            FUSED_MOE_GEMM_EFFICIENCY,
            4,
          )
        : 0,
    shared:
      Is > 0 && w.ownTokens > 0
        ? roofMs(6 * m.D * Is * w.ownTokens, 3 * m.D * Is * 4, DENSE_GEMM_EFFICIENCY, 2)
        : 0,
    sum: w.ownTokens > 0 ? roofMs(0, 3 * w.ownTokens * m.D * 4, 1, 1) : 0,
  };
}
