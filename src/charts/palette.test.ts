import { hcl, lab, rgb, type LabColor } from 'd3';
import { describe, expect, it } from 'vitest';
import { EXPERT_COLORS, WORK_COLORS, expertColor, heatColor } from './palette';

// Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
const VISION: Record<string, number[][]> = {
  typical: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

const toLinear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const toSrgb = (v: number) => {
  const c = Math.min(1, Math.max(0, v));
  return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
};

function seenAs(hex: string, m: number[][]): LabColor {
  const c = rgb(hex);
  const v = [toLinear(c.r), toLinear(c.g), toLinear(c.b)];
  const [r, g, b] = m.map((row) => row[0]! * v[0]! + row[1]! * v[1]! + row[2]! * v[2]!);
  return lab(rgb(toSrgb(r!), toSrgb(g!), toSrgb(b!)));
}

/** CIE76 colour difference; about 10 or more reads as a different colour at a glance. */
const deltaE = (a: LabColor, b: LabColor) => Math.hypot(a.l - b.l, a.a - b.a, a.b - b.b);

describe('expert colours', () => {
  it('give the default eight experts (and a ninth) nine different colours', () => {
    const nine = Array.from({ length: 9 }, (_, e) => expertColor(e));
    expect(new Set(nine).size).toBe(9);
    expect(expertColor(0)).not.toBe(expertColor(7));
    expect(expertColor(9)).toBe(expertColor(0));
    expect(expertColor(-1)).toBe(EXPERT_COLORS[8]);
  });

  for (const [vision, m] of Object.entries(VISION)) {
    it(`stay apart for ${vision} vision (every pair ΔE ≥ 15)`, () => {
      const seen = EXPERT_COLORS.map((c) => seenAs(c, m));
      let least = Infinity;
      for (let i = 0; i < seen.length; i++)
        for (let j = i + 1; j < seen.length; j++)
          least = Math.min(least, deltaE(seen[i]!, seen[j]!));
      expect(least).toBeGreaterThanOrEqual(15);
    });
  }
});

describe('work colours', () => {
  it('give every kind of work its own colour, shared by every chart', () => {
    const all = Object.values(WORK_COLORS);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('heatmap colours', () => {
  const samples = Array.from({ length: 21 }, (_, i) => heatColor(i / 20));

  it('keep a hue everywhere: no grey that reads as "no data"', () => {
    for (const c of samples) expect(hcl(c).c).toBeGreaterThanOrEqual(15);
  });

  for (const [vision, m] of Object.entries(VISION)) {
    it(`get darker all the way from low to high for ${vision} vision`, () => {
      const l = samples.map((c) => seenAs(c, m).l);
      for (let i = 1; i < l.length; i++) expect(l[i]!).toBeLessThan(l[i - 1]!);
      expect(l[0]! - l[l.length - 1]!).toBeGreaterThan(70);
    });
  }

  it('draw a zero as a cell, not as the white page, and clamp out-of-range values', () => {
    expect(deltaE(lab(heatColor(0)), lab('#ffffff'))).toBeGreaterThanOrEqual(10);
    expect(heatColor(-1)).toBe(heatColor(0));
    expect(heatColor(2)).toBe(heatColor(1));
    expect(heatColor(Number.NaN)).toBe(heatColor(0));
  });
});
