import { describe, expect, it } from 'vitest';
import { runSignature, sameSignature, signatureChanges, type RunSettings } from './runSignature';

const settings: RunSettings = {
  model: 'mixtral-style',
  prompt: 'add: 1+2=',
  maxTokens: 32,
  genBatch: 1,
  temperature: 0,
  topP: 1,
  topK: 2,
  disabledExperts: '',
  ffnKeep: 1,
  blockSize: '16',
  capacityFactor: 'off',
};
const model = { experts: 8, maxContext: 128 };

describe('run signature', () => {
  it('is equal for equal settings and names what changed', () => {
    const a = runSignature(settings, model).signature;
    const b = runSignature({ ...settings, topK: 4, maxTokens: 8 }, model).signature;
    expect(sameSignature(a, runSignature({ ...settings }, model).signature)).toBe(true);
    expect(sameSignature(a, b)).toBe(false);
    expect(signatureChanges(a, b)).toEqual(['top-k 2 → 4', 'max tokens 32 → 8']);
  });

  it('keeps room for the prompt in the context, with a notice', () => {
    const r = runSignature({ ...settings, maxTokens: 512 }, model);
    expect(r.signature.maxTokens).toBe(126);
    expect(r.repairs.join(' ')).toMatch(/max tokens 512 → 126/);
  });

  it('clamps top-k to the model and says so', () => {
    const r = runSignature({ ...settings, topK: 32 }, model);
    expect(r.signature.knobs.topK).toBe(8);
    expect(r.repairs.join(' ')).toMatch(/top-k 32 → 8/);
  });

  it('a capacity factor change marks the run stale and is named', () => {
    const a = runSignature(settings, model).signature;
    const b = runSignature({ ...settings, capacityFactor: '1.5' }, model).signature;
    expect(sameSignature(a, b)).toBe(false);
    expect(signatureChanges(a, b)).toEqual(['capacity factor off → 1.5']);
  });

  it('an expert precision change marks the run stale; f16 without shader-f16 stays f32', () => {
    const a = runSignature(settings, model).signature;
    const b = runSignature({ ...settings, expertPrecision: 'int4' }, model).signature;
    expect(sameSignature(a, b)).toBe(false);
    expect(signatureChanges(a, b)).toEqual(['expert precision f32 → int4']);
    const f16 = runSignature(
      { ...settings, expertPrecision: 'f16' },
      { ...model, f16Weights: false },
    );
    expect(f16.signature.knobs.expertPrecision).toBe('f32');
    expect(sameSignature(a, f16.signature)).toBe(true);
    expect(f16.repairs.join(' ')).toMatch(/f16 → f32.*shader-f16/);
    const ok = runSignature(
      { ...settings, expertPrecision: 'f16' },
      { ...model, f16Weights: true },
    );
    expect(ok.signature.knobs.expertPrecision).toBe('f16');
    expect(ok.repairs).toEqual([]);
  });
});
