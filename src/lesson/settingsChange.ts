// A "try this" or a preset as data: the settings it moves. Applying one is pure and returns what
// actually changed (key, from, to), so the lesson can say it in words and put it back.
import { coerceSetting } from '../state/coerceSetting';
import { SETTINGS_SCHEMA, type LabSettings, type SettingKey } from '../state/settingsSchema';

export type SettingChanges = Partial<LabSettings>;

export type SettingDiff = {
  key: SettingKey;
  from: LabSettings[SettingKey];
  to: LabSettings[SettingKey];
};

/**
 * Words a student reads for a setting a lesson moves, where a sentence needs more context than
 * the control's own label (which names every other key, from the schema).
 */
const SETTING_LABELS: Partial<Record<SettingKey, string>> = {
  model: 'trained model',
  topK: 'top-k (experts per token)',
  ffnKeep: 'FFN neurons kept per expert',
  blockSize: 'block size BM (engine)',
  vizBm: 'block size BM (view)',
  permStage: 'permutation stage',
  disabledExperts: 'experts switched off',
  genBatch: 'requests at once',
  maxTokens: 'max tokens',
  gpus: 'virtual GPUs',
  strategy: 'parallel strategy',
  placement: 'expert placement',
  parBatch: 'tokens per batch (virtual GPUs)',
  parSkew: 'routing skew (virtual GPUs)',
  parExperts: 'experts (virtual GPUs)',
  parTopK: 'top-k (virtual GPUs)',
  skew: 'routing skew (simulated cluster)',
  interconnect: 'interconnect',
  simModel: 'simulated model',
  hardware: 'GPU type',
  simGpus: 'GPUs in the cluster',
  precision: 'weight precision',
  inputLen: 'input tokens',
  outputLen: 'output tokens',
  concurrency: 'concurrent requests',
  fusedMoe: 'fused MoE kernel',
  pruneInter: 'experts pruned',
  specDraftB: 'speculative draft model (B params)',
};

export function settingLabel(key: SettingKey): string {
  const schemaLabel = SETTINGS_SCHEMA[key].label;
  return SETTING_LABELS[key] ?? (schemaLabel ? schemaLabel.toLowerCase() : key);
}

/** How a value reads in a sentence: booleans as on/off, fractions with two decimals. */
export function formatSettingValue(key: SettingKey, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') {
    // The permutation view counts its stages from 1 on screen.
    if (key === 'permStage') return String(value + 1);
    if (key === 'ffnKeep' || key === 'pruneInter') return `${Math.round(value * 100)}%`;
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
  const s = String(value);
  if (key === 'strategy') return s.toUpperCase();
  return s === '' ? 'none' : s;
}

export function describeDiff(d: SettingDiff): string {
  return `${settingLabel(d.key)}: ${formatSettingValue(d.key, d.from)} → ${formatSettingValue(d.key, d.to)}`;
}

/**
 * The settings after `changes`, each value checked by the schema (a bad value in lesson data is
 * a bug: it throws so the unit tests catch it), and the list of keys whose value really moved.
 */
export function applyChanges(
  settings: LabSettings,
  changes: SettingChanges,
): { next: LabSettings; diff: SettingDiff[] } {
  const next = { ...settings } as Record<SettingKey, unknown>;
  const diff: SettingDiff[] = [];
  for (const key of Object.keys(changes) as SettingKey[]) {
    if (!Object.prototype.hasOwnProperty.call(SETTINGS_SCHEMA, key)) {
      throw new Error(`Lesson data names an unknown setting "${key}".`);
    }
    const result = coerceSetting(SETTINGS_SCHEMA[key], changes[key]);
    if (!result.ok || result.note) {
      throw new Error(`Lesson data sets ${key}=${String(changes[key])}: ${result.note}.`);
    }
    if (result.value !== settings[key]) {
      diff.push({ key, from: settings[key], to: result.value as LabSettings[SettingKey] });
      next[key] = result.value;
    }
  }
  return { next: next as LabSettings, diff };
}

/** The changes that undo `diff` (each key back to its `from` value). */
export function revertChanges(diff: readonly SettingDiff[]): SettingChanges {
  const out: Record<string, unknown> = {};
  for (const d of diff) out[d.key] = d.from;
  return out as SettingChanges;
}
