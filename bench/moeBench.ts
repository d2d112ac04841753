// `npm run bench`: the MoE layer (fused vs per-expert dispatch vs dense-masked), the hardware
// floors measured in the same run (copy bandwidth, dense f32 matmul rate), align & sort alone vs a
// naive serial version, and the issue-9 targets. One table, ratios side by side; `--json [FILE]`
// writes the same as JSON. `--quick` (default) keeps SwiftShader under 2 minutes with tiny shapes;
// `--full` runs the real-model shapes (the GPU machine: bench/gpu-run.sh). A benchmark, never a test.
// Bundled by bench/build.ts into bench/out/moe-bench.mjs so the same file runs here and on the GPU.
import { writeFileSync } from 'node:fs';
import { create, globals } from 'webgpu';
import { MoeLayer, type MoeVariant } from '../src/kernels/MoeLayer';
import { AlignSort, maxBlocks, type AlignMode } from '../src/kernels/align';
import { GpuTimer } from '../src/gpu/GpuTimer';
import { randomTopk, rng } from '../src/kernels/random';
import type { BlockSize, MoeConfig, MoeWeights } from '../src/kernels/types';
import naiveAlignWgsl from './naiveAlign.wgsl?raw';

const args = process.argv.slice(2);
const full = args.includes('--full');
const jsonAt = args.indexOf('--json');
const jsonOut =
  jsonAt >= 0 ? (args[jsonAt + 1]?.startsWith('--') ? undefined : args[jsonAt + 1]) : null;
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? onlyArg.split(',') : null;
const log = (s = '') => {
  // With `--json` and no file, stdout is the JSON: the table goes to stderr.
  if (jsonOut === undefined) console.error(s);
  else console.log(s);
};

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
const f2 = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d);
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${(100 * x).toFixed(0)}%`;

// Our own device (not testing/nodeDevice) so Dawn's timestamp quantization can be turned off:
// by default Dawn rounds timestamps to ~65 µs, too coarse for align & sort and small kernels.
// The instance stays referenced for the life of the process (Dawn crashes at random otherwise).
Object.assign(globalThis, globals);
const gpuInstance = create(['disable-dawn-features=timestamp_quantization']);
const adapter = await gpuInstance.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter)
  throw new Error('no WebGPU adapter: run under scripts/with-swiftshader.sh or on the GPU machine');
const device = await adapter.requestDevice({
  requiredFeatures: (['timestamp-query', 'shader-f16'] as GPUFeatureName[]).filter((f) =>
    adapter.features.has(f),
  ),
  requiredLimits: {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  },
});
device.addEventListener('uncapturederror', (e) => {
  console.error('WebGPU error:', (e as GPUUncapturedErrorEvent).error.message);
});
const info = device.adapterInfo;
const hasTs = device.features.has('timestamp-query');
const started = new Date().toISOString();
const deviceText = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`
  .replace(/\s+/g, ' ')
  .trim();

