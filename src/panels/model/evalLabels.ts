// The evaluation table's column headings: the knobs each evaluation ran with, in words. The
// experts' precision is part of what an evaluation is keyed by (its knobs); f32 is named too as
// soon as some column is at another precision, so the f32 column reads as the baseline.
import { precisionOf } from '../../engine/knobs';
import type { Knobs } from '../../engine/types';

export function knobsLabel(k: Knobs, namePrecision = precisionOf(k) !== 'f32'): string {
  const parts = [`top-${k.topK}`];
  if (k.disabledExperts.length) parts.push(`off: ${k.disabledExperts.join(',')}`);
  if (k.ffnKeep < 1) parts.push(`FFN ${Math.round(k.ffnKeep * 100)}%`);
  if (k.capacityFactor != null) parts.push(`capacity ×${k.capacityFactor}`);
  if (namePrecision) parts.push(`experts ${precisionOf(k)}`);
  return parts.join(', ');
}

/** Headings for evaluations side by side: precision named on all when any is not f32. */
export function evalColumnLabels(knobs: Knobs[]): string[] {
  const mixed = knobs.some((k) => precisionOf(k) !== 'f32');
  return knobs.map((k) => knobsLabel(k, mixed));
}
