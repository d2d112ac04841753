// What a setting's control looks like, read from the settings schema alone: which input, its
// range and step, its option texts and how its value reads. Pure, so it is tested without React;
// SettingControl.tsx only draws it.
import {
  SETTINGS_SCHEMA,
  type BoolField,
  type EnumField,
  type FloatField,
  type IntField,
  type SettingKey,
  type SettingsSchema,
} from '../../state/settingsSchema';

type KeysOf<F> = { [K in SettingKey]: SettingsSchema[K] extends F ? K : never }[SettingKey];
export type NumberSettingKey = KeysOf<IntField | FloatField>;
export type EnumSettingKey = KeysOf<EnumField<string>>;
export type BoolSettingKey = KeysOf<BoolField>;
/** Every setting a SettingControl can draw (text settings, such as the prompt, have their own). */
export type ControlSettingKey = NumberSettingKey | EnumSettingKey | BoolSettingKey;

export type NumberRange = { min: number; max: number; step: number };

/** Narrower limits known only at run time (top-k ≤ experts, a trace's layers). */
export type RuntimeBounds = { min?: number; max?: number };

/** More slider positions than this and a number box sits beside the slider, for exact values. */
const MAX_SLIDER_POSITIONS = 100;

/** A float field's default step: a hundredth of its range. */
const FLOAT_STEPS = 100;

/** The schema's range, narrowed (never widened) by run-time bounds; never empty. */
export function numberRange(field: IntField | FloatField, bounds: RuntimeBounds = {}): NumberRange {
  const min = Math.max(field.min, bounds.min ?? field.min);
  const max = Math.max(min, Math.min(field.max, bounds.max ?? field.max));
  const step = field.step ?? (field.kind === 'int' ? 1 : (field.max - field.min) / FLOAT_STEPS);
  return { min, max, step };
}

/** A value moved into the range. */
export function clampTo(range: NumberRange, value: number): number {
  return Math.min(range.max, Math.max(range.min, value));
}

/** Whether a slider alone is too coarse to pick an exact value in this range. */
export function wantsNumberBox(range: NumberRange): boolean {
  return (range.max - range.min) / range.step > MAX_SLIDER_POSITIONS;
}

function decimalsOf(step: number): number {
  const text = String(step);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** A number as its control shows it: `45%`, `0.25`, `8 tokens`. */
export function formatControlValue(field: IntField | FloatField, value: number): string {
  if (field.percent) return `${Math.round(value * 100)}%`;
  const digits = field.kind === 'int' ? 0 : (field.digits ?? decimalsOf(numberRange(field).step));
  const text = value.toFixed(digits);
  return field.unit ? `${text} ${field.unit}` : text;
}

/** What a control shows for one value of an enum: its option text, else the value. */
export function optionText(field: EnumField, value: string): string {
  return field.optionText?.[value] ?? value;
}

/** An enum's options as [value, text], in the schema's order. */
export function enumOptions(field: EnumField): [string, string][] {
  return field.values.map((v) => [v, optionText(field, v)]);
}

export type ControlKind = 'slider' | 'slider+number' | 'select' | 'ordinal-slider' | 'checkbox';

/** Which input a setting gets: sliders for numbers, a select for enums, a checkbox for bools. */
export function controlKind(setting: ControlSettingKey, bounds: RuntimeBounds = {}): ControlKind {
  const field = SETTINGS_SCHEMA[setting];
  switch (field.kind) {
    case 'int':
    case 'float':
      return wantsNumberBox(numberRange(field, bounds)) ? 'slider+number' : 'slider';
    case 'enum':
      return field.ordinal ? 'ordinal-slider' : 'select';
    case 'bool':
      return 'checkbox';
  }
}

/** The label a control shows; a setting without one in the schema shows its URL key. */
export function settingLabel(setting: SettingKey): string {
  return SETTINGS_SCHEMA[setting].label ?? setting;
}
