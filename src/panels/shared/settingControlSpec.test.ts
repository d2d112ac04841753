import { describe, expect, it } from 'vitest';
import { SETTINGS_SCHEMA, type FloatField, type IntField } from '../../state/settingsSchema';
import {
  clampTo,
  controlKind,
  enumOptions,
  formatControlValue,
  numberRange,
  optionText,
  settingLabel,
  wantsNumberBox,
} from './settingControlSpec';

const int = (min: number, max: number, extra: Partial<IntField> = {}): IntField => ({
  kind: 'int',
  min,
  max,
  default: min,
  ...extra,
});
const float = (min: number, max: number, extra: Partial<FloatField> = {}): FloatField => ({
  kind: 'float',
  min,
  max,
  default: min,
  ...extra,
});

describe('a number control’s range', () => {
  it('is the schema’s, stepping 1 for ints and a hundredth of the range for floats', () => {
    expect(numberRange(int(1, 64))).toEqual({ min: 1, max: 64, step: 1 });
    expect(numberRange(float(0, 2))).toEqual({ min: 0, max: 2, step: 0.02 });
    expect(numberRange(float(0, 1, { step: 0.05 })).step).toBe(0.05);
  });

  it('narrows to run-time bounds but never widens past the schema', () => {
    expect(numberRange(int(1, 16), { max: 8 })).toEqual({ min: 1, max: 8, step: 1 });
    expect(numberRange(int(1, 16), { max: 99, min: -5 })).toEqual({ min: 1, max: 16, step: 1 });
  });

  it('is never empty, even when the run-time bound is below the minimum', () => {
    // A trace with no steps yet: max = -1.
    expect(numberRange(int(0, 255), { max: -1 })).toEqual({ min: 0, max: 0, step: 1 });
  });

  it('clamps a value into itself', () => {
    const range = numberRange(int(1, 8));
    expect([clampTo(range, 0), clampTo(range, 5), clampTo(range, 40)]).toEqual([1, 5, 8]);
  });

  it('adds a number box only when a slider is too coarse for exact values', () => {
    expect(wantsNumberBox(numberRange(int(1, 64)))).toBe(false);
    expect(wantsNumberBox(numberRange(int(1, 256)))).toBe(true);
    expect(wantsNumberBox(numberRange(float(0, 1, { step: 0.05 })))).toBe(false);
  });
});

describe('a setting’s value as its control shows it', () => {
  it('uses the schema’s percent, digits and unit', () => {
    expect(formatControlValue(float(0.05, 1, { percent: true }), 0.45)).toBe('45%');
    expect(formatControlValue(float(0, 1, { digits: 2 }), 0.25)).toBe('0.25');
    expect(formatControlValue(float(0, 2, { step: 0.05 }), 1.5)).toBe('1.50');
    expect(formatControlValue(int(1, 256, { unit: 'tokens' }), 8)).toBe('8 tokens');
  });

  it('names enum options by the schema’s option text, else by the value', () => {
    expect(optionText(SETTINGS_SCHEMA.strategy, 'tp-ep')).toBe('TP × EP hybrid');
    expect(enumOptions(SETTINGS_SCHEMA.gpus)).toEqual([
      ['1', '1'],
      ['2', '2'],
      ['4', '4'],
      ['8', '8'],
    ]);
  });
});

describe('which control a setting gets', () => {
  it('follows the field’s kind', () => {
    expect(controlKind('parSkew')).toBe('slider');
    expect(controlKind('parBatch')).toBe('slider+number');
    expect(controlKind('parBatch', { max: 16 })).toBe('slider');
    expect(controlKind('strategy')).toBe('select');
    expect(controlKind('vizBm')).toBe('ordinal-slider');
    expect(controlKind('presentation')).toBe('checkbox');
  });

  it('labels a setting from the schema', () => {
    expect(settingLabel('parSkew')).toBe('Routing skew');
    expect(settingLabel('vizLayer')).toBe('MoE layer');
  });
});
