// An error boundary must really reset (issue 24, class 4): "Try again" and leaving the broken view
// both clear what broke it, and "Try again" draws the view anew. Driven through the component's
// own methods, with React's state updater standing in as a plain merge (no DOM in this project).
import type { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from './ErrorBoundary';

function boundary(onReset?: () => void) {
  const b = new ErrorBoundary({
    where: 'the test view',
    children: null,
    ...(onReset ? { onReset } : {}),
  });
  b.setState = ((update: unknown) => {
    const patch =
      typeof update === 'function'
        ? (update as (s: typeof b.state) => Partial<typeof b.state>)(b.state)
        : (update as Partial<typeof b.state>);
    b.state = { ...b.state, ...patch };
  }) as typeof b.setState;
  const resetQueries = vi.fn(async () => undefined);
  b.context = { resetQueries } as unknown as QueryClient;
  return { b, resetQueries };
}

const crash = (b: ErrorBoundary) => {
  b.state = { ...b.state, ...ErrorBoundary.getDerivedStateFromError(new Error('bad data')) };
};

describe('ErrorBoundary', () => {
  it('"Try again" clears the cause and mounts the view anew', () => {
    const onReset = vi.fn();
    const { b, resetQueries } = boundary(onReset);
    crash(b);
    b.tryAgain();
    expect(onReset).toHaveBeenCalledTimes(1);
    expect(resetQueries).toHaveBeenCalledWith({ type: 'inactive' });
    expect(b.state.error).toBeNull();
    expect(b.state.attempt).toBe(1);
  });

  it('leaving a broken view clears the cause; leaving a working one does not', () => {
    const onReset = vi.fn();
    const { b, resetQueries } = boundary(onReset);
    b.componentWillUnmount();
    expect(onReset).not.toHaveBeenCalled();
    expect(resetQueries).not.toHaveBeenCalled();
    crash(b);
    b.componentWillUnmount();
    expect(onReset).toHaveBeenCalledTimes(1);
    expect(resetQueries).toHaveBeenCalledTimes(1);
  });

  it('still resets the queries and redraws when clearing the store throws', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { b, resetQueries } = boundary(() => {
      throw new Error('store gone');
    });
    crash(b);
    b.tryAgain();
    expect(resetQueries).toHaveBeenCalledTimes(1);
    expect(b.state.error).toBeNull();
  });
});
