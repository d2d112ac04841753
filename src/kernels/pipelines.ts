// Compiles the MoE kernel family once per device (and block size / weight type), and the small
// buffer helpers every kernel's TypeScript side shares.
import { assertWorkgroupStorageFits, GpuLimitError } from '../gpu/guards';
import { overrideConstants, specialize } from './shaderSpec';
import {
  alignShader,
  combineShader,
  groupedGemmFor,
  groupedGemmShader,
  routerLogitsShader,
  routerShader,
} from './shaderSpecs';
import type { BlockSize, WeightFormat } from './types';

/** Router, align and combine: independent of block size and weight type, compiled once. */
export type CommonPipelines = {
  routeLogits: GPUComputePipeline;
  route: GPUComputePipeline;
  densify: GPUComputePipeline;
  alignSingle: GPUComputePipeline;
  alignCount: GPUComputePipeline;
  alignScan: GPUComputePipeline;
  alignPlace: GPUComputePipeline;
  combine: GPUComputePipeline;
};

/**
 * Columns of the grouped GEMM's tile (BN): 64 (gemm1 / gemm2, one element of B at a time, any N)
 * or 128 (gemm1_wide / gemm2_wide: 8 columns a thread as two vec4 quads, B in vec4s; N % 4 = 0).
 */
export type GemmTile = 64 | 128;
export const GEMM_TILES: readonly GemmTile[] = [64, 128];

/** Workgroup memory the grouped GEMM may take (WebGPU's default limit). */
const GEMM_WORKGROUP_BYTES = 16384;

export type MoePipelines = CommonPipelines & {
  /** The tile gemm1 / gemm2 were compiled for (their dispatches' column tiles follow from it). */
  gemmTile: GemmTile;
  gemm1: GPUComputePipeline;
  gemm2: GPUComputePipeline;
  /** The grouped GEMM's interface with this weight format's bindings (for its bind groups). */
  gemmShader: ReturnType<typeof groupedGemmFor>;
};

type Cache = Map<string, Promise<CommonPipelines> | Promise<MoePipelines>>;
const cache = new WeakMap<GPUDevice, Cache>();

export function cached<T>(device: GPUDevice, key: string, make: () => Promise<T>): Promise<T> {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  let p = perDevice.get(key) as Promise<T> | undefined;
  if (!p) {
    p = make();
    perDevice.set(key, p as Promise<CommonPipelines>);
  }
  return p;
}

/** The grouped GEMM's source for one block size, weight format and tile (WGSL has no generics). */
export function gemmSource(BM: BlockSize, dtype: WeightFormat, tile: GemmTile = 64): string {
  return specialize(groupedGemmFor(dtype, tile), {
    BM,
    BN: tile,
    WT: dtype === 'f16' ? 'f16' : 'f32', // float formats' element type (quantised: unused)
    ENABLE: dtype === 'f16' ? 'enable f16;' : '',
  });
}

/**
 * Workgroup memory of the grouped GEMM at K step BK: A tile, two B tiles, row maps, block info
 * (each entry point uses one pair of B tiles: the scalar or the vec4 ones, the same bytes).
 */
export function gemmWorkgroupBytes(BM: BlockSize, tile: GemmTile = 64, BK = gemmBK(BM, tile)) {
  return 4 * (BM * BK + 2 * BK * tile + 2 * BM) + 8;
}

/** K step: 16, or 8 where 16 would pass 16 KiB of workgroup memory (BM = 128, or BN = 128). */
export function gemmBK(BM: BlockSize, tile: GemmTile = 64): number {
  return gemmWorkgroupBytes(BM, tile, 16) <= GEMM_WORKGROUP_BYTES ? 16 : 8;
}

export function getCommonPipelines(device: GPUDevice): Promise<CommonPipelines> {
  return cached(device, 'common', async () => {
    const module = (label: string, code: string) => device.createShaderModule({ label, code });
    const router = module('moe router', routerShader.source);
    const logits = module('moe router logits', routerLogitsShader.source);
    const align = module('moe align', alignShader.source);
    const combine = module('moe combine', combineShader.source);
    return compile(device, {
      routeLogits: [logits, 'logits'],
      route: [router, 'route'],
      densify: [router, 'densify'],
      alignSingle: [align, 'align_single'],
      alignCount: [align, 'align_count'],
      alignScan: [align, 'align_scan'],
      alignPlace: [align, 'align_place'],
      combine: [combine, 'combine'],
    });
  });
}

