// What a "try this" that needs the model says instead of running, for each engine status. One
// case per status, so a new status cannot fall through to a wrong sentence.
import type { EngineStatus } from '../engine/lifecycle';

/** Why the engine cannot take a lesson's run now, or null when it can (at once or after its job). */
export function engineBlock(status: EngineStatus, error: string | null): string | null {
  switch (status) {
    case 'ready':
      return null;
    case 'idle':
    case 'loading':
      return 'Loading the model…';
    case 'recovering':
      return 'The GPU was lost; reloading the model…';
    // A lesson run waits for the engine's current job (a re-run of moved settings, a scoring)
    // before it measures: the button stays pressable, so a press never lands on a button that
    // a re-run has just disabled.
    case 'running':
    case 'evaluating':
      return null;
    case 'error':
      return error ?? 'The engine failed to start.';
  }
}
