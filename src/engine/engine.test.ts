import { describe, expect, it } from 'vitest';
import { batchMetrics, requestMetrics } from './metrics';
import { seededRng } from './rng';
import { argmax, nucleus, sampleToken } from './sampling';
import { findStop } from './stopSequences';

describe('sampling', () => {
  it('is greedy at temperature 0', () => {
    expect(sampleToken([0.1, 3, 2], { temperature: 0, topP: 1 }, seededRng(1))).toBe(1);
    expect(argmax([5, 5, 1])).toBe(0);
  });

  it('keeps only the nucleus and renormalises it', () => {
    const d = nucleus([Math.log(0.6), Math.log(0.3), Math.log(0.1)], { temperature: 1, topP: 0.8 });
    expect(d.map((x) => x.token)).toEqual([0, 1]);
    expect(d[0]!.p).toBeCloseTo(0.6 / 0.9, 6);
    expect(d.reduce((s, x) => s + x.p, 0)).toBeCloseTo(1, 9);
  });

  it('samples in proportion to the probabilities', () => {
    const rng = seededRng(123);
    const logits = [Math.log(0.7), Math.log(0.2), Math.log(0.1)];
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++)
      counts[sampleToken(logits, { temperature: 1, topP: 1 }, rng)]!++;
    expect(counts[0]! / 20000).toBeCloseTo(0.7, 1);
    expect(counts[2]! / 20000).toBeCloseTo(0.1, 1);
  });

  it('sharpens with a lower temperature', () => {
    const logits = [1, 0];
    const hot = nucleus(logits, { temperature: 2, topP: 1 })[0]!.p;
    const cold = nucleus(logits, { temperature: 0.5, topP: 1 })[0]!.p;
    expect(cold).toBeGreaterThan(hot);
  });
});

describe('stop sequences', () => {
  it('finds the earliest stop, also across the boundary of the checked text', () => {
    expect(findStop('12+3=15\nadd', ['\n', 'add'])).toBe(7);
    expect(findStop('ab\ncd', ['b\nc'], 3)).toBe(1);
    expect(findStop('ab\ncd', ['ab'], 3)).toBe(-1);
    expect(findStop('hello', ['x', ''])).toBe(-1);
  });
});

describe('metrics', () => {
  it('follows the definitions: TTFT, ITL = (E2E − TTFT)/(n − 1), E2E', () => {
    const m = requestMetrics({ requestMs: 100, tokenMs: [150, 160, 170, 190], inputTokens: 5 })!;
    expect(m.ttftMs).toBe(50);
    expect(m.e2eMs).toBe(90);
    expect(m.itlMs).toBeCloseTo(40 / 3, 9);
    expect(requestMetrics({ requestMs: 0, tokenMs: [], inputTokens: 1 })).toBeNull();
  });

  it('computes throughput over concurrent requests', () => {
    const b = batchMetrics([
      { requestMs: 0, tokenMs: [100, 200, 300, 400, 500], inputTokens: 10 },
      { requestMs: 0, tokenMs: [100, 300, 500, 700, 1000], inputTokens: 10 },
    ])!;
    expect(b.outputTokensPerS).toBeCloseTo(10, 9);
    expect(b.totalTokensPerS).toBeCloseTo(30, 9);
    expect(b.meanTtftMs).toBe(100);
  });
});
