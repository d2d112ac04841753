import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { ortAssets } from './build/ortAssets.ts';

// A relative base ('./') makes dist/ work from any sub-path (a GitHub Pages project page, a
// folder on a course server) with no rebuild; BASE_PATH=/moe-lab/ pins an absolute one instead.
const base = process.env.BASE_PATH ?? './';

export default defineConfig({
  base,
  plugins: [react(), ortAssets()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: { fs: { allow: ['.'] } },
});
