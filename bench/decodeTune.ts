// Tuning sweep of the decode GEMM path (shaders/decode_gemv.wgsl) on a real GPU: for Mixtral and
// OLMoE expert shapes in f32 / int8 / int4, the two GEMMs' GPU time (timestamp-query, median)
// and the bandwidth it means for the expert bytes the router hit, against the copy floor, over
// the workgroups asked for (decodeTuning.groups) and the rows per step (decodeTuning.unroll).
// A benchmark, never a test. Bundled by bench/build.ts into bench/out/decode-tune.mjs; on the
// GPU machine: bash .gpu/on-gpu.sh bench/out/decode-tune.mjs [--quick] [--json FILE].
import { writeFileSync } from 'node:fs';
import { create, globals } from 'webgpu';
import { copyFloor } from '../src/bench/floors';
import { expertBytesIn, fastWeights } from '../src/bench/layerCases';
import { median } from '../src/bench/timing';
import { decodeTuning } from '../src/kernels/decode';
import { MoeLayer } from '../src/kernels/MoeLayer';
import type { MoeConfig, WeightFormat } from '../src/kernels/types';

const args = process.argv.slice(2);
const quick = args.includes('--quick'); // SwiftShader: the harness only
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : undefined;

Object.assign(globalThis, globals);
const instance = create(['disable-dawn-features=timestamp_quantization']);
// Dawn crashes at random once its instance is collected: keep it reachable for the whole run.
(globalThis as { dawnInstance?: GPU }).dawnInstance = instance;
const adapter = await instance.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) throw new Error('no WebGPU adapter');
const device = await adapter.requestDevice({
  requiredFeatures: (['timestamp-query'] as GPUFeatureName[]).filter((f) =>
    adapter.features.has(f),
  ),
  requiredLimits: {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  },
});
device.addEventListener('uncapturederror', (e) =>
  console.error('WebGPU error:', (e as GPUUncapturedErrorEvent).error.message),
);
console.log(`${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`);
const copy = await copyFloor(device, quick ? 'quick' : 'full');
console.log(`copy floor ${copy.GBps.toFixed(0)} GB/s`);

const base = { scoring: 'softmax', renormalize: true, blockSize: 64 } as const;
// Mixtral with 2 experts (k 2: both hit at every T) keeps the f32 upload at 1.4 GB; OLMoE whole.
const shapes: { name: string; config: Omit<MoeConfig, 'dtype'>; Ts: number[] }[] = quick
  ? [{ name: 'small', config: { ...base, E: 8, k: 2, D: 256, I: 512 }, Ts: [1, 8] }]
  : [
      {
        name: 'Mixtral (2 experts)',
        config: { ...base, E: 2, k: 2, D: 4096, I: 14336 },
        Ts: [1, 4],
      },
      { name: 'OLMoE', config: { ...base, E: 64, k: 8, D: 2048, I: 1024 }, Ts: [1, 8, 64] },
    ];
// Quantised first: an order effect (clocks after the f32 upload) would show as f32 ≠ the others.
const formats: WeightFormat[] = ['int4', 'int8', 'f32'];
const groupsSweep = quick ? [64, 768] : [528, 768, 1056];
const unrollSweep: Record<string, [number, number][]> = {
  f32: [[4, 8]],
  int8: [[8, 16]],
  int4: [
    [4, 8],
    [8, 16],
  ],
};
// Older trees have no decodeTuning.unroll (A/B runs against them): their shaders' own steps.
const tunable = 'unroll' in decodeTuning;

type Row = {
  shape: string;
  format: WeightFormat;
  T: number;
  groups: number;
  unroll: [number, number];
  gemmMs: number;
  gemm1Ms: number;
  gemm2Ms: number;
  expertsHit: number;
  GBps: number;
  pctCopy: number;
};
const rows: Row[] = [];
const reps = quick ? 2 : 9;
const burstMs = Number(args.find((a) => a.startsWith('--burst-ms='))?.slice(11) ?? 400);

