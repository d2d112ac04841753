// The hardware's own limits, measured in the same run as the kernels they judge: copy bandwidth
// (a vec4 shader copy) and two dense f32 matmul rates: the plain kernel (64×64 tiles, 4×4
// outputs per thread; kept so old results stay comparable) and the strong one (issue 23: the
// fastest of a few register-blocked, vec4, double-buffered tile shapes), with the adapter's
// data-sheet f32 peak where it is known.
import { adapterText } from '../gpu/gpuInfo';
import { bindGroup, overrideConstants, specialize } from '../kernels/shaderSpec';
import { floorCopyShader, floorMatmulShader, floorMatmulStrongShader } from './benchShaders';
import { computePipeline, STORAGE, timePass } from './timing';
import type { BenchSize } from './types';

export type MatmulFloor = { n: number; ms: number; TFLOPs: number };

/** One tile shape of src/bench/floorMatmulStrong.wgsl (its template slots). */
export type StrongShape = {
  /** Output tile of a workgroup (rows × columns) and its K step. */
  BM: number;
  BN: number;
  BK: number;
  /** Outputs per thread (rows × columns); (BM/TM)·(BN/TN) = 256 threads. */
  TM: number;
  TN: number;
  /** 2: double-buffered workgroup tiles; 1: one tile, two barriers a K step. */
  STAGES: 1 | 2;
};

export type StrongCandidate = {
  shape: string;
  ms: number | null;
  TFLOPs: number | null;
  /** Why it was not timed (too much workgroup memory for this device, a pipeline error). */
  skipped?: string;
};

export type Floors = {
  copy: { bytes: number; ms: number; GBps: number };
  /** The plain 64×64-tile kernel (src/bench/floorMatmul.wgsl). */
  matmul: MatmulFloor;
  /**
   * The fastest strong candidate and every candidate's rate. Absent in results written before
   * issue 23; null where no candidate ran.
   */
  matmulStrong?: (MatmulFloor & { shape: string; candidates: StrongCandidate[] }) | null;
  /** The adapter's data-sheet f32 peak (absent in old results; null: adapter not in the table). */
  peak?: DatasheetPeak | null;
};

export type DatasheetPeak = { TFLOPs: number; gpu: string };

/**
 * Dense f32 peaks (non-tensor, TFLOP/s) from the vendors' data sheets: NVIDIA H100 Tensor Core
 * GPU datasheet (H100 SXM 67, H100 PCIe 51, H100 NVL 60), NVIDIA H200 Tensor Core GPU datasheet
 * (H200 SXM 67, H200 NVL 60), NVIDIA A100 Tensor Core GPU datasheet (19.5), AMD Instinct MI300X
 * data sheet (81.7 FP32 vector — the rate a shader's FMAs run at; its 163.4 is the matrix cores'). Matched against the adapter's text (vendor,
 * architecture, device, description: Dawn says e.g. "nvidia nvidia-h200 NVIDIA: 580.159.04");
 * browsers that hide the device name get null. First match wins: specific variants first.
 */
const DATASHEET_F32: readonly { re: RegExp; gpu: string; TFLOPs: number }[] = [
  { re: /h200[\s-]*nvl/, gpu: 'NVIDIA H200 NVL', TFLOPs: 60 },
  { re: /h200/, gpu: 'NVIDIA H200 SXM', TFLOPs: 67 },
  { re: /h100[\s-]*nvl/, gpu: 'NVIDIA H100 NVL', TFLOPs: 60 },
  { re: /h100[\s-]*pcie/, gpu: 'NVIDIA H100 PCIe', TFLOPs: 51 },
  { re: /h100/, gpu: 'NVIDIA H100 SXM', TFLOPs: 67 },
  { re: /a100/, gpu: 'NVIDIA A100', TFLOPs: 19.5 },
  { re: /mi300x/, gpu: 'AMD Instinct MI300X', TFLOPs: 81.7 },
];

/** The data-sheet f32 peak of the adapter, or null where it is not in the table. */
export function datasheetPeak(
  info: { vendor?: string; architecture?: string; device?: string; description?: string } | null,
): DatasheetPeak | null {
  if (!info) return null;
  const text = adapterText({
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
  }).toLowerCase();
  const hit = DATASHEET_F32.find((p) => p.re.test(text));
  return hit ? { TFLOPs: hit.TFLOPs, gpu: hit.gpu } : null;
}

