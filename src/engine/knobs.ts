// The engine's live knobs: their one default, their one clamp, and the one reading of the
// settings that produces them. Every path (the settings bridge, the worker, both backends) goes
// through these functions, so a knob means the same thing everywhere.
import type { WeightFormat } from '../kernels/types';
import type { Knobs } from './types';

/** The settings the knobs are read from (a subset of the lab's settings). */
export type KnobSettings = {
  topK: number;
  disabledExperts: string;
  ffnKeep: number;
  blockSize: string;
  /** 'off' or a number as text ('1.25'): the capacity factor setting (absent: off). */
  capacityFactor?: string;
  /** 'f32' | 'f16' | 'int8' | 'int4': the experts' weight precision (absent: f32). */
  expertPrecision?: string;
};

/** Every setting a knob is read from: what a chapter baseline or a preset must put back. */
export const KNOB_SETTING_KEYS = [
  'topK',
  'disabledExperts',
  'ffnKeep',
  'blockSize',
  'capacityFactor',
  'expertPrecision',
] as const satisfies readonly (keyof KnobSettings)[];
// A knob added to KnobSettings and not listed above fails to compile here.
const everyKnobListed: [Exclude<keyof KnobSettings, (typeof KNOB_SETTING_KEYS)[number]>] extends [
  never,
]
  ? true
  : false = true;
void everyKnobListed;

/** What the backend holding the model can run (f16 weights need WebGPU's `shader-f16`). */
export type KnobCaps = {
  /** f16 expert weights can run: true on the CPU path, `shader-f16` on WebGPU. */
  f16: boolean;
};

export const EXPERT_PRECISIONS = ['f32', 'f16', 'int8', 'int4'] as const;

const BLOCK_SIZES = [16, 32, 64, 128] as const;

/** The model as trained: its own top-k, every expert on, every FFN neuron kept. */
export function defaultKnobs(config: { topK: number }): Knobs {
  return {
    topK: Math.max(1, config.topK),
    disabledExperts: [],
    ffnKeep: 1,
    blockSize: 16,
    capacityFactor: null,
    expertPrecision: 'f32',
  };
}

const FFN_KEEP_MIN = 0.05;
/** Capacity factors a run can take (below 1 an expert could not take its even share). */
export const CAPACITY_FACTOR_MIN = 1;
export const CAPACITY_FACTOR_MAX = 4;

/** The capacity-factor setting ('off', '1.25', …) as a knob value; NaN for text that is neither. */
export function readCapacityFactor(text: string): number | null {
  const t = text.trim().toLowerCase();
  return t === 'off' || t === '' ? null : Number(t);
}

/**
 * Knobs a model with `experts` experts can run: at least one expert on, top-k within the experts
 * left on, the FFN fraction within [0.05, 1]. Returns what was repaired, in words, for notices.
 */
