// Workload presets: the batch_ISL_OSL shapes of the AMD MoE-inference tutorial and the
// decode-heavy / prefill-heavy / balanced shapes of MoE-Inference-Bench.
import type { WorkloadPreset } from './types';

const AMD = 'AMD MoE inference tutorial slides, "BatchSize_ISL_OSL Example Workload"';
const BENCH = 'MoE-Inference-Bench (Chitty-Venkata et al.), workload shapes swept over concurrency';

export const WORKLOADS: readonly WorkloadPreset[] = [
  {
    id: '256_256_256',
    name: 'Conversation 256_256_256',
    inputLen: 256,
    outputLen: 256,
    concurrency: 256,
    prompts: 1024,
    source: AMD,
  },
  {
    id: '4096_256_256',
    name: 'Large batch 4096_256_256',
    inputLen: 256,
    outputLen: 256,
    concurrency: 4096,
    prompts: 8192,
    source: AMD,
  },
  {
    id: '256_256_4096',
    name: 'Reasoning 256_256_4096',
    inputLen: 256,
    outputLen: 4096,
    concurrency: 256,
    prompts: 512,
    source: AMD,
  },
  {
    id: '256_4096_256',
    name: 'Summarisation 256_4096_256',
    inputLen: 4096,
    outputLen: 256,
    concurrency: 256,
    prompts: 1024,
    source: AMD,
  },
  {
    id: 'decode-heavy',
    name: 'Decode-heavy 128/128',
    inputLen: 128,
    outputLen: 128,
    concurrency: 64,
    prompts: 512,
    source: BENCH,
  },
  {
    id: 'prefill-heavy',
    name: 'Prefill-heavy 512/256',
    inputLen: 512,
    outputLen: 256,
    concurrency: 64,
    prompts: 512,
    source: BENCH,
  },
  {
    id: 'balanced',
    name: 'Balanced 1024/512',
    inputLen: 1024,
    outputLen: 512,
    concurrency: 64,
    prompts: 512,
    source: BENCH,
  },
];

/** The concurrency levels MoE-Inference-Bench sweeps (1 … 128). */
export const CONCURRENCY_SWEEP: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128];

export function workloadById(id: string): WorkloadPreset | undefined {
  return WORKLOADS.find((w) => w.id === id);
}