// ---------------------------------------------------------------- helpers
const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
function pipeline(code: string): GPUComputePipeline {
  // Synchronous creation: createComputePipelineAsync never resolves in Dawn-in-Node.
  return device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
}
function bindGroup(p: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
  return device.createBindGroup({
    layout: p.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}
/** GPU ms of one pass (timestamp-query) and wall ms of submit + wait, median over reps after a warm-up. */
async function timePass(
  encode: (pass: GPUComputePassEncoder) => void,
  reps: number,
): Promise<{ gpuMs: number | null; wallMs: number }> {
  const gpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const timer = new GpuTimer(device, 1);
    const t0 = performance.now();
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass(timer.pass('p'));
    encode(pass);
    pass.end();
    timer.resolve(enc);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    const t1 = performance.now();
    const t = await timer.read();
    timer.destroy();
    if (i === 0) continue;
    wall.push(t1 - t0);
    if (t) gpu.push(t[0]!.ms);
  }
  return { gpuMs: gpu.length ? median(gpu) : null, wallMs: median(wall) };
}

// ---------------------------------------------------------------- floors
log(`MoE Lab benchmark (${full ? 'full' : 'quick'}) — ${started}`);
log(
  `device: ${deviceText} | timestamp-query: ${hasTs ? 'yes' : 'NO (GPU columns fall back to wall time)'}`,
);
log(
  `limits: maxStorageBufferBindingSize ${(device.limits.maxStorageBufferBindingSize / 2 ** 20).toFixed(0)} MiB, maxBufferSize ${(device.limits.maxBufferSize / 2 ** 20).toFixed(0)} MiB`,
);

async function copyFloor(): Promise<{ bytes: number; ms: number; GBps: number }> {
  const bytes = (full ? 256 : 16) * 2 ** 20;
  const p = pipeline(`@group(0) @binding(0) var<storage, read> s: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> d: array<vec4f>;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = g.x + g.y * n.x * 256u; if (i < arrayLength(&d)) { d[i] = s[i]; } }`);
  const a = device.createBuffer({ size: bytes, usage: STORAGE });
  const b = device.createBuffer({ size: bytes, usage: STORAGE });
  const bg = bindGroup(p, [a, b]);
  const groups = bytes / 16 / 256;
  const gx = Math.min(groups, 32768);
  const t = await timePass(
    (pass) => {
      pass.setPipeline(p);
      pass.setBindGroup(0, bg);
      pass.dispatchWorkgroups(gx, groups / gx);
    },
    full ? 10 : 3,
  );
  a.destroy();
  b.destroy();
  const ms = t.gpuMs ?? t.wallMs;
  return { bytes: 2 * bytes, ms, GBps: (2 * bytes) / ms / 1e6 };
}

async function matmulFloor(): Promise<{ n: number; ms: number; TFLOPs: number }> {
  const n = full ? 4096 : 256;
  const p = pipeline(`
@group(0) @binding(0) var<storage, read> A: array<f32>; @group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
const n = ${n}u; const TS = 64u; const TK = 16u;
var<workgroup> As: array<array<f32, 64>, 16>; var<workgroup> Bs: array<array<f32, 64>, 16>;
@compute @workgroup_size(16, 16) fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let row0 = wg.y * TS + l.y * 4u; let col0 = wg.x * TS + l.x * 4u;
  var acc: array<array<f32, 4>, 4>;
  let tid = l.y * 16u + l.x;
  for (var k0 = 0u; k0 < n; k0 += TK) {
    for (var i = 0u; i < 4u; i++) { let idx = tid + i * 256u; let r = idx / 16u; let c = idx % 16u;
      As[c][r] = A[(wg.y * TS + r) * n + k0 + c]; let rb = idx / 64u; let cb = idx % 64u;
      Bs[rb][cb] = B[(k0 + rb) * n + wg.x * TS + cb]; }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) { var av: array<f32, 4>; var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) { av[i] = As[kk][l.y * 4u + i]; bv[i] = Bs[kk][l.x * 4u + i]; }
      for (var i = 0u; i < 4u; i++) { for (var j = 0u; j < 4u; j++) { acc[i][j] = fma(av[i], bv[j], acc[i][j]); } } }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) { for (var j = 0u; j < 4u; j++) { C[(row0 + i) * n + col0 + j] = acc[i][j]; } }
}`);
  const bufs = [0, 1, 2].map(() => device.createBuffer({ size: n * n * 4, usage: STORAGE }));
  const init = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  device.queue.writeBuffer(bufs[0]!, 0, init);
  device.queue.writeBuffer(bufs[1]!, 0, init);
  const bg = bindGroup(p, bufs);
  const t = await timePass(
    (pass) => {
      pass.setPipeline(p);
      pass.setBindGroup(0, bg);
      pass.dispatchWorkgroups(n / 64, n / 64);
    },
    full ? 5 : 2,
  );
  for (const b of bufs) b.destroy();
  const ms = t.gpuMs ?? t.wallMs;
  return { n, ms, TFLOPs: (2 * n ** 3) / ms / 1e9 };
}

const copy = await copyFloor();
const matmul = await matmulFloor();
log(
  `floors (same run): copy ${f2(copy.GBps, 0)} GB/s (vec4 shader copy, ${copy.bytes / 2 ** 21} MiB read + written); ` +
    `f32 matmul ${f2(matmul.TFLOPs, 2)} TFLOP/s (${matmul.n}³, 64×64 tiles, 4×4 per thread)`,
);

// ---------------------------------------------------------------- MoE layer
type Model = { name: string; config: MoeConfig; note?: string };
const base = { scoring: 'softmax', renormalize: true, dtype: 'f32' } as const;
function model(
  name: string,
  E: number,
  k: number,
  D: number,
  I: number,
  BM: BlockSize,
  note?: string,
): Model {
  return { name, config: { ...base, E, k, D, I, blockSize: BM }, note };
}
// Quick (SwiftShader): the same E and k, D and I divided so a forward takes milliseconds.
const models: Model[] = full
  ? [
      model('tiny', 8, 2, 128, 256, 16),
      model('Mixtral-8x7B', 8, 2, 4096, 14336, 64),
      model('Qwen1.5-MoE', 60, 4, 2048, 1408, 32), // BM 32: ~34 rows per expert at T = 512
      model('OLMoE', 64, 8, 2048, 1024, 64),
      {
        ...model('DeepSeek-V3-like', 32, 8, 7168, 2048, 64),
        note: 'E scaled 256 → 32 (k 8, D 7168, I 2048 real): 256 experts in f32 are 45 GB and one [E,D,I] tensor must fit a 2 GiB binding; 32 experts = 1.88 GB per tensor',
      },
    ]
  : [
      model('tiny', 8, 2, 64, 128, 16),
      model('Mixtral/32', 8, 2, 128, 448, 16, 'D, I ÷ 32'),
      model('Qwen1.5-MoE/16', 60, 4, 128, 88, 16, 'D, I ÷ 16'),
      model('OLMoE/16', 64, 8, 128, 64, 16, 'D, I ÷ 16'),
      model('DeepSeek-V3/64', 256, 8, 112, 32, 16, 'D, I ÷ 64'),
    ];
const Ts = full ? [1, 8, 64, 512, 4096] : [1, 8, 64];
const variants: MoeVariant[] = ['fused', 'perExpert', 'denseMasked'];

/** Weights filled fast (a random block repeated): the benchmark needs shapes, not trained values. */
function fill(n: number, scale: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  const r = rng(seed);
  const blk = Math.min(n, 4099);
  for (let i = 0; i < blk; i++) a[i] = (2 * r() - 1) * scale;
  for (let len = blk; len < n; len *= 2) a.copyWithin(len, 0, Math.min(len, n - len));
  return a;
}
function weightsOf(c: MoeConfig): MoeWeights {
  return {
    Wr: fill(c.D * c.E, 2 / Math.sqrt(c.D), 1),
    W1: fill(c.E * c.D * c.I, 1 / Math.sqrt(c.D), 2),
    W3: fill(c.E * c.D * c.I, 1 / Math.sqrt(c.D), 3),
    W2: fill(c.E * c.I * c.D, 1 / Math.sqrt(c.I), 4),
  };
}

type Row = {
  model: string;
  E: number;
  k: number;
  D: number;
  I: number;
  T: number;
  variant: MoeVariant;
  gpuMs: number | null;
  wallMs: number | null;
  kernelMs: Record<string, number> | null;
  dispatches: number;
  submits: number;
  expertsHit: number;
  bytesTouched: number;
  flops: number;
  error?: string;
};
const rows: Row[] = [];

for (const m of models) {
  if (only && !only.some((o) => m.name.toLowerCase().includes(o.toLowerCase()))) continue;
  const c = m.config;
  const w = weightsOf(c);
  const expertBytes = 3 * c.D * c.I * 4;
  const routerBytes = c.D * c.E * 4;
  const maxT = Math.max(...Ts);
  for (const variant of variants) {
    let layer: MoeLayer | null = null;
    let fitsT = maxT;
    // The dense-masked baseline's activations are T·E·I: fall back to the largest T that fits.
    for (const tryT of Ts.filter((t) => t <= maxT).reverse()) {
      try {
        layer = await MoeLayer.create(device, c, w, { maxTokens: tryT, variant });
        fitsT = tryT;
        break;
      } catch (e) {
        if (tryT === Ts[0]) {
          for (const T of Ts)
            rows.push({ ...emptyRow(m, T, variant), error: (e as Error).message.slice(0, 120) });
        }
      }
    }
    if (!layer) continue;
    const xBuf = device.createBuffer({ size: fitsT * c.D * 4, usage: STORAGE });
    const outBuf = device.createBuffer({ size: fitsT * c.D * 4, usage: STORAGE });
    for (const T of Ts) {
      if (T > fitsT) {
        rows.push({
          ...emptyRow(m, T, variant),
          error: `does not fit the device (T·E·I activations)`,
        });
        continue;
      }
      const x = fill(T * c.D, 1, 10 + T);
      device.queue.writeBuffer(xBuf, 0, x as Float32Array<ArrayBuffer>);
      const reps = full ? (T >= 512 && c.D * c.I >= 2 ** 23 ? 3 : 7) : T >= 64 ? 1 : 3;
      // Warm-up burst first (~30+ ms of back-to-back forwards): the GPU's clocks drop while it
      // idles between runs, and a cold first measurement read up to 2× slow on the H100.
      const burstStart = performance.now();
      for (let i = 0; i < 64 && performance.now() - burstStart < 30; i++) {
        await layer.forward({ x: xBuf, out: outBuf, T });
        if (i % 4 === 3) await device.queue.onSubmittedWorkDone();
      }
      await device.queue.onSubmittedWorkDone();
      // GPU time: run() with timestamp-query per kernel; also gives the routing (experts hit).
      const gpu: number[] = [];
      let kernelMs: Record<string, number> | null = null;
      let dispatches = 0;
      let submits = 0;
      let hit = 0;
      for (let i = 0; i <= reps; i++) {
        const r = await layer.run({ x, T });
        if (i === 0) {
          hit = Array.from(r.trace.counts).filter((n) => n > 0).length;
          continue;
        }
        dispatches = r.dispatches;
        submits = r.submits;
        if (r.kernelMs) {
          gpu.push(Object.values(r.kernelMs).reduce((a, b) => a + b, 0));
          if (!kernelMs || gpu.length === Math.ceil(reps / 2)) kernelMs = r.kernelMs;
        }
      }
      // Wall time per forward: forward() into our own buffers, submit + wait, no read-back.
      const walls: number[] = [];
      for (let i = 0; i <= reps; i++) {
        const t0 = performance.now();
        await layer.forward({ x: xBuf, out: outBuf, T });
        await device.queue.onSubmittedWorkDone();
        if (i > 0) walls.push(performance.now() - t0);
      }
      const routed = T * c.k;
      rows.push({
        model: m.name,
        E: c.E,
        k: c.k,
        D: c.D,
        I: c.I,
        T,
        variant,
        gpuMs: gpu.length ? median(gpu) : null,
        wallMs: median(walls),
        kernelMs,
        dispatches,
        submits,
        expertsHit: hit,
        bytesTouched: hit * expertBytes + routerBytes,
        flops: 2 * routed * 3 * c.D * c.I + 2 * T * c.D * c.E,
      });
      log(
        `  ${m.name} T=${T} ${variant}: GPU ${f2(rows.at(-1)!.gpuMs, 3)} ms, wall ${f2(rows.at(-1)!.wallMs, 3)} ms`,
      );
    }
    xBuf.destroy();
    outBuf.destroy();
    layer.destroy();
  }
}
function emptyRow(m: Model, T: number, variant: MoeVariant): Row {
  const c = m.config;
  return {
    model: m.name,
    E: c.E,
    k: c.k,
    D: c.D,
    I: c.I,
    T,
    variant,
    gpuMs: null,
    wallMs: null,
    kernelMs: null,
    dispatches: 0,
    submits: 0,
    expertsHit: 0,
    bytesTouched: 0,
    flops: 0,
  };
}

// ---------------------------------------------------------------- align & sort
type AlignRow = {
  T: number;
  E: number;
  k: number;
  BM: number;
  singleUs: number | null;
  multiUs: number | null;
  naiveUs: number | null;
};
const alignRows: AlignRow[] = [];
const naivePipe = pipeline(naiveAlignWgsl);
async function naiveUs(
  ids: Int32Array,
  E: number,
  BM: number,
  reps: number,
): Promise<number | null> {
  const P = ids.length;
  const slots = maxBlocks(P, E, BM) * BM;
  const prm = device.createBuffer({
    size: 16,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(prm, 0, new Uint32Array([P, E, BM, slots]));
  const idb = device.createBuffer({ size: P * 4, usage: STORAGE });
  device.queue.writeBuffer(idb, 0, ids as Int32Array<ArrayBuffer>);
  const work = device.createBuffer({ size: (2 * E + 1) * 4, usage: STORAGE });
  const sorted = device.createBuffer({ size: slots * 4, usage: STORAGE });
  const eids = device.createBuffer({ size: (slots / BM) * 4, usage: STORAGE });
  const bg = bindGroup(naivePipe, [prm, idb, work, sorted, eids]);
  const t = await timePass((pass) => {
    pass.setPipeline(naivePipe);
    pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(1);
  }, reps);
  for (const b of [prm, idb, work, sorted, eids]) b.destroy();
  return hasTs ? t.gpuMs : t.wallMs;
}
async function alignUs(ids: Int32Array, E: number, BM: BlockSize, mode: AlignMode, reps: number) {
  const a = await AlignSort.create(device, { E, blockSize: BM, maxPairs: ids.length, mode });
  const ms: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const timer = new GpuTimer(device, 4);
    const t0 = performance.now();
    await a.run(ids, { timer });
    const wall = performance.now() - t0;
    const t = await timer.read();
    timer.destroy();
    if (i > 0) ms.push(t ? t[0]!.ms : wall);
  }
  a.destroy();
  return median(ms) * 1000;
}
const alignTs = full ? [16, 256, 4096, 8192, 65536] : [16, 256, 2048];
const alignEk: [number, number][] = full
  ? [
      [8, 2],
      [64, 8],
      [256, 8],
    ]
  : [
      [8, 2],
      [256, 8],
    ];
log('\nalign & sort:');
for (const T of alignTs)
  for (const [E, k] of alignEk) {
    const ids = randomTopk(T, k, E, rng(T + E));
    const BM: BlockSize = 64;
    const reps = full ? 10 : 2;
    const row: AlignRow = {
      T,
      E,
      k,
      BM,
      singleUs: await alignUs(ids, E, BM, 'single', reps),
      multiUs: await alignUs(ids, E, BM, 'multi', reps),
      // The serial scan at 524k pairs takes ~seconds on SwiftShader; skip it there past 4096 tokens.
      naiveUs:
        full || T <= 256
          ? ((await naiveUs(ids, E, BM, full ? (T >= 8192 ? 1 : 3) : 1)) ?? NaN) * 1000
          : null,
    };
    alignRows.push(row);
    log(
      `  T=${T} E=${E} k=${k}: single ${f2(row.singleUs, 1)} µs, multi ${f2(row.multiUs, 1)} µs, naive ${f2(row.naiveUs, 1)} µs`,
    );
  }

// ---------------------------------------------------------------- tables
const get = (mName: string, T: number, v: MoeVariant) =>
  rows.find((r) => r.model === mName && r.T === T && r.variant === v);
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a && b && Number.isFinite(a) && Number.isFinite(b) ? b / a : null;
type Line = {
  model: string;
  T: number;
  fusedGpuMs: number | null;
  perExpertGpuMs: number | null;
  denseMaskedGpuMs: number | null;
  fusedWallMs: number | null;
  speedupVsPerExpert: number | null;
  speedupVsDenseMasked: number | null;
  wallSpeedupVsPerExpert: number | null;
  dispatches: string;
  expertsHit: number;
  weightMiB: number;
  bwFloorMs: number;
  ofCopyBw: number | null;
  flopFloorMs: number;
  ofMatmul: number | null;
  gemmOfMatmul: number | null;
};
const lines: Line[] = [];
for (const m of models) {
  for (const T of Ts) {
    const f = get(m.name, T, 'fused');
    if (!f) continue;
    const pe = get(m.name, T, 'perExpert');
    const dm = get(m.name, T, 'denseMasked');
    const bwFloorMs = f.bytesTouched / (copy.GBps * 1e6);
    const flopFloorMs = f.flops / (matmul.TFLOPs * 1e9);
    const gemm = f.kernelMs ? (f.kernelMs.gemm1 ?? 0) + (f.kernelMs.gemm2 ?? 0) : null;
    lines.push({
      model: m.name,
      T,
      fusedGpuMs: f.gpuMs,
      perExpertGpuMs: pe?.gpuMs ?? null,
      denseMaskedGpuMs: dm?.gpuMs ?? null,
      fusedWallMs: f.wallMs,
      speedupVsPerExpert: ratio(f.gpuMs, pe?.gpuMs),
      speedupVsDenseMasked: ratio(f.gpuMs, dm?.gpuMs),
      wallSpeedupVsPerExpert: ratio(f.wallMs, pe?.wallMs),
      dispatches: `${f.dispatches}/${pe?.dispatches ?? '—'}/${dm?.dispatches ?? '—'}`,
      expertsHit: f.expertsHit,
      weightMiB: f.bytesTouched / 2 ** 20,
      bwFloorMs,
      ofCopyBw: f.gpuMs ? bwFloorMs / f.gpuMs : null,
      flopFloorMs,
      ofMatmul: f.gpuMs ? flopFloorMs / f.gpuMs : null,
      gemmOfMatmul: gemm ? flopFloorMs / gemm : null,
    });
  }
}

const out: string[] = [];
out.push(
  `## MoE layer, f32 (GPU ms = sum of kernel times by timestamp-query, median; wall = forward + wait, median)`,
);
out.push('');
out.push(
  '| model (E,k,D,I) | T | fused GPU ms | per-expert GPU ms | dense-masked GPU ms | ×pe | ×dm | fused wall ms | ×pe wall | dispatches f/pe/dm | experts hit | weights MiB | bw floor ms | % copy bw | FLOP floor ms | % matmul | GEMM % matmul |',
);
out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const l of lines) {
  const c = models.find((m) => m.name === l.model)!.config;
  out.push(
    `| ${l.model} (${c.E},${c.k},${c.D},${c.I}) | ${l.T} | ${f2(l.fusedGpuMs, 3)} | ${f2(l.perExpertGpuMs, 3)} | ${f2(l.denseMaskedGpuMs, 3)} | ${f2(l.speedupVsPerExpert)} | ${f2(l.speedupVsDenseMasked)} | ${f2(l.fusedWallMs, 3)} | ${f2(l.wallSpeedupVsPerExpert)} | ${l.dispatches} | ${l.expertsHit} | ${f2(l.weightMiB, 1)} | ${f2(l.bwFloorMs, 3)} | ${pct(l.ofCopyBw)} | ${f2(l.flopFloorMs, 3)} | ${pct(l.ofMatmul)} | ${pct(l.gemmOfMatmul)} |`,
  );
}
out.push('');
out.push(
  '×pe, ×dm = per-expert (resp. dense-masked) GPU time ÷ fused GPU time (>1: fused faster). ' +
    'bw floor = (experts hit × 3·D·I·4 B + router D·E·4 B) ÷ measured copy bandwidth; FLOP floor = (2·T·k·3·D·I + 2·T·D·E) ÷ measured matmul rate; ' +
    '% = floor ÷ fused GPU time; GEMM % = FLOP floor ÷ (gemm1 + gemm2 GPU time).',
);
for (const m of models) if (m.note) out.push(`- ${m.name}: ${m.note}`);
for (const r of rows)
  if (r.error) out.push(`- ${r.model} T=${r.T} ${r.variant}: not run — ${r.error}`);
out.push(
  '- not measured in this run: (a) onnxruntime-web dense-masked ONNX graph, (c) onnxruntime-web QMoE, f16 weights (no `shader-f16` on this adapter' +
    (device.features.has('shader-f16') ? ' — available here, but not yet in this bench' : '') +
    ').',
);
out.push('');
out.push('## Align & sort alone (GPU µs, median; BM 64)');
out.push('');
out.push('| T | E | k | pairs | single-WG µs | multi-WG µs | naive serial µs | naive ÷ best |');
out.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const a of alignRows) {
  const best = Math.min(a.singleUs ?? Infinity, a.multiUs ?? Infinity);
  out.push(
    `| ${a.T} | ${a.E} | ${a.k} | ${a.T * a.k} | ${f2(a.singleUs, 1)} | ${f2(a.multiUs, 1)} | ${f2(a.naiveUs, 1)} | ${a.naiveUs ? f2(a.naiveUs / best, 1) : '—'} |`,
  );
}
out.push('');
out.push(
  'Published: SGLang align-sort (A100) 8192 tokens × 256 experts, top-8 = 77 µs; vLLM moe_align_block_size ~20–27 µs fixed cost at small batch.',
);

