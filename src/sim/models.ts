// Architecture presets of real MoE models, copied from each model's published config.json
// (field names in the comments). The parameter counts they imply are checked against the
// published totals in models.test.ts, so a typo here shows up as a failing test.
import type { AttentionSpec, ModelSpec } from './types';

const gqa = (heads: number, kvHeads: number, headDim: number): AttentionSpec => ({
  kind: 'gqa',
  heads,
  kvHeads,
  headDim,
});

/** DeepSeek's multi-head latent attention: q_lora_rank, kv_lora_rank, qk_nope/rope, v dims. */
const mla = (heads: number, qLoraRank: number): AttentionSpec => ({
  kind: 'mla',
  heads,
  qLoraRank,
  kvLoraRank: 512,
  qkNopeHeadDim: 128,
  qkRopeHeadDim: 64,
  vHeadDim: 128,
});

export const MODELS: readonly ModelSpec[] = [
  {
    id: 'mixtral-8x7b',
    maxContext: 32768,
    name: 'Mixtral-8x7B',
    layers: 32,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 4096,
    attention: gqa(32, 8, 128),
    experts: 8,
    topK: 2,
    expertFfn: 14336,
    sharedExperts: 0,
    sharedExpertFfn: 0,
    vocab: 32000,
    tiedEmbeddings: false,
    publishedTotalParamsB: 46.7,
    publishedActiveParamsB: 12.9,
    source: 'https://huggingface.co/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json',
  },
  {
    id: 'qwen1.5-moe-a2.7b',
    maxContext: 8192,
    name: 'Qwen1.5-MoE-A2.7B',
    layers: 24,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 2048,
    attention: gqa(16, 16, 128),
    experts: 60,
    topK: 4,
    expertFfn: 1408,
    // shared_expert_intermediate_size 5632: one wide shared expert (= 4 fine-grained ones).
    sharedExperts: 1,
    sharedExpertFfn: 5632,
    vocab: 151936,
    tiedEmbeddings: false,
    publishedTotalParamsB: 14.3,
    publishedActiveParamsB: 2.7,
    source: 'https://huggingface.co/Qwen/Qwen1.5-MoE-A2.7B/blob/main/config.json',
  },
  {
    id: 'qwen3-30b-a3b',
    maxContext: 40960,
    name: 'Qwen3-30B-A3B',
    layers: 48,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 2048,
    attention: gqa(32, 4, 128),
    experts: 128,
    topK: 8,
    expertFfn: 768,
    sharedExperts: 0,
    sharedExpertFfn: 0,
    vocab: 151936,
    tiedEmbeddings: false,
    publishedTotalParamsB: 30.5,
    publishedActiveParamsB: 3.3,
    source: 'https://huggingface.co/Qwen/Qwen3-30B-A3B/blob/main/config.json',
    notes:
      'The MoE-Inference-Bench slide table lists hidden 5120 / FFN 13824 for this model; the config.json says hidden_size 2048, moe_intermediate_size 768, which is what adds up to 30.5B.',
  },
  {
    id: 'deepseek-v2-lite',
    maxContext: 163840,
    name: 'DeepSeek-V2-Lite',
    layers: 27,
    denseLayers: 1,
    denseFfn: 10944,
    hidden: 2048,
    attention: mla(16, 0),
    experts: 64,
    topK: 6,
    expertFfn: 1408,
    sharedExperts: 2,
    sharedExpertFfn: 1408,
    vocab: 102400,
    tiedEmbeddings: false,
    publishedTotalParamsB: 15.7,
    publishedActiveParamsB: 2.4,
    source: 'https://huggingface.co/deepseek-ai/DeepSeek-V2-Lite/blob/main/config.json',
  },
  {
    id: 'phi-3.5-moe',
    maxContext: 131072,
    name: 'Phi-3.5-MoE',
    layers: 32,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 4096,
    attention: gqa(32, 8, 128),
    experts: 16,
    topK: 2,
    expertFfn: 6400,
    sharedExperts: 0,
    sharedExpertFfn: 0,
    vocab: 32064,
    tiedEmbeddings: false,
    publishedTotalParamsB: 41.9,
    publishedActiveParamsB: 6.6,
    source: 'https://huggingface.co/microsoft/Phi-3.5-MoE-instruct/blob/main/config.json',
  },
  {
    id: 'olmoe-1b-7b',
    maxContext: 4096,
    name: 'OLMoE-1B-7B',
    layers: 16,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 2048,
    attention: gqa(16, 16, 128),
    experts: 64,
    topK: 8,
    expertFfn: 1024,
    sharedExperts: 0,
    sharedExpertFfn: 0,
    vocab: 50304,
    tiedEmbeddings: false,
    publishedTotalParamsB: 6.9,
    publishedActiveParamsB: 1.3,
    source: 'https://huggingface.co/allenai/OLMoE-1B-7B-0924/blob/main/config.json',
  },
  {
    id: 'deepseek-v3',
    maxContext: 163840,
    name: 'DeepSeek-V3 / R1',
    layers: 61,
    denseLayers: 3,
    denseFfn: 18432,
    hidden: 7168,
    attention: mla(128, 1536),
    experts: 256,
    topK: 8,
    expertFfn: 2048,
    sharedExperts: 1,
    sharedExpertFfn: 2048,
    vocab: 129280,
    tiedEmbeddings: false,
    publishedTotalParamsB: 671,
    publishedActiveParamsB: 37,
    source:
      'https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json; arXiv 2412.19437',
    notes: 'The multi-token-prediction module (14B) is not counted; R1 shares the architecture.',
  },
  {
    id: 'llama-4-scout-17b-16e',
    maxContext: 10485760,
    name: 'Llama-4-Scout-17B-16E',
    layers: 48,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 5120,
    attention: gqa(40, 8, 128),
    experts: 16,
    topK: 1,
    expertFfn: 8192,
    sharedExperts: 1,
    sharedExpertFfn: 8192,
    vocab: 202048,
    tiedEmbeddings: false,
    publishedTotalParamsB: 109,
    publishedActiveParamsB: 17,
    source:
      'https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E/blob/main/config.json (text_config)',
    notes: 'Language model only; the vision encoder is not counted.',
  },
  {
    id: 'gpt-oss-20b',
    maxContext: 131072,
    name: 'gpt-oss-20b',
    layers: 24,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 2880,
    attention: gqa(64, 8, 64),
    experts: 32,
    topK: 4,
    expertFfn: 2880,
    sharedExperts: 0,
    sharedExpertFfn: 0,
    vocab: 201088,
    tiedEmbeddings: false,
    slidingWindow: { tokens: 128, fractionOfLayers: 0.5 },
    publishedTotalParamsB: 21,
    publishedActiveParamsB: 3.6,
    // vLLM's and SGLang's chat endpoints render gpt-oss prompts with the Harmony renderer, not
    // a Jinja template (serving_chat.py: use_harmony = model_type == "gpt_oss").
    chatFormat: 'harmony',
    // The release quantises the routed experts only (config.json quantization_config:
    // quant_method mxfp4, modules_to_not_convert self_attn, router, embed_tokens, lm_head).
    int4Format: 'mxfp4-experts',
    source: 'https://huggingface.co/openai/gpt-oss-20b/blob/main/config.json',
    notes: 'Released with MXFP4 expert weights; choose int4 precision to match that.',
  },
  {
    id: 'gpt-oss-120b',
    maxContext: 131072,
    name: 'gpt-oss-120b',
    layers: 36,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 2880,
    attention: gqa(64, 8, 64),
    experts: 128,
    topK: 4,
    expertFfn: 2880,
    sharedExperts: 0,
    sharedExpertFfn: 0,
    vocab: 201088,
    tiedEmbeddings: false,
    slidingWindow: { tokens: 128, fractionOfLayers: 0.5 },
    publishedTotalParamsB: 117,
    publishedActiveParamsB: 5.1,
    chatFormat: 'harmony',
    int4Format: 'mxfp4-experts',
    source: 'https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json',
    notes: 'Released with MXFP4 expert weights; choose int4 precision to match that.',
  },
  {
    id: 'deepseek-vl2-tiny',
    name: 'DeepSeek-VL2-Tiny (language part)',
    layers: 12,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 1280,
    attention: gqa(10, 10, 128),
    experts: 64,
    topK: 6,
    expertFfn: 896,
    sharedExperts: 2,
    sharedExpertFfn: 896,
    vocab: 129280,
    tiedEmbeddings: false,
    publishedTotalParamsB: 3.0,
    publishedActiveParamsB: 0.57,
    source:
      'arXiv 2412.10302 (DeepSeek-VL2) Table 1; https://huggingface.co/deepseek-ai/deepseek-vl2-tiny/blob/main/config.json (language_config)',
    notes: 'DeepSeekMoE-3B; the tiny variant uses plain multi-head attention, not MLA.',
  },
  {
    id: 'deepseek-vl2-small',
    name: 'DeepSeek-VL2-Small (language part)',
    layers: 27,
    denseLayers: 1,
    denseFfn: 10944,
    hidden: 2048,
    attention: mla(16, 0),
    experts: 64,
    topK: 6,
    expertFfn: 1408,
    sharedExperts: 2,
    sharedExpertFfn: 1408,
    vocab: 102400,
    tiedEmbeddings: false,
    publishedTotalParamsB: 16,
    publishedActiveParamsB: 2.4,
    source:
      'arXiv 2412.10302 (DeepSeek-VL2) Table 1; https://huggingface.co/deepseek-ai/deepseek-vl2-small/blob/main/config.json (language_config)',
    notes: 'DeepSeekMoE-16B.',
  },
  {
    id: 'deepseek-vl2-base',
    name: 'DeepSeek-VL2 (language part)',
    layers: 30,
    denseLayers: 1,
    denseFfn: 12288,
    hidden: 2560,
    attention: mla(32, 0),
    experts: 72,
    topK: 6,
    expertFfn: 1536,
    sharedExperts: 2,
    sharedExpertFfn: 1536,
    vocab: 129280,
    tiedEmbeddings: false,
    publishedTotalParamsB: 27,
    publishedActiveParamsB: 4.1,
    source:
      'arXiv 2412.10302 (DeepSeek-VL2) Table 1; https://huggingface.co/deepseek-ai/deepseek-vl2/blob/main/config.json (language_config)',
    notes: 'DeepSeekMoE-27B.',
  },
  {
    id: 'llada-moe',
    name: 'LLaDA-MoE-7B-A1B (diffusion)',
    layers: 16,
    denseLayers: 0,
    denseFfn: 0,
    hidden: 2048,
    attention: gqa(16, 16, 128),
    experts: 64,
    topK: 8,
    expertFfn: 1024,
    sharedExperts: 0,
    sharedExpertFfn: 0,
    vocab: 157184,
    tiedEmbeddings: false,
    diffusion: { defaultSteps: 128, blockLength: 32 },
    publishedTotalParamsB: 7,
    publishedActiveParamsB: 1.4,
    source:
      'https://huggingface.co/inclusionAI/LLaDA-MoE-7B-A1B-Instruct (config.json; arXiv 2509.24389)',
    notes:
      'Masked diffusion LM: each denoising step re-runs the whole sequence and re-routes every token. Default 128 steps over blocks of 32 tokens, as in the LLaDA sampler.',
  },
];

