// The lab's one GPU device, as a react-query resource (loading / ready / unavailable).
import { useQuery } from '@tanstack/react-query';
import { detectGpu } from './detectGpu';

export const GPU_QUERY_KEY = ['gpu-device'] as const;

export function useGpu() {
  return useQuery({ queryKey: GPU_QUERY_KEY, queryFn: () => detectGpu(), retry: false });
}
