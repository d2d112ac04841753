// The engine's GPU as a react-query resource, for views that show the adapter or decide what to
// offer: plain data (adapter, features, limits) — the device itself never leaves the worker.
import { useQuery } from '@tanstack/react-query';
import { gpuProbe } from './engineHost';

export const GPU_QUERY_KEY = ['engine-gpu'] as const;

export function useEngineGpu() {
  return useQuery({ queryKey: GPU_QUERY_KEY, queryFn: () => gpuProbe(), retry: false });
}
