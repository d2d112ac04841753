// Which character each traced row stands for. The engine's trace says, for every row of a step,
// its sequence and position; the text of that position follows from the prompt and the output
// tokens: position 0 is <bos>, then the prompt, then the generated tokens fed back one per step.
// Labels follow the character tokenizer's rules (src/model/tokenizer.ts).
import type { StepTrace } from '../engine/trace';

const BOS = 1;
const EOS = 2;
const UNK = 3;
const NEWLINE = 4;
const FIRST_PRINTABLE = 5;

/** Display text of one token id: specials by name, '\n' as ⏎, a space as ␣. */
export function tokenLabel(id: number): string {
  if (id === 0) return '<pad>';
  if (id === BOS) return '<bos>';
  if (id === EOS) return '<eos>';
  if (id === UNK) return '<unk>';
  if (id === NEWLINE) return '⏎';
  const code = id - FIRST_PRINTABLE + 0x20;
  if (code === 0x20) return '␣';
  return code > 0x20 && code <= 0x7e ? String.fromCharCode(code) : '<?>';
}

/** A label short enough for a one-character cell: <bos> becomes ⟨b⟩, other specials ⟨?⟩. */
export function cellLabel(label: string): string {
  if (label === '<bos>') return '⟨b⟩';
  return label.startsWith('<') && label.length > 1 ? '⟨?⟩' : label;
}

/** Labels of the prompt's tokens (no <bos>), one per code point as the tokenizer encodes it. */
export function promptLabels(prompt: string): string[] {
  return Array.from(prompt, (raw) => {
    const ch = raw === '\t' ? ' ' : raw;
    if (ch === '\n') return '⏎';
    if (ch === ' ') return '␣';
    const code = ch.codePointAt(0)!;
    return code > 0x20 && code <= 0x7e ? ch : '<unk>';
  });
}

/** Label of the token at `pos` in sequence `seq`. */
export function positionLabel(
  prompts: readonly string[],
  outputTokens: readonly (readonly number[])[],
  seq: number,
  pos: number,
): string {
  if (pos === 0) return '<bos>';
  const prompt = promptLabels(prompts[seq] ?? '');
  if (pos <= prompt.length) return prompt[pos - 1]!;
  const id = outputTokens[seq]?.[pos - 1 - prompt.length];
  return id === undefined ? '?' : tokenLabel(id);
}

/** One traced row: the step and row index that hold it, and the token it stands for. */
export type TracedToken = { step: number; row: number; seq: number; pos: number; label: string };

/** Labels of every row of one step (all sequences of the batch, in row order). */
export function stepTokens(
  steps: readonly StepTrace[],
  stepIndex: number,
  prompts: readonly string[],
  outputTokens: readonly (readonly number[])[],
): TracedToken[] {
  const layer = steps[stepIndex]?.layers[0];
  if (!layer) return [];
  return Array.from({ length: layer.T }, (_, row) => {
    const seq = layer.rowSeq[row]!;
    const pos = layer.rowPos[row]!;
    return {
      step: stepIndex,
      row,
      seq,
      pos,
      label: positionLabel(prompts, outputTokens, seq, pos),
    };
  });
}

/** Every traced token of one sequence in position order: the prompt (prefill) then each decode. */
export function sequenceTokens(
  steps: readonly StepTrace[],
  seq: number,
  prompts: readonly string[],
  outputTokens: readonly (readonly number[])[],
): TracedToken[] {
  const out: TracedToken[] = [];
  steps.forEach((_, s) => {
    for (const t of stepTokens(steps, s, prompts, outputTokens)) if (t.seq === seq) out.push(t);
  });
  return out.sort((a, b) => a.pos - b.pos);
}
