// Align & sort alone (count → prefix sum → padded block layout → permutation): our single- and
// multi-workgroup kernels against a naive one-thread serial scan, T = 16 … 65 536, E = 8 … 256.
import { AlignSort, maxBlocks, type AlignMode } from '../kernels/align';
import { randomTopk, rng } from '../kernels/random';
import type { BlockSize } from '../kernels/types';
import { GpuTimer } from '../gpu/GpuTimer';
import { bindGroup, paramsBuffer, writeParams } from '../kernels/shaderSpec';
import { naiveAlignShader } from './benchShaders';
import { computePipeline, fmt, median, STORAGE, timePass, yieldToUi } from './timing';
import {
  throwIfCancelled,
  type BenchChart,
  type BenchHooks,
  type BenchSection,
  type BenchSize,
  type Target,
} from './types';

export type AlignRow = {
  T: number;
  E: number;
  k: number;
  BM: number;
  singleUs: number | null;
  multiUs: number | null;
  naiveUs: number | null;
};

const BM: BlockSize = 64;

export function alignCases(size: BenchSize): { Ts: number[]; Ek: [number, number][] } {
  return size === 'full'
    ? {
        Ts: [16, 256, 4096, 8192, 65536],
        Ek: [
          [8, 2],
          [64, 8],
          [256, 8],
        ],
      }
    : {
        Ts: [16, 256, 2048],
        Ek: [
          [8, 2],
          [256, 8],
        ],
      };
}

async function naiveUs(device: GPUDevice, ids: Int32Array, E: number, reps: number) {
  const hasTs = device.features.has('timestamp-query');
  const P = ids.length;
  const slots = maxBlocks(P, E, BM) * BM;
  const pipe = computePipeline(device, naiveAlignShader.source);
  const prm = paramsBuffer(device, naiveAlignShader, 'naive align params');
  writeParams(device, prm, naiveAlignShader, { P, E, BM, slots });
  const idb = device.createBuffer({ size: P * 4, usage: STORAGE });
  device.queue.writeBuffer(idb, 0, ids as Int32Array<ArrayBuffer>);
  const work = device.createBuffer({ size: (2 * E + 1) * 4, usage: STORAGE });
  const sorted = device.createBuffer({ size: slots * 4, usage: STORAGE });
  const eids = device.createBuffer({ size: (slots / BM) * 4, usage: STORAGE });
  const bufs = [prm, idb, work, sorted, eids];
  try {
    const bg = bindGroup(
      device,
      pipe,
      naiveAlignShader,
      { prm, ids: idb, work, sorted_ids: sorted, expert_ids: eids },
      'naive align',
    );
    const t = await timePass(
      device,
      (pass) => {
        pass.setPipeline(pipe);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(1);
      },
      reps,
    );
    return (hasTs ? t.gpuMs : t.wallMs)! * 1000;
  } finally {
    for (const b of bufs) b.destroy();
  }
}

async function ourUs(device: GPUDevice, ids: Int32Array, E: number, mode: AlignMode, reps: number) {
  const a = await AlignSort.create(device, { E, blockSize: BM, maxPairs: ids.length, mode });
  const ms: number[] = [];
  try {
    for (let i = 0; i <= reps; i++) {
      const timer = new GpuTimer(device, 4);
      const t0 = performance.now();
      await a.run(ids, { timer });
      const wall = performance.now() - t0;
      const t = await timer.read();
      timer.destroy();
      if (i > 0) ms.push(t ? t[0]!.ms : wall);
    }
  } finally {
    a.destroy();
  }
  return median(ms) * 1000;
}

export async function runAlignBench(
  device: GPUDevice,
  size: BenchSize,
  hooks: BenchHooks = {},
): Promise<AlignRow[]> {
  const { Ts, Ek } = alignCases(size);
  const full = size === 'full';
  const rows: AlignRow[] = [];
  const total = Ts.length * Ek.length;
  for (const T of Ts)
    for (const [E, k] of Ek) {
      throwIfCancelled(hooks.signal);
      hooks.onProgress?.({
        message: `align & sort T=${T} E=${E} k=${k}`,
        fraction: rows.length / total,
      });
      await yieldToUi();
      const ids = randomTopk(T, k, E, rng(T + E));
      const reps = full ? 10 : 2;
      rows.push({
        T,
        E,
        k,
        BM,
        singleUs: await ourUs(device, ids, E, 'single', reps),
        multiUs: await ourUs(device, ids, E, 'multi', reps),
        // The serial scan takes seconds on SwiftShader past a few thousand pairs: skip it there.
        naiveUs:
          full || T <= 256 ? await naiveUs(device, ids, E, full ? (T >= 8192 ? 1 : 3) : 1) : null,
      });
    }
  return rows;
}

/** `timestamps` false: the device has no timestamp-query and every time is wall-clock. */
export function alignSection(rows: AlignRow[], timestamps = true): BenchSection {
  return {
    id: 'align',
    title: `Align & sort alone (${timestamps ? 'GPU' : 'wall-clock'} µs, median; BM 64)`,
    columns: [
      'T',
      'E',
      'k',
      'pairs',
      'single-WG µs',
      'multi-WG µs',
      'naive serial µs',
      'naive ÷ best',
    ],
    rows: rows.map((a) => {
      const best = Math.min(a.singleUs ?? Infinity, a.multiUs ?? Infinity);
      return [
        a.T,
        a.E,
        a.k,
        a.T * a.k,
        fmt(a.singleUs, 1),
        fmt(a.multiUs, 1),
        fmt(a.naiveUs, 1),
        a.naiveUs ? fmt(a.naiveUs / best, 1) : null,
      ];
    }),
    notes: [
      ...(timestamps
        ? []
        : [
            'This device offers no timestamp-query: times are wall-clock, ours from upload to the counts read back, the naive scan submit → done; they include fixed costs of the browser, so compare them with another machine’s wall-clock times only.',
          ]),
      'Published: SGLang align-sort (A100) 8192 tokens × 256 experts, top-8 = 77 µs; vLLM moe_align_block_size ~20–27 µs fixed cost at small batch.',
    ],
  };
}

export function alignChart(rows: AlignRow[]): BenchChart {
  return {
    title: 'Align & sort GPU time (lower is better)',
    unit: 'µs, log scale',
    log: true,
    series: ['single workgroup', 'multi workgroup', 'naive serial scan'],
    groups: rows.map((a) => ({
      label: `T=${a.T} E=${a.E} k=${a.k}`,
      values: [a.singleUs, a.multiUs, a.naiveUs],
    })),
  };
}

export function alignTarget(rows: AlignRow[]): Target {
  const a = rows.find((r) => r.T === 8192 && r.E === 256 && r.k === 8);
  const best = a ? Math.min(a.singleUs ?? Infinity, a.multiUs ?? Infinity) : null;
  return {
    target: 'align & sort 8192 × top-8 × 256 experts < 100 µs GPU time',
    status: !a ? 'not measured' : best! < 100 ? 'met' : 'missed',
    detail: a
      ? `single ${fmt(a.singleUs, 1)} µs, multi ${fmt(a.multiUs, 1)} µs (SGLang A100: 77 µs)`
      : 'T = 8192 runs in the full size only',
  };
}