// ---------------------------------------------------------------- targets
type Target = { target: string; status: 'met' | 'missed' | 'not measured'; detail: string };
const targets: Target[] = [];
const prefill = lines.filter((l) => l.T >= 512 && l.model !== 'tiny');
const decode1 = lines.filter((l) => l.T === 1 && l.model !== 'tiny');
{
  const s = prefill.filter((l) => l.speedupVsPerExpert !== null);
  const worst = s.reduce<Line | null>(
    (a, l) => (!a || l.speedupVsPerExpert! < a.speedupVsPerExpert! ? l : a),
    null,
  );
  targets.push({
    target: 'fused ≥ 2× per-expert at prefill, E ≥ 8',
    status: !worst ? 'not measured' : worst.speedupVsPerExpert! >= 2 ? 'met' : 'missed',
    detail:
      s.map((l) => `${l.model} T=${l.T}: ${f2(l.speedupVsPerExpert)}×`).join('; ') ||
      'no prefill rows (quick mode)',
  });
}
{
  const s = decode1.filter((l) => l.speedupVsPerExpert !== null);
  const bad = s.filter((l) => l.speedupVsPerExpert! < 1);
  targets.push({
    target: 'fused not slower than per-expert at T = 1 (GPU time; wall in brackets)',
    status: !s.length ? 'not measured' : bad.length ? 'missed' : 'met',
    detail: s
      .map(
        (l) => `${l.model}: ${f2(l.speedupVsPerExpert)}× (wall ${f2(l.wallSpeedupVsPerExpert)}×)`,
      )
      .join('; '),
  });
}
{
  const s = prefill.filter((l) => l.gemmOfMatmul !== null);
  const worst = s.reduce<Line | null>(
    (a, l) => (!a || l.gemmOfMatmul! < a.gemmOfMatmul! ? l : a),
    null,
  );
  targets.push({
    target: `prefill grouped GEMM ≥ 40% of the measured matmul rate (${f2(matmul.TFLOPs)} TFLOP/s)`,
    status: !worst ? 'not measured' : worst.gemmOfMatmul! >= 0.4 ? 'met' : 'missed',
    detail:
      s.map((l) => `${l.model} T=${l.T}: ${pct(l.gemmOfMatmul)}`).join('; ') ||
      'no prefill rows (quick mode)',
  });
}
{
  const s = decode1.filter((l) => l.ofCopyBw !== null);
  const worst = s.reduce<Line | null>((a, l) => (!a || l.ofCopyBw! < a.ofCopyBw! ? l : a), null);
  targets.push({
    target: `decode (T = 1) ≥ 50% of copy bandwidth (${f2(copy.GBps, 0)} GB/s) for the weights touched`,
    status: !worst ? 'not measured' : worst.ofCopyBw! >= 0.5 ? 'met' : 'missed',
    detail: s
      .map(
        (l) =>
          `${l.model}: ${pct(l.ofCopyBw)} (${f2(l.weightMiB, 0)} MiB in ${f2(l.fusedGpuMs, 3)} ms)`,
      )
      .join('; '),
  });
}
{
  const a = alignRows.find((r) => r.T === 8192 && r.E === 256 && r.k === 8);
  const best = a ? Math.min(a.singleUs ?? Infinity, a.multiUs ?? Infinity) : null;
  targets.push({
    target: 'align & sort 8192 × top-8 × 256 experts < 100 µs GPU time',
    status: !a ? 'not measured' : best! < 100 ? 'met' : 'missed',
    detail: a
      ? `single ${f2(a.singleUs, 1)} µs, multi ${f2(a.multiUs, 1)} µs (SGLang A100: 77 µs)`
      : 'T=8192 not in quick mode',
  });
}
targets.push({
  target: 'fused ≥ 3× onnxruntime-web dense-masked graph',
  status: 'not measured',
  detail:
    'not measured in this run (ORT graph not in this bench yet); our own dense-masked kernels are the ×dm column',
});
out.push('');
out.push('## Targets (issue 9)');
out.push('');
for (const t of targets) out.push(`- **${t.status}** — ${t.target}: ${t.detail}`);
out.push('');
out.push(
  `Floors in this run: copy ${f2(copy.GBps, 0)} GB/s, f32 matmul ${f2(matmul.TFLOPs, 2)} TFLOP/s.`,
);

log('');
log(`device: ${deviceText}`);
log(out.join('\n'));

const result = {
  started,
  mode: full ? 'full' : 'quick',
  device: {
    text: deviceText,
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
  },
  features: [...device.features],
  floors: { copy, matmul },
  models: models.map((m) => ({ name: m.name, ...m.config, note: m.note ?? null })),
  rows,
  table: lines,
  align: alignRows,
  targets,
  notMeasured: [
    'onnxruntime-web dense-masked graph',
    'onnxruntime-web QMoE',
    'f16',
    'whole-model TTFT/ITL',
  ],
};
if (jsonOut === undefined) console.log(JSON.stringify(result, null, 1));
else if (jsonOut) writeFileSync(jsonOut, JSON.stringify(result, null, 1));
void gpuInstance;
process.exit(0);