export function modelById(id: string): ModelSpec | undefined {
  return MODELS.find((m) => m.id === id);
}

/** Parameters of one attention block (projections only). */
export function attentionParams(m: ModelSpec): number {
  const a = m.attention;
  const d = m.hidden;
  if (a.kind === 'gqa') return d * a.heads * a.headDim * 2 + d * a.kvHeads * a.headDim * 2;
  const qk = a.qkNopeHeadDim + a.qkRopeHeadDim;
  const q = a.qLoraRank > 0 ? d * a.qLoraRank + a.qLoraRank * a.heads * qk : d * a.heads * qk;
  const kv =
    d * (a.kvLoraRank + a.qkRopeHeadDim) + a.kvLoraRank * a.heads * (a.qkNopeHeadDim + a.vHeadDim);
  return q + kv + a.heads * a.vHeadDim * d;
}

/** SwiGLU FFN: gate, up and down projections. */
export const ffnParams = (hidden: number, inter: number): number => 3 * hidden * inter;

export function moeLayerCount(m: ModelSpec): number {
  return m.layers - m.denseLayers;
}

/** Total and active parameters implied by the architecture numbers. */
export function paramCounts(m: ModelSpec): { total: number; active: number } {
  const attn = attentionParams(m) * m.layers;
  const dense = ffnParams(m.hidden, m.denseFfn) * m.denseLayers;
  const moeLayers = moeLayerCount(m);
  const expert = ffnParams(m.hidden, m.expertFfn);
  const shared = ffnParams(m.hidden, m.sharedExpertFfn) * m.sharedExperts;
  const router = m.hidden * m.experts;
  const embed = m.vocab * m.hidden * (m.tiedEmbeddings ? 1 : 2);
  const common = attn + dense + embed + moeLayers * (shared + router);
  return {
    total: common + moeLayers * m.experts * expert,
    active: common + moeLayers * m.topK * expert,
  };
}

/** KV-cache elements per token per layer (MLA caches the latent and the rope key once). */
export function kvElementsPerToken(m: ModelSpec): number {
  const a = m.attention;
  if (a.kind === 'gqa') return 2 * a.kvHeads * a.headDim;
  return a.kvLoraRank + a.qkRopeHeadDim;
}
