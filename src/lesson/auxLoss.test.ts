import { describe, expect, it } from 'vitest';
import { fixtureLayer } from '../viz/traceFixture.testing';
import { auxLoss } from './auxLoss';

describe('auxLoss', () => {
  it('is 1 for uniform routing', () => {
    const E = 4;
    const T = 8;
    const probs = new Float32Array(T * E).fill(1 / E);
    expect(auxLoss({ T, k: 2, experts: E, probs, counts: [4, 4, 4, 4] })).toBeCloseTo(1, 6);
  });

  it('is E when every token goes to one expert with certainty', () => {
    const E = 8;
    const T = 5;
    const probs = new Float32Array(T * E);
    for (let t = 0; t < T; t++) probs[t * E + 3] = 1;
    const counts = [0, 0, 0, T, 0, 0, 0, 0];
    expect(auxLoss({ T, k: 1, experts: E, probs, counts })).toBeCloseTo(E, 6);
  });

  it('matches the hand computation on the fixture layer', () => {
    // f = [1, 3, 1, 1] / 6; P = [0.45, 1.15, 0.8, 0.6] / 3 → 4 · Σ f·P = 1.17778
    expect(auxLoss(fixtureLayer())).toBeCloseTo(
      (4 * (0.15 + 3 * (1.15 / 3) + 0.8 / 3 + 0.2)) / 6,
      5,
    );
  });

  it('gives null instead of a number for an empty or inconsistent layer', () => {
    expect(auxLoss({ T: 0, k: 2, experts: 4, probs: [], counts: [0, 0, 0, 0] })).toBeNull();
    expect(auxLoss({ T: 2, k: 1, experts: 4, probs: [0.25], counts: [1, 1, 0, 0] })).toBeNull();
    const probs = new Float32Array(8).fill(0.25);
    expect(auxLoss({ T: 2, k: 1, experts: 4, probs, counts: [0, 0, 0, 0] })).toBeNull();
  });
});
