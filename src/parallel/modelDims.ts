// The sizes the virtual GPUs' memory, cost and timeline models need, for the trained model in the
// page or the random layer stack.
export type ModelDims = {
  D: number;
  I: number;
  E: number;
  k: number;
  sharedI: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  /** Tokens of context each sequence keeps in its KV cache. */
  context: number;
};

/** Ranks that split attention heads (tensor-parallel attention), capped by the head count. */
export function attentionTp(strategy: string, gpus: number, tp: number, heads: number): number {
  const want = strategy === 'tp' || strategy === 'ep' ? gpus : strategy === 'tp-ep' ? tp : 1;
  let t = Math.min(want, heads);
  while (t > 1 && heads % t !== 0) t--;
  return t;
}