export function getPipelines(
  device: GPUDevice,
  BM: BlockSize,
  dtype: WeightFormat,
  tile: GemmTile = 64,
): Promise<MoePipelines> {
  if (dtype === 'f16' && !device.features.has('shader-f16'))
    throw new GpuLimitError('f16 weights need the shader-f16 feature, which this GPU lacks.');
  if (!GEMM_TILES.includes(tile)) throw new Error(`grouped GEMM tile ${tile}: 64 or 128`);
  const what = `Grouped GEMM at BM=${BM}${tile === 64 ? '' : ` BN=${tile}`}`;
  assertWorkgroupStorageFits(device, gemmWorkgroupBytes(BM, tile), what);
  return cached(device, tile === 64 ? `${BM}/${dtype}` : `${BM}/${dtype}/BN${tile}`, async () => {
    const code = gemmSource(BM, dtype, tile);
    const label = `moe grouped gemm BM=${BM} BN=${tile} ${dtype}`;
    const gemm = device.createShaderModule({ label, code });
    const constants = overrideConstants(groupedGemmShader, { BK: gemmBK(BM, tile) });
    const [e1, e2] = tile === 64 ? ['gemm1', 'gemm2'] : ['gemm1_wide', 'gemm2_wide'];
    const [common, g] = await Promise.all([
      getCommonPipelines(device),
      compile(device, { gemm1: [gemm, e1, constants], gemm2: [gemm, e2, constants] }),
    ]);
    return { ...common, ...g, gemmTile: tile, gemmShader: groupedGemmFor(dtype, tile) };
  });
}

/** A pipeline to compile: module, entry point, and the module's override constants if any. */
export type PipelineEntry = [GPUShaderModule, string, Record<string, number>?];

/**
 * Synchronous creation: Dawn's Node binding does not keep the process alive for
 * createComputePipelineAsync, and these small pipelines compile quickly anyway. Errors are
 * collected with an error scope so a bad shader fails here, loudly, not at first dispatch.
 */
export async function compile<K extends string>(
  device: GPUDevice,
  entries: Record<K, PipelineEntry>,
): Promise<Record<K, GPUComputePipeline>> {
  device.pushErrorScope('validation');
  const out = {} as Record<K, GPUComputePipeline>;
  for (const [name, [module, entryPoint, constants]] of Object.entries(entries) as [
    K,
    PipelineEntry,
  ][])
    out[name] = device.createComputePipeline({
      label: entryPoint,
      layout: 'auto',
      compute: { module, entryPoint, ...(constants ? { constants } : {}) },
    });
  const error = await device.popErrorScope();
  if (error) throw new Error(`MoE kernels failed to compile: ${error.message}`);
  return out;
}

/** A storage buffer of at least 16 bytes (Dawn rejects empty bindings), rounded to 4. */
export function storage(device: GPUDevice, bytes: number, label: string, extra = 0): GPUBuffer {
  return device.createBuffer({
    label,
    size: Math.max(16, Math.ceil(bytes / 4) * 4),
    // Read lazily: GPUBufferUsage is a global that Node tests install after import.
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC | extra,
  });
}

export function upload(
  device: GPUDevice,
  data: Float32Array | Uint32Array | Int32Array | Uint16Array,
  label: string,
): GPUBuffer {
  const buf = storage(device, data.byteLength, label);
  writeAligned(device, buf, data);
  return buf;
}

/** writeBuffer wants a multiple of 4 bytes; f16 arrays of odd length get one zero of padding. */
export function writeAligned(
  device: GPUDevice,
  buf: GPUBuffer,
  data: Float32Array | Uint32Array | Int32Array | Uint16Array,
): void {
  if (data.byteLength % 4 === 0) {
    device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
    return;
  }
  const padded = new Uint16Array(data.length + 1);
  padded.set(data as Uint16Array);
  device.queue.writeBuffer(buf, 0, padded);
}

/** Splits n workgroups over x and y (each ≤ 65 535); kernels rebuild the index with num_workgroups. */
export function grid(n: number): [number, number] {
  const x = Math.max(1, Math.min(n, 32768));
  return [x, Math.max(1, Math.ceil(n / x))];
}

/** A buffer's first `bytes` to read back. */
export type ReadPart = { buffer: GPUBuffer; bytes: number };

/**
 * Records copies of `parts` into `encoder`, packed into one staging buffer (4-byte aligned),
 * and returns the reader to call once that encoder is submitted: one mapping for them all. So a
 * step's trace rides in the step's own submission instead of one round trip per buffer.
 */
export function recordReadBack(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  parts: readonly ReadPart[],
): () => Promise<ArrayBuffer[]> {
  const sizes = parts.map(({ bytes }) => Math.max(4, Math.ceil(bytes / 4) * 4));
  const offsets: number[] = [];
  let total = 0;
  for (const size of sizes) {
    offsets.push(total);
    total += size;
  }
  const staging = device.createBuffer({
    size: Math.max(4, total),
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    label: 'read-back staging',
  });
  parts.forEach(({ buffer }, i) =>
    encoder.copyBufferToBuffer(buffer, 0, staging, offsets[i]!, sizes[i]!),
  );
  return async () => {
    try {
      await staging.mapAsync(GPUMapMode.READ);
      const mapped = staging.getMappedRange();
      const out = parts.map(({ bytes }, i) => mapped.slice(offsets[i]!, offsets[i]! + bytes));
      staging.unmap();
      return out;
    } finally {
      staging.destroy();
    }
  };
}

/** Copies several buffers back in one submit (a trace is one round trip, not ten). */
export async function readBack(
  device: GPUDevice,
  parts: readonly ReadPart[],
): Promise<ArrayBuffer[]> {
  const encoder = device.createCommandEncoder({ label: 'moe readback' });
  const read = recordReadBack(device, encoder, parts);
  device.queue.submit([encoder.finish()]);
  return read();
}
