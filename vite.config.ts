import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { ortAssets } from './build/ortAssets.ts';
import { hosting } from './build/hosting.ts';

// A relative base ('./') makes dist/ work from any sub-path (a GitHub Pages project page, a
// folder on a course server) with no rebuild; BASE_PATH=/moe-lab/ pins an absolute one instead.
const base = process.env.BASE_PATH ?? './';

// onnxruntime-web's bundles reference their wasm through `new URL(…, import.meta.url)`, which
// would make Vite ship a second 26 MB copy; this export condition selects the builds that load
// the runtime from `ort.env.wasm.wasmPaths` (our own `ort/` folder) instead.
const conditions = [
  'onnxruntime-web-use-extern-wasm',
  'module',
  'browser',
  'development|production',
];

export default defineConfig({
  base,
  resolve: { conditions },
  plugins: [react(), ortAssets(), ...hosting()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: { fs: { allow: ['.'] } },
});
