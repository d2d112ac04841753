import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // Pure logic: math, codecs, cost model, CPU twins. No GPU, no DOM. onnxruntime-web's
        // WebGPU bundle is browser-only; in Node its own Node build (same API, wasm) stands in.
        resolve: { alias: [{ find: /^onnxruntime-web\/webgpu$/, replacement: 'onnxruntime-web' }] },
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'tools/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.gpu.test.ts', 'node_modules/**'],
          environment: 'node',
          // Vitest's 5 s default is a limit a loaded 2-core machine can miss (CI runs these
          // beside the GPU kernel tests): generous limits, as for every spawned run here.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // WGSL kernels run for real in Node through Dawn (`webgpu` package) on SwiftShader; the
        // trained model's dense parts (for recorded traces) on onnxruntime-web's Node build.
        resolve: { alias: [{ find: /^onnxruntime-web\/webgpu$/, replacement: 'onnxruntime-web' }] },
        test: {
          name: 'gpu',
          include: ['src/**/*.gpu.test.ts'],
          environment: 'node',
          // Limits for a loaded 2-core machine (SwiftShader runs every kernel on the CPU, beside
          // whatever else runs there): a test 2 min long on a quiet box took over 2 min under load.
          testTimeout: 900_000,
          hookTimeout: 900_000,
          // One Dawn instance at a time: SwiftShader already uses every core.
          fileParallelism: false,
        },
      },
    ],
  },
});
