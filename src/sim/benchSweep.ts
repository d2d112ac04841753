// The speed target: 3 models × 3 workloads × 7 concurrency levels × 3 strategies
// (189 simulations). Shared by bench/simSweep.ts (Node) and the panel (browser), which both
// report how long it took.
import { sweep, type SweepPoint } from './sweep';
import type { SimInput, Strategy } from './types';
import { workloadById } from './workloads';

export const BENCH_MODELS = ['mixtral-8x7b', 'qwen3-30b-a3b', 'deepseek-v2-lite'] as const;
export const BENCH_WORKLOADS = ['decode-heavy', 'prefill-heavy', 'balanced'] as const;
export const BENCH_CONCURRENCY = [1, 2, 4, 16, 32, 64, 128] as const;
export const BENCH_STRATEGIES: readonly Strategy[] = ['tp', 'ep', 'dp-ep'];

export function benchSweep(): SweepPoint[] {
  const out: SweepPoint[] = [];
  for (const model of BENCH_MODELS) {
    for (const id of BENCH_WORKLOADS) {
      const w = workloadById(id)!;
      const base: SimInput = {
        model,
        hardware: 'h100-sxm',
        gpus: 4,
        strategy: 'tp',
        precision: 'bf16',
        inputLen: w.inputLen,
        outputLen: w.outputLen,
        concurrency: w.concurrency,
        prompts: w.prompts,
      };
      out.push(...sweep(base, 'concurrency', BENCH_CONCURRENCY, BENCH_STRATEGIES));
    }
  }
  return out;
}
