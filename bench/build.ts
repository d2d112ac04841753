// Bundles bench/moeBench.ts into ONE self-contained ESM file, bench/out/moe-bench.mjs, that runs
// here (SwiftShader) and on the GPU machine (which has no node_modules but `webgpu`).
//   npx tsx bench/build.ts
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { build, type Plugin } from 'esbuild';

// `x.wgsl?raw` (a Vite feature) loads as the file's text.
const raw: Plugin = {
  name: 'raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (a) => ({
      path: new URL(a.path.slice(0, -'?raw'.length), `file://${a.resolveDir}/`).pathname,
      namespace: 'raw',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, async (a) => ({
      contents: await readFile(a.path, 'utf8'),
      loader: 'text',
    }));
  },
};

// The decode GEMM path's tuning sweep (bench/decodeTune.ts) rides along as decode-tune.mjs.
for (const [entry, outfile] of [
  ['bench/moeBench.ts', 'bench/out/moe-bench.mjs'],
  ['bench/decodeTune.ts', 'bench/out/decode-tune.mjs'],
] as const)
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    external: ['webgpu'],
    alias: { 'onnxruntime-web/webgpu': './bench/node/ortPlaceholder.ts' },
    plugins: [raw],
    logLevel: 'warning',
  });
// onnxruntime-web's WebGPU build for the GPU machine (it has no node_modules): its loader, the
// wasm glue, and the 26 MB wasm xz-compressed (3.8 MB) so the carried files fit the 64 MiB limit;
// bench/gpu-run.sh unpacks it.
await mkdir('bench/out/ort', { recursive: true });
for (const f of ['ort.webgpu.min.mjs', 'ort-wasm-simd-threaded.asyncify.mjs'])
  await copyFile(`node_modules/onnxruntime-web/dist/${f}`, `bench/out/ort/${f}`);
execFileSync('sh', [
  '-c',
  'xz -6 -T2 -c node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm > bench/out/ort/ort-wasm-simd-threaded.asyncify.wasm.xz',
]);
console.log('built bench/out/moe-bench.mjs (+ bench/out/ort)');