export function clampKnobs(
  knobs: Knobs,
  experts: number,
  caps: KnobCaps = { f16: true },
): { knobs: Knobs; repairs: string[] } {
  const E = Math.max(1, Math.floor(experts));
  const repairs: string[] = [];
  const valid = [...new Set(knobs.disabledExperts)]
    .filter((e) => Number.isInteger(e) && e >= 0 && e < E)
    .sort((a, b) => a - b);
  if (valid.length < new Set(knobs.disabledExperts).size)
    repairs.push(`experts switched off: ignored numbers outside 0…${E - 1}`);
  const disabledExperts = valid.slice(0, E - 1);
  if (disabledExperts.length < valid.length)
    repairs.push(`experts switched off: kept expert ${valid[E - 1]} on (one must stay on)`);
  const room = E - disabledExperts.length;
  const wanted = Number.isFinite(knobs.topK) ? Math.round(knobs.topK) : 1;
  const topK = Math.max(1, Math.min(wanted, room));
  if (topK !== wanted)
    repairs.push(
      `top-k ${wanted} → ${topK} (this model has ${room} expert${room === 1 ? '' : 's'} on)`,
    );
  const keep = Number.isFinite(knobs.ffnKeep) ? knobs.ffnKeep : 1;
  const ffnKeep = Math.max(FFN_KEEP_MIN, Math.min(1, keep));
  if (ffnKeep !== keep) repairs.push(`FFN neurons kept ${keep} → ${ffnKeep}`);
  const blockSize = BLOCK_SIZES.includes(knobs.blockSize) ? knobs.blockSize : 16;
  if (blockSize !== knobs.blockSize) repairs.push(`block size ${knobs.blockSize} → ${blockSize}`);
  const cf = knobs.capacityFactor ?? null;
  let capacityFactor: number | null = null;
  if (cf !== null && !Number.isFinite(cf)) repairs.push(`capacity factor ${cf} → off`);
  else if (cf !== null) {
    // Hundredths: the kernels take the factor in hundredths (expertCapacity).
    capacityFactor =
      Math.round(Math.max(CAPACITY_FACTOR_MIN, Math.min(CAPACITY_FACTOR_MAX, cf)) * 100) / 100;
    if (capacityFactor !== cf) repairs.push(`capacity factor ${cf} → ${capacityFactor}`);
  }
  const p = knobs.expertPrecision ?? 'f32';
  let expertPrecision: WeightFormat = (EXPERT_PRECISIONS as readonly string[]).includes(p)
    ? p
    : 'f32';
  if (expertPrecision !== p) repairs.push(`expert precision ${p} → f32`);
  else if (p === 'f16' && !caps.f16) {
    expertPrecision = 'f32';
    repairs.push(
      'expert precision f16 → f32 (this GPU does not offer the WebGPU shader-f16 feature, so the kernels cannot read f16 weights)',
    );
  }
  return {
    knobs: { topK, disabledExperts, ffnKeep, blockSize, capacityFactor, expertPrecision },
    repairs,
  };
}

/**
 * The disabled-experts setting is text in the URL ("1,5,7"): read every entry, and name the
 * entries that are not expert numbers so the user is told rather than silently ignored.
 */
export function readExpertList(text: string): { experts: number[]; junk: string[] } {
  const experts: number[] = [];
  const junk: string[] = [];
  for (const part of text.split(',')) {
    const t = part.trim();
    if (t === '') continue;
    if (/^\d{1,4}$/.test(t)) experts.push(Number(t));
    else junk.push(t);
  }
  return { experts, junk };
}

/** The knobs the settings ask for on a model with `experts` experts, and every repair made. */
export function knobsFromSettings(
  settings: KnobSettings,
  experts: number,
  caps: KnobCaps = { f16: true },
): { knobs: Knobs; repairs: string[] } {
  const list = readExpertList(settings.disabledExperts);
  const { knobs, repairs } = clampKnobs(
    {
      topK: settings.topK,
      disabledExperts: list.experts,
      ffnKeep: settings.ffnKeep,
      blockSize: Number(settings.blockSize) as Knobs['blockSize'],
      capacityFactor: readCapacityFactor(settings.capacityFactor ?? 'off'),
      expertPrecision: (settings.expertPrecision ?? 'f32') as WeightFormat,
    },
    experts,
    caps,
  );
  if (list.junk.length > 0)
    repairs.unshift(`experts switched off: ignored "${list.junk.slice(0, 3).join('", "')}"`);
  return { knobs, repairs };
}

/** The experts' weight precision the knobs ask for (knobs saved before the knob existed: f32). */
export function precisionOf(knobs: Pick<Knobs, 'expertPrecision'>): WeightFormat {
  return knobs.expertPrecision ?? 'f32';
}

/**
 * Whether going from `was` to `next` changes the MoE layers themselves (pruned FFN, block size,
 * weight precision), so a backend must rebuild them; the other knobs apply to the layers it has.
 */
export function layersChange(was: Knobs, next: Knobs): boolean {
  return (
    next.ffnKeep !== was.ffnKeep ||
    next.blockSize !== was.blockSize ||
    precisionOf(next) !== precisionOf(was)
  );
}

export function sameKnobs(a: Knobs, b: Knobs): boolean {
  return (
    a.topK === b.topK &&
    a.ffnKeep === b.ffnKeep &&
    a.blockSize === b.blockSize &&
    (a.capacityFactor ?? null) === (b.capacityFactor ?? null) &&
    precisionOf(a) === precisionOf(b) &&
    a.disabledExperts.length === b.disabledExperts.length &&
    a.disabledExperts.every((e, i) => e === b.disabledExperts[i])
  );
}