for (const shape of shapes) {
  const weights = fastWeights({ ...shape.config, dtype: 'f32' });
  for (const format of formats) {
    const config: MoeConfig = { ...shape.config, dtype: format };
    const bytesPerExpert = expertBytesIn(format, config.D, config.I);
    const saved = tunable ? decodeTuning.unroll[format] : undefined;
    for (const unroll of tunable ? unrollSweep[format]! : [[0, 0] as [number, number]]) {
      if (tunable) decodeTuning.unroll[format] = unroll;
      // Partials are sized when the layer is made: make it with the most workgroups swept.
      decodeTuning.groups = Math.max(...groupsSweep);
      const Tmax = Math.max(...shape.Ts);
      const layer = await MoeLayer.create(device, config, weights, {
        maxTokens: Tmax,
        gemmPath: 'decode',
      });
      try {
        for (const groups of groupsSweep) {
          decodeTuning.groups = groups;
          for (const T of shape.Ts) {
            const x = new Float32Array(T * config.D).map((_, i) => Math.sin(i * 0.37 + T));
            // A burst of back-to-back forwards first: the GPU's clocks drop while it idles (after
            // quantising in JavaScript, seconds), and take more than the layer bench's 30 ms to
            // come back.
            const xBuf = device.createBuffer({ size: x.byteLength, usage: 0x80 | 0x08 | 0x04 });
            const outBuf = device.createBuffer({ size: x.byteLength, usage: 0x80 | 0x08 | 0x04 });
            device.queue.writeBuffer(xBuf, 0, x);
            const burst = performance.now();
            for (let i = 0; performance.now() - burst < burstMs; i++) {
              await layer.forward({ x: xBuf, out: outBuf, T });
              if (i % 4 === 3) await device.queue.onSubmittedWorkDone();
            }
            await device.queue.onSubmittedWorkDone();
            xBuf.destroy();
            outBuf.destroy();
            let hit = 0;
            const g1: number[] = [];
            const g2: number[] = [];
            // The first runs warm clocks and pipelines: never counted.
            for (let i = 0; i < reps + 4; i++) {
              const r = await layer.run({ x, T });
              hit = Array.from(r.trace.counts).filter((n) => n > 0).length;
              if (i >= 4 && r.kernelMs) {
                g1.push(r.kernelMs.gemm1 ?? 0);
                g2.push(r.kernelMs.gemm2 ?? 0);
              }
            }
            const gemm1Ms = median(g1);
            const gemm2Ms = median(g2);
            const gemmMs = gemm1Ms + gemm2Ms;
            const GBps = (hit * bytesPerExpert) / gemmMs / 1e6;
            const row: Row = {
              shape: shape.name,
              format,
              T,
              groups,
              unroll: [...unroll],
              gemmMs,
              gemm1Ms,
              gemm2Ms,
              expertsHit: hit,
              GBps,
              pctCopy: GBps / copy.GBps,
            };
            rows.push(row);
            console.log(
              [
                shape.name,
                format,
                `T=${T}`,
                `groups=${groups}`,
                `unroll=${unroll.join('/')}`,
                `gemm ${gemmMs.toFixed(3)} ms (${gemm1Ms.toFixed(3)} + ${gemm2Ms.toFixed(3)})`,
                `${hit} experts`,
                `${GBps.toFixed(0)} GB/s = ${(100 * row.pctCopy).toFixed(0)}% of copy`,
              ].join(' | '),
            );
          }
        }
      } finally {
        layer.destroy();
      }
    }
    if (saved) decodeTuning.unroll[format] = saved;
  }
}

// The best setting per (shape, format, T): what the defaults should be read from.
console.log('\nbest per shape, format, T:');
const key = (r: Row) => `${r.shape} ${r.format} T=${r.T}`;
for (const k of [...new Set(rows.map(key))]) {
  const best = rows.filter((r) => key(r) === k).sort((a, b) => a.gemmMs - b.gemmMs)[0]!;
  console.log(
    `${k}: ${best.gemmMs.toFixed(3)} ms, ${(100 * best.pctCopy).toFixed(0)}% of copy at groups ${best.groups}, unroll ${best.unroll.join('/')}`,
  );
}
if (jsonOut)
  writeFileSync(
    jsonOut,
    JSON.stringify({ date: new Date().toISOString(), copy, adapter: adapter.info, rows }, null, 1),
  );
