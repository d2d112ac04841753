// Kernel benchmark: GPU time per kernel (timestamp-query) and dispatches / submits per layer for
// the fused MoE layer and its two baselines, plus align & sort alone at large T.
//   bash scripts/with-swiftshader.sh npx tsx bench/kernels.ts     (npm run bench:kernels)
// On SwiftShader the numbers show relative cost only; real speed needs a real GPU.
import { register } from 'node:module';

// tsx cannot import `x.wgsl?raw` (a Vite feature): a tiny loader hook serves those as strings.
const hooks = `
import { readFile } from 'node:fs/promises';
export async function resolve(spec, ctx, next) {
  if (spec.endsWith('.wgsl?raw')) return { url: new URL(spec, ctx.parentURL).href, shortCircuit: true };
  return next(spec, ctx);
}
export async function load(url, ctx, next) {
  if (!url.endsWith('.wgsl?raw')) return next(url, ctx);
  const text = await readFile(new URL(url.slice(0, -'?raw'.length)), 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text), shortCircuit: true };
}`;
register('data:text/javascript,' + encodeURIComponent(hooks));

const { nodeDevice } = await import('../src/kernels/testing/nodeDevice');
const { MoeLayer } = await import('../src/kernels/MoeLayer');
const { AlignSort } = await import('../src/kernels/align');
const { GpuTimer } = await import('../src/gpu/GpuTimer');
const { randomArray, randomTopk, randomWeights, rng } = await import('../src/kernels/random');
type MoeConfig = import('../src/kernels/types').MoeConfig;
type MoeVariant = import('../src/kernels/MoeLayer').MoeVariant;

const device = await nodeDevice();
const info = device.adapterInfo;
console.log(
  `device: ${info.vendor} ${info.architecture} ${info.description}`.trim(),
  `| timestamp-query: ${device.features.has('timestamp-query') ? 'yes' : 'no'}`,
);
const REPEATS = 3;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const fmt = (ms: number | undefined) => (ms === undefined ? '—' : ms.toFixed(2));

type Bench = { name: string; config: MoeConfig; T: number };
const benches: Bench[] = [
  {
    name: 'decode, Mixtral-like',
    T: 1,
    config: {
      D: 128,
      I: 256,
      E: 8,
      k: 2,
      blockSize: 16,
      scoring: 'softmax',
      renormalize: true,
      dtype: 'f32',
    },
  },
  {
    name: 'batch 16, Mixtral-like',
    T: 16,
    config: {
      D: 128,
      I: 256,
      E: 8,
      k: 2,
      blockSize: 16,
      scoring: 'softmax',
      renormalize: true,
      dtype: 'f32',
    },
  },
  {
    name: 'prefill 128, DeepSeek-like',
    T: 128,
    config: {
      D: 64,
      I: 32,
      E: 64,
      k: 6,
      blockSize: 32,
      scoring: 'sigmoid',
      renormalize: true,
      sharedI: 64,
      dtype: 'f32',
    },
  },
];

const kernels = ['router', 'densify', 'align', 'gemm1', 'gemm2', 'shared', 'combine'];
console.log(
  '\nconfig                                      variant      ' +
    kernels.map((k) => k.padStart(8)).join('') +
    '   GPU ms  dispatches  submits  wall ms',
);
for (const b of benches) {
  const rand = rng(1);
  const weights = randomWeights(b.config, rand);
  const x = randomArray(b.T * b.config.D, rand);
  for (const variant of ['fused', 'perExpert', 'denseMasked'] as MoeVariant[]) {
    const layer = await MoeLayer.create(device, b.config, weights, { maxTokens: b.T, variant });
    const per: Record<string, number[]> = {};
    const walls: number[] = [];
    let dispatches = 0;
    let submits = 0;
    for (let i = 0; i <= REPEATS; i++) {
      const t0 = performance.now();
      const r = await layer.run({ x, T: b.T });
      if (i === 0) continue; // warm-up: first use compiles SwiftShader's pipelines
      walls.push(performance.now() - t0);
      for (const [k, ms] of Object.entries(r.kernelMs ?? {})) (per[k] ??= []).push(ms);
      dispatches = r.dispatches;
      submits = r.submits;
    }
    layer.destroy();
    const med: Record<string, number> = {};
    for (const [k, v] of Object.entries(per)) med[k] = median(v);
    const total = Object.values(med).reduce((a, c) => a + c, 0);
    const label = `${b.name} T=${b.T} E=${b.config.E} k=${b.config.k}`;
    console.log(
      label.padEnd(44) +
        variant.padEnd(13) +
        kernels.map((k) => fmt(med[k]).padStart(8)).join('') +
        fmt(total).padStart(9) +
        String(dispatches).padStart(12) +
        String(submits).padStart(9) +
        fmt(median(walls)).padStart(9),
    );
  }
}
console.log('(perExpert: "combine" includes the shared expert; it waits on a counts read-back)');

console.log('\nalign & sort alone (GPU ms, median of 3)');
for (const [T, k, E, BM] of [
  [64, 8, 256, 16],
  [4096, 8, 256, 64],
  [65536, 8, 256, 64],
  [65536, 16, 512, 16],
] as const) {
  const ids = randomTopk(T, k, E, rng(T));
  const align = await AlignSort.create(device, { E, blockSize: BM, maxPairs: T * k });
  const ms: number[] = [];
  let dispatches = 0;
  for (let i = 0; i <= REPEATS; i++) {
    const timer = new GpuTimer(device, 4);
    const r = await align.run(ids, { timer });
    const t = await timer.read();
    timer.destroy();
    dispatches = r.dispatches;
    if (i > 0 && t) ms.push(t[0]!.ms);
  }
  align.destroy();
  console.log(
    `  T=${String(T).padEnd(6)} k=${String(k).padEnd(3)} E=${String(E).padEnd(4)} BM=${String(BM).padEnd(4)}` +
      `${ms.length ? median(ms).toFixed(2) : '—'} ms, ${dispatches} dispatch${dispatches > 1 ? 'es' : ''}`,
  );
}
process.exit(0);
