import { describe, expect, it } from 'vitest';
import { initialLifecycle, transition, type Lifecycle, type LifecycleEvent } from './lifecycle';

const apply = (s: Lifecycle, ...events: LifecycleEvent[]) =>
  events.reduce((st, e) => transition(st, e).state, s);

describe('engine lifecycle', () => {
  it('loads, runs and finishes', () => {
    let s = apply(initialLifecycle, { type: 'load' });
    expect(s.status).toBe('loading');
    s = apply(s, { type: 'loaded', epoch: s.epoch });
    expect(s.status).toBe('ready');
    s = apply(s, { type: 'start', kind: 'run', job: 3, epoch: s.epoch });
    expect(s).toMatchObject({ status: 'running', job: 3 });
    s = apply(s, { type: 'finish', job: 3, epoch: s.epoch });
    expect(s).toMatchObject({ status: 'ready', job: null });
  });

  it('a run ended by a model switch cannot set ready over the new load', () => {
    let s = apply(initialLifecycle, { type: 'load' });
    const first = s.epoch;
    s = apply(
      s,
      { type: 'loaded', epoch: first },
      { type: 'start', kind: 'run', job: 1, epoch: first },
    );
    s = apply(s, { type: 'load' });
    s = apply(s, { type: 'finish', job: 1, epoch: first }, { type: 'loaded', epoch: first });
    expect(s.status).toBe('loading');
    // …and nothing can start until the new model is in.
    expect(transition(s, { type: 'start', kind: 'run', job: 2, epoch: s.epoch }).accepted).toBe(
      false,
    );
  });

  it('refuses a second run while one is going, and a device loss recovers', () => {
    let s = apply(initialLifecycle, { type: 'load' });
    s = apply(
      s,
      { type: 'loaded', epoch: s.epoch },
      { type: 'start', kind: 'run', job: 1, epoch: s.epoch },
    );
    expect(
      transition(s, { type: 'start', kind: 'evaluate', job: 2, epoch: s.epoch }).accepted,
    ).toBe(false);
    s = apply(s, { type: 'recover' });
    expect(s).toMatchObject({ status: 'recovering', job: null });
    s = apply(s, { type: 'loadFailed', epoch: s.epoch });
    expect(s.status).toBe('error');
  });

  it('keeps its invariants over 5 000 random events, stale ones included', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let s = initialLifecycle;
    let jobs = 0;
    for (let i = 0; i < 5000; i++) {
      const epoch = s.epoch - rand(2); // sometimes an event of the previous epoch
      const pick = rand(6);
      const e: LifecycleEvent =
        pick === 0
          ? { type: rand(4) === 0 ? 'recover' : 'load' }
          : pick === 1
            ? { type: 'loaded', epoch }
            : pick === 2
              ? { type: 'loadFailed', epoch }
              : pick === 3
                ? { type: 'start', kind: rand(2) ? 'run' : 'evaluate', job: ++jobs, epoch }
                : { type: 'finish', job: rand(2) ? (s.job ?? jobs) : jobs - 1, epoch };
      const before = s;
      const { state, accepted } = transition(s, e);
      s = state;
      if (!accepted) expect(s).toBe(before);
      if ('epoch' in e && e.epoch !== before.epoch) expect(s).toBe(before);
      const busy = s.status === 'running' || s.status === 'evaluating';
      expect(busy).toBe(s.job !== null);
      if (s.epoch !== before.epoch)
        expect(s.status === 'loading' || s.status === 'recovering').toBe(true);
      if (before.status === 'loading' && s.status !== 'loading')
        expect(['ready', 'error', 'loading', 'recovering']).toContain(s.status);
    }
  });
});
