// Runs one benchmark in a fresh worker and settles with its report. Cancelling asks the worker
// to stop between measurements and, if it has not answered within a grace period (a long GPU
// submission in flight), terminates it.
import { BenchCancelled, type BenchReport } from '../types';
import type { BenchRequest, FromBenchWorker, ToBenchWorker } from './benchProtocol';

const CANCEL_GRACE_MS = 3000;

export function runBenchInWorker(
  request: BenchRequest,
  onProgress: (message: string, fraction: number) => void,
  signal: AbortSignal,
): Promise<BenchReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(graceTimer);
      signal.removeEventListener('abort', onAbort);
      worker.terminate();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ToBenchWorker);
      graceTimer = setTimeout(() => {
        finish();
        reject(new BenchCancelled());
      }, CANCEL_GRACE_MS);
    };
    worker.onmessage = (e: MessageEvent<FromBenchWorker>) => {
      const m = e.data;
      if (m.type === 'progress') return onProgress(m.message, m.fraction);
      finish();
      if (m.type === 'done') resolve(m.report);
      else if (m.type === 'cancelled') reject(new BenchCancelled());
      else reject(new Error(m.message));
    };
    worker.onerror = (e) => {
      finish();
      reject(new Error(`The benchmark worker failed: ${e.message || 'it could not start'}`));
    };
    if (signal.aborted) {
      finish();
      return reject(new BenchCancelled());
    }
    signal.addEventListener('abort', onAbort);
    worker.postMessage({ type: 'run', request } satisfies ToBenchWorker);
  });
}
