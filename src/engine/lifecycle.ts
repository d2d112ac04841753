// The engine's lifecycle as the page sees it, as one pure transition function. Every status the
// UI shows comes from here, and every event carries the load epoch (and job) it belongs to, so a
// late reply of an older load or job can never overwrite a newer state — for example a run
// rejected by a model switch must not set `ready` over the new model's `loading`.
export type EngineStatus =
  'idle' | 'loading' | 'ready' | 'running' | 'evaluating' | 'error' | 'recovering';

export type Lifecycle = {
  status: EngineStatus;
  /** Increments on every load or recovery; events of older epochs are ignored. */
  epoch: number;
  /** The run or evaluation in progress (its request id), or null. */
  job: number | null;
};

export type LifecycleEvent =
  | { type: 'load' }
  /** The GPU device was lost: a new engine is loading the same model. */
  | { type: 'recover' }
  | { type: 'loaded'; epoch: number }
  | { type: 'loadFailed'; epoch: number }
  | { type: 'start'; kind: 'run' | 'evaluate'; job: number; epoch: number }
  | { type: 'finish'; job: number; epoch: number };

export const initialLifecycle: Lifecycle = { status: 'idle', epoch: 0, job: null };

/** The next state, and whether the event was accepted (a refused `start` must not be sent). */
export function transition(
  s: Lifecycle,
  e: LifecycleEvent,
): { state: Lifecycle; accepted: boolean } {
  const same = { state: s, accepted: false };
  const current = 'epoch' in e ? e.epoch === s.epoch : true;
  switch (e.type) {
    case 'load':
      return { state: { status: 'loading', epoch: s.epoch + 1, job: null }, accepted: true };
    case 'recover':
      return { state: { status: 'recovering', epoch: s.epoch + 1, job: null }, accepted: true };
    case 'loaded':
      if (!current || (s.status !== 'loading' && s.status !== 'recovering')) return same;
      return { state: { ...s, status: 'ready' }, accepted: true };
    case 'loadFailed':
      if (!current || (s.status !== 'loading' && s.status !== 'recovering')) return same;
      return { state: { ...s, status: 'error' }, accepted: true };
    case 'start':
      if (!current || s.status !== 'ready') return same;
      return {
        state: { ...s, status: e.kind === 'run' ? 'running' : 'evaluating', job: e.job },
        accepted: true,
      };
    case 'finish':
      if (!current || s.job !== e.job) return same;
      return { state: { ...s, status: 'ready', job: null }, accepted: true };
  }
}
