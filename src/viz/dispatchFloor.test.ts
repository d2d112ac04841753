import { describe, expect, it } from 'vitest';
import {
  H200_COSTS,
  decodeFloor,
  floorMs,
  floorSentence,
  stepFloors,
  type CountedStep,
  type DispatchCosts,
} from './dispatchFloor';

const measured: DispatchCosts = {
  perDispatchUs: 10,
  perSubmitUs: 100,
  source: 'measured',
  device: 'google · swiftshader',
  at: 0,
};

const steps: CountedStep[] = [
  { step: 0, phase: 'prefill', stepMs: 50, dispatches: 200, submits: 8 },
  { step: 1, phase: 'decode', stepMs: 20, dispatches: 179, submits: 5 },
  { step: 2, phase: 'decode', stepMs: 22, dispatches: 179, submits: 5 },
  { step: 3, phase: 'decode', stepMs: 30, dispatches: 181, submits: 5 },
];

describe('the dispatch floor', () => {
  it('is dispatches × per-dispatch + submits × per-submit', () => {
    expect(floorMs(179, 5, measured)).toBeCloseTo(1.79 + 0.5, 10);
    expect(floorMs(179, 1, H200_COSTS)).toBeCloseTo((179 * 2.3 + 19.4) / 1000, 10);
  });
  it('gives each counted step its floor and ratio; uncounted steps have none', () => {
    const f = stepFloors(
      [...steps, { step: 4, phase: 'decode', stepMs: 5, dispatches: null, submits: null }],
      measured,
    );
    expect(f).toHaveLength(4);
    expect(f[1]!.floorMs).toBeCloseTo(2.29, 10);
    expect(f[1]!.ratio).toBeCloseTo(20 / 2.29, 10);
  });
  it('sets the median decode step beside the measured ITL', () => {
    const d = decodeFloor(stepFloors(steps, measured), 24, measured)!;
    expect(d.dispatches).toBe(179);
    expect(d.submits).toBe(5);
    expect(d.floorMs).toBeCloseTo(2.29, 10);
    expect(d.ratio).toBeCloseTo(24 / 2.29, 10);
    expect(decodeFloor(stepFloors(steps.slice(0, 1), measured), 24, measured)).toBeNull();
    expect(decodeFloor(stepFloors(steps, measured), null, measured)).toBeNull();
  });
  it('says the numbers, whose costs they are, and how far the ITL is', () => {
    const text = floorSentence(decodeFloor(stepFloors(steps, measured), 24, measured)!);
    expect(text).toContain('179 dispatches in 5 submissions');
    expect(text).toContain('179 × 10 µs + 5 × 100 µs = 2.29 ms');
    expect(text).toContain('measured on this device');
    expect(text).toContain('24.0 ms, 10× the floor');
    const ref = floorSentence(decodeFloor(stepFloors(steps, H200_COSTS), 0.5, H200_COSTS)!);
    expect(ref).toContain('not measured here');
    expect(ref).toContain('H200');
    expect(ref).toContain('close to the floor');
  });
});
