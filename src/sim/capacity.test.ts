// Capacity factor (Switch Transformer / GShard) in the simulator: C = ⌈cf · pairs / E⌉ per
// expert, static buffers padded up to C (the slowest expert is C rows whatever the skew), the
// pairs over C dropped and reported.
import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './cliArgs';
import { buildContext, SimInputError } from './context';
import { capacityLoad, capacityPerExpert, expertShares } from './imbalance';
import { simInputFromSettings } from './inputFromSettings';
import { simulate } from './simulate';
import type { SimInput } from './types';
import { defaultSettings } from '../state/settingsSchema';

describe('capacity per expert', () => {
  it('is ⌈cf · pairs / E⌉, at least 1', () => {
    expect(capacityPerExpert(1, 16, 8)).toBe(2);
    expect(capacityPerExpert(1.25, 16, 8)).toBe(3); // 2.5 → 3
    expect(capacityPerExpert(1.25, 8, 10)).toBe(1); // 1.0000000000000002 is 1, not 2
    expect(capacityPerExpert(4, 1, 256)).toBe(1);
    expect(capacityPerExpert(2, 65536, 64)).toBe(2048);
  });
});

describe('expected drops', () => {
  const uniform = expertShares(64, 0);
  const skewed = expertShares(64, 1);

  it('a large factor over uniform routing drops (almost) nothing', () => {
    expect(capacityLoad(uniform, 65536, 4).droppedShare).toBeLessThan(1e-9);
    expect(capacityLoad(uniform, 0, 1).droppedShare).toBe(0);
  });

  it('cf 1 over uniform routing drops a little (sampling noise), less as the batch grows', () => {
    const small = capacityLoad(uniform, 512, 1).droppedShare;
    const large = capacityLoad(uniform, 65536, 1).droppedShare;
    expect(small).toBeGreaterThan(large);
    expect(large).toBeGreaterThan(0);
    expect(small).toBeLessThan(0.2);
  });

  it('cf 1 over skewed routing drops at least every popular expert’s excess over C', () => {
    const P = 65536;
    const l = capacityLoad(skewed, P, 1);
    expect(l.capacity).toBe(P / 64);
    // Expected overflow ≥ overflow of the expectation (Jensen): Σ max(0, s·P − C) / P.
    const floor = skewed.reduce((a, s) => a + Math.max(0, s * P - l.capacity), 0) / P;
    expect(floor).toBeGreaterThan(0.2);
    expect(l.droppedShare).toBeGreaterThanOrEqual(floor);
    expect(l.droppedShare).toBeLessThan(floor + 0.01);
    // A larger factor drops less, never more.
    const f = [1, 1.25, 1.5, 2, 3, 4].map((cf) => capacityLoad(skewed, P, cf).droppedShare);
    for (let i = 1; i < f.length; i++) expect(f[i]!).toBeLessThanOrEqual(f[i - 1]!);
  });
});

describe('simulation with a capacity factor', () => {
  const base: SimInput = {
    model: 'qwen3-30b-a3b',
    hardware: 'h100-sxm',
    gpus: 8,
    strategy: 'ep',
    precision: 'bf16',
    inputLen: 2048,
    outputLen: 128,
    concurrency: 64,
    prompts: 256,
    skew: 1,
  };

  it('dropless by default: no capacity figures, unchanged numbers', () => {
    const r = simulate(base);
    expect(r.capacity).toBeUndefined();
    expect(r.notes.join(' ')).not.toMatch(/Capacity factor/);
  });

  it('caps the slowest expert at C: skewed prefill waits less at cf 1 than dropless', () => {
    const free = simulate(base);
    const capped = simulate({ ...base, capacityFactor: 1 });
    expect(capped.split.imbalance).toBeLessThan(free.split.imbalance);
    expect(capped.capacity!.prefill.droppedShare).toBeGreaterThan(0.1);
    expect(capped.notes.join(' ')).toMatch(/Capacity factor 1: each expert takes at most/);
  });

  it('a larger factor pads more and drops less', () => {
    const one = simulate({ ...base, capacityFactor: 1 });
    const four = simulate({ ...base, capacityFactor: 4 });
    expect(four.split.imbalance).toBeGreaterThan(one.split.imbalance);
    expect(four.capacity!.prefill.droppedShare).toBeLessThan(one.capacity!.prefill.droppedShare);
    expect(four.capacity!.prefill.capacity).toBeGreaterThan(one.capacity!.prefill.capacity);
  });

  it('static buffers: uniform routing at cf 1.25 pays padding, never drops much', () => {
    const uni = { ...base, skew: 0 };
    const free = simulate(uni);
    const capped = simulate({ ...uni, capacityFactor: 1.25 });
    expect(capped.split.imbalance).toBeGreaterThan(0);
    expect(capped.capacity!.prefill.droppedShare).toBeLessThan(0.01);
    expect(capped.decodeStepMs).toBeGreaterThanOrEqual(free.decodeStepMs * 0.5);
  });

  it('refuses an absurd factor', () => {
    for (const cf of [0.5, 5, Number.NaN, Infinity])
      expect(() => buildContext({ ...base, capacityFactor: cf })).toThrow(SimInputError);
  });

  it('comes from the lab’s one capacity-factor setting ("off" → absent)', () => {
    expect(simInputFromSettings(defaultSettings()).capacityFactor).toBeUndefined();
    const s = { ...defaultSettings(), capacityFactor: '1.5' as const };
    expect(simInputFromSettings(s).capacityFactor).toBe(1.5);
  });
});

describe('CLI --capacity-factor', () => {
  it('reads 1…4 and refuses the rest', () => {
    const c = parseCli(['--model', 'mixtral-8x7b', '--capacity-factor', '1.25']);
    expect(c.kind === 'run' && c.input.capacityFactor).toBe(1.25);
    const d = parseCli(['--model', 'mixtral-8x7b']);
    expect(d.kind === 'run' && d.input.capacityFactor).toBeUndefined();
    for (const bad of ['0.5', '9', 'lots'])
      expect(() => parseCli(['--model', 'mixtral-8x7b', '--capacity-factor', bad])).toThrow(
        UsageError,
      );
  });
});
