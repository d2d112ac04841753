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

export type MoePipelines = CommonPipelines & {
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

/** The grouped GEMM's source for one block size and weight format (WGSL has no generics). */
export function gemmSource(BM: BlockSize, dtype: WeightFormat): string {
  return specialize(groupedGemmFor(dtype), {
    BM,
    WT: dtype === 'f16' ? 'f16' : 'f32', // float formats' element type (quantised: unused)
    ENABLE: dtype === 'f16' ? 'enable f16;' : '',
  });
}

export function gemmBK(BM: BlockSize): number {
  return BM === 128 ? 8 : 16;
}

/** Workgroup memory of the grouped GEMM: A tile, two B tiles (BN = 64), row maps, block info. */
export function gemmWorkgroupBytes(BM: BlockSize): number {
  const BK = gemmBK(BM);
  return 4 * (BM * BK + 2 * BK * 64 + 2 * BM) + 8;
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
): Promise<MoePipelines> {
  if (dtype === 'f16' && !device.features.has('shader-f16'))
    throw new GpuLimitError('f16 weights need the shader-f16 feature, which this GPU lacks.');
  assertWorkgroupStorageFits(device, gemmWorkgroupBytes(BM), `Grouped GEMM at BM=${BM}`);
  return cached(device, `${BM}/${dtype}`, async () => {
    const code = gemmSource(BM, dtype);
    const gemm = device.createShaderModule({ label: `moe grouped gemm BM=${BM} ${dtype}`, code });
    const constants = overrideConstants(groupedGemmShader, { BK: gemmBK(BM) });
    const [common, g] = await Promise.all([
      getCommonPipelines(device),
      compile(device, { gemm1: [gemm, 'gemm1', constants], gemm2: [gemm, 'gemm2', constants] }),
    ]);
    return { ...common, ...g, gemmShader: groupedGemmFor(dtype) };
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
