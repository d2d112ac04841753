import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // Pure logic: math, codecs, cost model, CPU twins. No GPU, no DOM.
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'tools/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.gpu.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        // WGSL kernels run for real in Node through Dawn (`webgpu` package) on SwiftShader.
        test: {
          name: 'gpu',
          include: ['src/**/*.gpu.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Dawn instance at a time: SwiftShader already uses every core.
          fileParallelism: false,
        },
      },
    ],
  },
});