/**
 * The strong floor's tile shapes, all 256 threads. Each must load whole vec4s per thread
 * (BM·BK/4 and BK·BN/4 multiples of 256); workgroup bytes = STAGES·BK·(BM + BN)·4, so the
 * 32 KiB ones run only where the device allows more than WebGPU's default 16 KiB.
 */
export const STRONG_CANDIDATES: readonly StrongShape[] = [
  { BM: 128, BN: 128, BK: 8, TM: 8, TN: 8, STAGES: 2 },
  { BM: 128, BN: 128, BK: 16, TM: 8, TN: 8, STAGES: 1 },
  { BM: 128, BN: 128, BK: 16, TM: 8, TN: 8, STAGES: 2 },
  { BM: 128, BN: 64, BK: 16, TM: 8, TN: 4, STAGES: 2 },
  { BM: 64, BN: 64, BK: 16, TM: 4, TN: 4, STAGES: 2 },
];

export const shapeName = (s: StrongShape): string =>
  `${s.BM}×${s.BN}×${s.BK} ${s.TM}×${s.TN}/thread${s.STAGES === 2 ? ' 2-stage' : ''}`;

export const strongWorkgroupBytes = (s: StrongShape): number => s.STAGES * s.BK * (s.BM + s.BN) * 4;

/** Why this shape cannot run M × N × K on this device, or null. */
export function strongShapeProblem(
  s: StrongShape,
  dims: { M: number; N: number; K: number },
  maxWorkgroupBytes: number,
): string | null {
  if ((s.BM / s.TM) * (s.BN / s.TN) !== 256 || s.TM % 4 || s.TN % 4)
    return 'not 256 threads of vec4 thread tiles';
  if (((s.BM * s.BK) / 4) % 256 || ((s.BK * s.BN) / 4) % 256)
    return 'tiles not a whole number of vec4s per thread';
  if (dims.M % s.BM || dims.N % s.BN || dims.K % s.BK)
    return `${dims.M}×${dims.N}×${dims.K} is not a multiple of the tile`;
  const bytes = strongWorkgroupBytes(s);
  if (bytes > maxWorkgroupBytes)
    return `needs ${bytes / 1024} KiB of workgroup memory, the device allows ${maxWorkgroupBytes / 1024} KiB`;
  return null;
}

/** A pipeline of the strong floor for this shape and these sizes. */
export function strongPipeline(
  device: GPUDevice,
  s: StrongShape,
  dims: { M: number; N: number; K: number },
): GPUComputePipeline {
  const code = specialize(floorMatmulStrongShader, { ...s });
  return computePipeline(device, code, overrideConstants(floorMatmulStrongShader, dims));
}

/** Records C = A·B with the strong floor (buffers M×K, K×N, M×N f32) into a pass. */
export function encodeStrong(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  s: StrongShape,
  dims: { M: number; N: number },
  bufs: { A: GPUBuffer; B: GPUBuffer; C: GPUBuffer },
): (pass: GPUComputePassEncoder) => void {
  const bg = bindGroup(device, pipeline, floorMatmulStrongShader, bufs, 'strong matmul floor');
  return (pass) => {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(dims.N / s.BN, dims.M / s.BM);
  };
}

export async function copyFloor(device: GPUDevice, size: BenchSize): Promise<Floors['copy']> {
  const bytes = (size === 'full' ? 256 : 16) * 2 ** 20;
  const p = computePipeline(device, floorCopyShader.source);
  const a = device.createBuffer({ size: bytes, usage: STORAGE });
  const b = device.createBuffer({ size: bytes, usage: STORAGE });
  const bg = bindGroup(device, p, floorCopyShader, { s: a, d: b }, 'copy floor');
  const groups = bytes / 16 / 256;
  const gx = Math.min(groups, 32768);
  try {
    const t = await timePass(
      device,
      (pass) => {
        pass.setPipeline(p);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(gx, groups / gx);
      },
      size === 'full' ? 10 : 3,
    );
    const ms = t.gpuMs ?? t.wallMs;
    return { bytes: 2 * bytes, ms, GBps: (2 * bytes) / ms / 1e6 };
  } finally {
    a.destroy();
    b.destroy();
  }
}

