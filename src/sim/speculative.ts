// Speculative decoding: a small dense draft proposes γ tokens, the target verifies γ+1
// positions in one pass. With per-token acceptance α the expected tokens per verification
// are (1 − α^(γ+1)) / (1 − α) (Leviathan et al., 2023).
import type { SimContext } from './context';
import type { SpeculativeSpec } from './types';

export function expectedTokensPerStep(spec: SpeculativeSpec): number {
  const a = Math.min(1, Math.max(0, spec.acceptanceRate));
  const g = Math.max(0, Math.round(spec.draftTokens));
  if (a >= 1) return g + 1;
  return (1 - Math.pow(a, g + 1)) / (1 - a);
}

/**
 * One draft forward for `seqs` sequences: a dense model of `draftParamsB` billion parameters,
 * split like the target's attention. Its depth (for launch overhead) follows the usual shape of
 * small dense models: about 24 layers at 1B, 32 at 7B, 80 at 70B.
 */
export function draftStepS(ctx: SimContext, spec: SpeculativeSpec, seqs: number): number {
  const { layout: L, rates: r, hw } = ctx;
  const params = (spec.draftParamsB * 1e9) / L.attentionTp;
  const tokens = Math.ceil(seqs / L.attentionDp);
  const tc = (2 * params * tokens) / r.denseFlops;
  const tm = (params * r.weightBytes) / r.hbm;
  const layers = Math.min(
    80,
    Math.max(16, Math.round(22 + 8 * Math.log2(Math.max(1, spec.draftParamsB)))),
  );
  return Math.max(tc, tm) + layers * 8 * hw.kernelLaunchUs * 1e-6;
}
