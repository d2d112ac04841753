// The Performance panel's runs: the one in progress, the last result (kept when a later run fails
// or is cancelled, so nothing measured is lost) and a result opened from a file to compare with.
// Outside React so a run survives leaving the panel; mirrored on window.__moeLabBench for
// headless runners (bench in Chromium, the e2e tests).
import { create } from 'zustand';
import type { BenchReport, BenchRequest } from '../../bench/types';
import { EngineCancelled } from '../../engine/engineClient';
import { engine } from '../../engine/engineHost';

export type BenchStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

type BenchState = {
  status: BenchStatus;
  progress: { message: string; fraction: number } | null;
  /** The latest finished run of this page. */
  report: BenchReport | null;
  error: string | null;
  /** Reports opened from a file or a committed reference run, to compare with. */
  others: { source: string; reports: BenchReport[] } | null;
  othersError: string | null;
};

export const useBenchStore = create<BenchState>()(() => ({
  status: 'idle',
  progress: null,
  report: null,
  error: null,
  others: null,
  othersError: null,
}));

let controller: AbortController | null = null;

export async function startBench(request: BenchRequest): Promise<void> {
  if (controller) return;
  controller = new AbortController();
  useBenchStore.setState({
    status: 'running',
    error: null,
    progress: { message: 'waiting for the engine', fraction: 0 },
  });
  try {
    const report = await engine().bench(request, {
      signal: controller.signal,
      onProgress: ({ text, fraction }) =>
        useBenchStore.setState({ progress: { message: text, fraction } }),
    });
    useBenchStore.setState({ status: 'done', report, progress: null });
  } catch (err) {
    useBenchStore.setState(
      err instanceof EngineCancelled
        ? { status: 'cancelled', progress: null }
        : {
            status: 'error',
            progress: null,
            error: err instanceof Error ? err.message : String(err),
          },
    );
  } finally {
    controller = null;
  }
}

export function cancelBench(): void {
  controller?.abort();
}

declare global {
  interface Window {
    __moeLabBench?: { status: BenchStatus; report: BenchReport | null; error: string | null };
  }
}

if (typeof window !== 'undefined')
  useBenchStore.subscribe((s) => {
    window.__moeLabBench = { status: s.status, report: s.report, error: s.error };
  });