export async function matmulFloor(device: GPUDevice, size: BenchSize): Promise<Floors['matmul']> {
  const n = size === 'full' ? 4096 : 256;
  const p = computePipeline(
    device,
    floorMatmulShader.source,
    overrideConstants(floorMatmulShader, { n }),
  );
  const [A, B, C] = [0, 1, 2].map(() => device.createBuffer({ size: n * n * 4, usage: STORAGE }));
  const bufs = [A!, B!, C!];
  const init = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  device.queue.writeBuffer(A!, 0, init);
  device.queue.writeBuffer(B!, 0, init);
  const bg = bindGroup(device, p, floorMatmulShader, { A, B, C }, 'matmul floor');
  try {
    const t = await timePass(
      device,
      (pass) => {
        pass.setPipeline(p);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(n / 64, n / 64);
      },
      size === 'full' ? 5 : 2,
    );
    const ms = t.gpuMs ?? t.wallMs;
    return { n, ms, TFLOPs: (2 * n ** 3) / ms / 1e9 };
  } finally {
    for (const b of bufs) b.destroy();
  }
}

/**
 * The candidates a size times: all at the full size; at the quick size the big-GPU default and
 * the small tile a laptop GPU may prefer (SwiftShader spends ~8 s compiling each one).
 */
export const strongCandidatesFor = (size: BenchSize): readonly StrongShape[] =>
  size === 'full' ? STRONG_CANDIDATES : [STRONG_CANDIDATES[0]!, STRONG_CANDIDATES[4]!];

/** Each candidate at n³ (the plain floor's n), the fastest kept; null if none ran. */
export async function strongMatmulFloor(
  device: GPUDevice,
  size: BenchSize,
  candidates: readonly StrongShape[] = strongCandidatesFor(size),
  check: () => void = () => {},
): Promise<Floors['matmulStrong']> {
  const n = size === 'full' ? 4096 : 256;
  const dims = { M: n, N: n, K: n };
  const [A, B, C] = [0, 1, 2].map(() => device.createBuffer({ size: n * n * 4, usage: STORAGE }));
  const init = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  device.queue.writeBuffer(A!, 0, init);
  device.queue.writeBuffer(B!, 0, init);
  const results: StrongCandidate[] = [];
  try {
    for (const s of candidates) {
      // A cancel lands between shapes (each is seconds of shader compile on a software GPU).
      check();
      const shape = shapeName(s);
      const problem = strongShapeProblem(s, dims, device.limits.maxComputeWorkgroupStorageSize);
      if (problem) {
        results.push({ shape, ms: null, TFLOPs: null, skipped: problem });
        continue;
      }
      // A shape the driver cannot compile is reported and skipped, not fatal to the run.
      device.pushErrorScope('internal');
      device.pushErrorScope('validation');
      let encode: ((pass: GPUComputePassEncoder) => void) | null = null;
      try {
        encode = encodeStrong(device, strongPipeline(device, s, dims), s, dims, {
          A: A!,
          B: B!,
          C: C!,
        });
      } catch (e) {
        encode = null;
        results.push({ shape, ms: null, TFLOPs: null, skipped: String(e) });
      }
      const invalid = await device.popErrorScope();
      const internal = await device.popErrorScope();
      const err = invalid ?? internal;
      if (!encode) continue;
      if (err) {
        results.push({ shape, ms: null, TFLOPs: null, skipped: err.message.split('\n')[0] });
        continue;
      }
      const t = await timePass(device, encode, size === 'full' ? 5 : 2);
      const ms = t.gpuMs ?? t.wallMs;
      results.push({ shape, ms, TFLOPs: (2 * n ** 3) / ms / 1e9 });
    }
  } finally {
    for (const b of [A, B, C]) b!.destroy();
  }
  const best = results
    .filter((r) => r.TFLOPs !== null)
    .reduce<StrongCandidate | null>((a, r) => (!a || r.TFLOPs! > a.TFLOPs! ? r : a), null);
  return best
    ? { n, ms: best.ms!, TFLOPs: best.TFLOPs!, shape: best.shape, candidates: results }
    : null;
}

/** Every floor; `check` throws when the run is cancelled (called between the measurements). */
export async function measureFloors(
  device: GPUDevice,
  size: BenchSize,
  check: () => void = () => {},
): Promise<Floors> {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo ?? null;
  const copy = await copyFloor(device, size);
  check();
  const matmul = await matmulFloor(device, size);
  const matmulStrong = await strongMatmulFloor(device, size, strongCandidatesFor(size), check);
  check();
  return { copy, matmul, matmulStrong, peak: datasheetPeak(info) };
}
