// What a dispatch and a submission cost on the engine's device (a tiny probe the engine runs
// once per adapter), as a react-query resource for the Latency view's floor.
import { useQuery } from '@tanstack/react-query';
import { engine } from './engineHost';

export function useDispatchCosts(adapter: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['dispatch-costs', adapter],
    queryFn: () => engine().dispatchCosts(),
    enabled: enabled && adapter !== null,
    retry: false,
    staleTime: Infinity,
  });
}
