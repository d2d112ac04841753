// What a "try this" that needs the model says instead of running, for each engine status. One
// case per status, so a new status cannot fall through to a wrong sentence.
import type { EngineStatus } from '../engine/lifecycle';

/** Why the engine cannot take a lesson's run now, or null when it can. */
export function engineBlock(status: EngineStatus, error: string | null): string | null {
  switch (status) {
    case 'ready':
      return null;
    case 'idle':
    case 'loading':
      return 'Loading the model…';
    case 'recovering':
      return 'The GPU was lost; reloading the model…';
    case 'running':
      return 'The model is generating…';
    case 'evaluating':
      return 'The model is being scored…';
    case 'error':
      return error ?? 'The engine failed to start.';
  }
}
