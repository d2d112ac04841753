// Serves onnxruntime-web's wasm runtime from the app itself (never a CDN): in dev from
// node_modules, in a build as files under `ort/` next to index.html. The engine points
// `ort.env.wasm.wasmPaths` at `${import.meta.env.BASE_URL}ort/`.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * The lab's ORT entry (`onnxruntime-web/webgpu`) needs the asyncify pair; the JSPI pair is what
 * the engine loads instead in browsers with JSPI (src/engine/ortBuilds.ts), online only.
 */
export const ORT_RUNTIME_FILES = [
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort-wasm-simd-threaded.jspi.mjs',
  'ort-wasm-simd-threaded.jspi.wasm',
] as const;

const ortDist = resolve(import.meta.dirname, '../node_modules/onnxruntime-web/dist');

export function ortAssets(): Plugin {
  return {
    name: 'moe-lab-ort-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url?.split('?')[0] ?? '';
        const name = ORT_RUNTIME_FILES.find((f) => url.endsWith(`/ort/${f}`));
        if (!name) return next();
        const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
        res.setHeader('Content-Type', type);
        res.end(readFileSync(resolve(ortDist, name)));
      });
    },
    generateBundle() {
      for (const name of ORT_RUNTIME_FILES) {
        const file = resolve(ortDist, name);
        if (!existsSync(file)) this.error(`onnxruntime-web runtime file missing: ${file}`);
        this.emitFile({ type: 'asset', fileName: `ort/${name}`, source: readFileSync(file) });
      }
    },
  };
}
