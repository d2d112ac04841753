// Checks the engine against the exporter's golden outputs: last-position logits (relative
// error), routing decisions per layer (same expert set per token) and the greedy completion.
import { maxRelError } from '../kernels/reference';
import type { GoldenPrompt } from '../model/pack';
import type { AnyBackend } from './backend';
import { generate, type TextCodec } from './generate';
import type { MoeLayerTrace } from './trace';
import type { GoldenCheck } from './types';

/** The tolerance the issue sets for the engine against the exporter. */
export const GOLDEN_LOGITS_TOLERANCE = 1e-3;

/** A golden check, with the logits' largest absolute difference beside the relative error. */
export type GoldenResult = GoldenCheck & { logitsMaxAbs: number };

/**
 * How far logits are from the exporter's: max |Δ| and the relative error the check judges
 * (max |Δ| ÷ max |golden|, the kernels' measure). Different lengths or a NaN: Infinity.
 */
export function logitsError(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
): { maxAbs: number; maxRel: number } {
  const maxRel = maxRelError(got, want);
  if (!Number.isFinite(maxRel)) return { maxAbs: Infinity, maxRel: Infinity };
  let maxAbs = 0;
  for (let i = 0; i < got.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got[i]! - want[i]!));
  return { maxAbs, maxRel };
}

const sortedRow = (ids: ArrayLike<number>, from: number, k: number) =>
  Array.from({ length: k }, (_, j) => ids[from + j]!)
    .sort((a, b) => a - b)
    .join(',');

export async function checkGolden<A>(
  backend: AnyBackend<A>,
  codec: TextCodec,
  maxContext: number,
  golden: GoldenPrompt,
): Promise<GoldenResult> {
  const prompt = codec.decode(golden.ids.slice(codec.bosId !== null ? 1 : 0));
  let first: Float32Array | null = null;
  const layers: MoeLayerTrace[] = [];
  const result = await generate(
    backend,
    codec,
    maxContext,
    {
      prompts: [prompt],
      maxTokens: codec.encode(golden.greedyCompletion).length + 1,
      temperature: 0,
      topP: 1,
      stops: [],
      seed: 0,
      trace: true,
    },
    {
      onLogits: (step, _s, logits) => {
        if (step === 0) first = logits[0]!;
      },
      onStep: (t) => {
        if (t.step === 0) layers.push(...t.layers);
      },
    },
  );
  const error = first
    ? logitsError(first, golden.lastLogits)
    : { maxAbs: Infinity, maxRel: Infinity };
  const logitsRelError = error.maxRel;
  let matched = 0;
  let total = 0;
  for (const r of golden.routing) {
    const t = layers[r.layer];
    r.topkIds.forEach((row, i) => {
      total++;
      if (
        t &&
        t.k === row.length &&
        sortedRow(t.topkIds, i * t.k, t.k) === [...row].sort((a, b) => a - b).join(',')
      )
        matched++;
    });
  }
  const completion = result.texts[0] ?? '';
  return {
    prompt,
    logitsRelError,
    logitsMaxAbs: error.maxAbs,
    routingTokensMatched: matched,
    routingTokens: total,
    expectedCompletion: golden.greedyCompletion,
    completion,
    pass:
      logitsRelError < GOLDEN_LOGITS_TOLERANCE &&
      matched === total &&
      completion.startsWith(golden.greedyCompletion),
  };
}
