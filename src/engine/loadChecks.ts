// What a load must prove before the model is called loaded: its weights are numbers, and it
// computes what its exporter recorded for the pack's first golden prompt. A damaged pack (NaN
// weights with a matching hash, a graph that lost a tensor) is an error, never a silent success.
import type { AnyBackend } from './backend';
import type { EnginePack } from './enginePack';
import { checkGolden } from './golden';
import type { GoldenPrompt } from '../model/pack';

/** The first non-finite value in the MoE weights, named by layer and tensor, or null. */
export function firstNonFiniteWeight(pack: EnginePack): string | null {
  for (let l = 0; l < pack.config.layers; l++) {
    const w = pack.moeWeights(l);
    for (const [name, data] of Object.entries(w)) {
      if (!(data instanceof Float32Array)) continue;
      for (let i = 0; i < data.length; i++)
        if (!Number.isFinite(data[i]!))
          return `moe.safetensors: layer ${l} ${name}[${i}] is ${data[i]}`;
    }
  }
  return null;
}

/**
 * Runs the pack's first golden prompt once (it is also the engine's warm-up: pipelines, sessions
 * and the trace read-back are built here, not in the first run the user sees).
 */
export async function proveModel<A>(
  backend: AnyBackend<A>,
  pack: EnginePack,
  golden: GoldenPrompt | undefined,
): Promise<void> {
  const bad = firstNonFiniteWeight(pack);
  if (bad) throw new Error(`The model pack's weights are damaged: ${bad}.`);
  if (!golden) return;
  const check = await checkGolden(backend, pack.codec, pack.config.maxContext, golden);
  if (!check.pass)
    throw new Error(
      `The model loaded but does not compute what its exporter recorded on “${check.prompt}” ` +
        `(logits error ${check.logitsRelError.toExponential(1)}, routing ${check.routingTokensMatched} of ${check.routingTokens} tokens, ` +
        `completion “${check.completion}” instead of “${check.expectedCompletion}”) on ${backend.kind === 'webgpu' ? 'WebGPU' : 'the CPU'}.`,
    );
}
