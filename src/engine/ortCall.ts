// One timed onnxruntime-web call, counted for the per-step trace (ORT calls and their time).
import type { ort } from './ortSetup';

export type OrtCounters = { ortCalls: number; ortMs: number };

export async function timedRun(
  counters: OrtCounters,
  session: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
): Promise<ort.InferenceSession.ReturnType> {
  const t0 = performance.now();
  const out = await session.run(feeds);
  counters.ortMs += performance.now() - t0;
  counters.ortCalls++;
  return out;
}
