// Bundles bench/moeBench.ts into ONE self-contained ESM file, bench/out/moe-bench.mjs, that runs
// here (SwiftShader) and on the GPU machine (which has no node_modules but `webgpu`).
//   npx tsx bench/build.ts
import { readFile } from 'node:fs/promises';
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

await build({
  entryPoints: ['bench/moeBench.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'bench/out/moe-bench.mjs',
  external: ['webgpu'],
  plugins: [raw],
  logLevel: 'warning',
});
console.log('built bench/out/moe-bench.mjs');
