// Everything a run's result depends on, as one comparable value. The settings bridge computes it
// from the settings (through the one knob reading) and the run store keeps the one the last run
// ran with: a view whose data is older than the settings knows, and says what changed.
import { knobsFromSettings, precisionOf, sameKnobs } from './knobs';
import type { Knobs } from './types';

export type RunSettings = {
  model: string;
  prompt: string;
  maxTokens: number;
  genBatch: number;
  temperature: number;
  topP: number;
  topK: number;
  disabledExperts: string;
  ffnKeep: number;
  blockSize: string;
  capacityFactor?: string;
  expertPrecision?: string;
};

export type RunSignature = {
  model: string;
  knobs: Knobs;
  prompt: string;
  maxTokens: number;
  genBatch: number;
  temperature: number;
  topP: number;
  /** A run not made from the settings' prompt (say, one example per skill), in words. */
  custom?: string;
};

/** The signature the settings ask for on a loaded model, and every value that had to be repaired. */
export function runSignature(
  s: RunSettings,
  model: { experts: number; maxContext: number; f16Weights?: boolean | null },
): { signature: RunSignature; repairs: string[] } {
  const { knobs, repairs } = knobsFromSettings(s, model.experts, {
    f16: model.f16Weights ?? true,
  });
  // The control's maximum follows the pack's context: a prompt needs at least one token of it.
  const maxTokens = Math.max(1, Math.min(Math.round(s.maxTokens) || 1, model.maxContext - 2));
  if (maxTokens !== s.maxTokens)
    repairs.push(
      `max tokens ${s.maxTokens} → ${maxTokens} (this model's context is ${model.maxContext} tokens, prompt included)`,
    );
  return {
    signature: {
      model: s.model,
      knobs,
      prompt: s.prompt,
      maxTokens,
      genBatch: s.genBatch,
      temperature: s.temperature,
      topP: s.topP,
    },
    repairs,
  };
}

export function sameSignature(a: RunSignature, b: RunSignature): boolean {
  return (
    a.model === b.model &&
    sameKnobs(a.knobs, b.knobs) &&
    a.prompt === b.prompt &&
    a.maxTokens === b.maxTokens &&
    a.genBatch === b.genBatch &&
    a.temperature === b.temperature &&
    a.topP === b.topP &&
    a.custom === b.custom
  );
}

const list = (xs: number[]) => (xs.length === 0 ? 'none' : xs.join(', '));

/** What differs between the run shown and the settings, in words ("top-k 2 → 4"). */
export function signatureChanges(ran: RunSignature, wanted: RunSignature): string[] {
  const out: string[] = [];
  if (ran.custom !== wanted.custom && ran.custom) out.push(`this run was ${ran.custom}`);
  if (ran.model !== wanted.model) out.push(`model ${ran.model} → ${wanted.model}`);
  const a = ran.knobs;
  const b = wanted.knobs;
  if (a.topK !== b.topK) out.push(`top-k ${a.topK} → ${b.topK}`);
  if (list(a.disabledExperts) !== list(b.disabledExperts))
    out.push(`experts off ${list(a.disabledExperts)} → ${list(b.disabledExperts)}`);
  if (a.ffnKeep !== b.ffnKeep)
    out.push(`FFN kept ${Math.round(a.ffnKeep * 100)}% → ${Math.round(b.ffnKeep * 100)}%`);
  if (a.blockSize !== b.blockSize) out.push(`block size ${a.blockSize} → ${b.blockSize}`);
  if ((a.capacityFactor ?? null) !== (b.capacityFactor ?? null))
    out.push(`capacity factor ${a.capacityFactor ?? 'off'} → ${b.capacityFactor ?? 'off'}`);
  if (precisionOf(a) !== precisionOf(b))
    out.push(`expert precision ${precisionOf(a)} → ${precisionOf(b)}`);
  if (ran.prompt !== wanted.prompt && !ran.custom) out.push('the prompt');
  if (ran.maxTokens !== wanted.maxTokens)
    out.push(`max tokens ${ran.maxTokens} → ${wanted.maxTokens}`);
  if (ran.genBatch !== wanted.genBatch)
    out.push(`requests at once ${ran.genBatch} → ${wanted.genBatch}`);
  if (ran.temperature !== wanted.temperature || ran.topP !== wanted.topP) out.push('sampling');
  return out;
}
