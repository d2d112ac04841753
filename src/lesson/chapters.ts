// The guided lesson: eight short chapters, each a few sentences, the live view it talks about,
// and one "try this" that moves the settings for the student. Pure data, validated by tests.
import type { PanelId } from '../state/panelIds';
import type { LessonAction } from './lessonAction';
import type { SettingChanges } from './settingsChange';

export type Chapter = {
  /** Stable id (for tests and screenshots); the URL uses the 1-based number. */
  id: string;
  title: string;
  /** One to three sentences. */
  text: readonly string[];
  panel: PanelId;
  /** The embedded view draws the engine's trace, so the lesson runs the prompt once if needed. */
  needsTrace: boolean;
  /** The embedded view steps with ←/→ itself; the lesson then leaves those keys to it. */
  panelUsesArrows: boolean;
  tryThis: LessonAction;
  /**
   * Where the chapter starts, beyond the defaults: entering it resets every lesson setting to
   * these values (src/lesson/chapterBaseline.ts), and "Put it back" returns here.
   */
  baseline: SettingChanges;
};

export const CHAPTERS: readonly Chapter[] = [
  {
    id: 'dense-vs-moe',
    title: 'A dense FFN and an MoE layer',
    text: [
      'A dense feed-forward layer multiplies every token by all of its weights, so its compute grows with its width.',
      'An MoE layer cuts that width into E experts, and a router sends each token to only k of them: the model holds all E experts’ parameters but pays for k.',
    ],
    panel: 'layer',
    needsTrace: true,
    panelUsesArrows: false,
    tryThis: {
      label: 'Run every expert for every token (top-k = 8)',
      changes: { model: 'mixtral-style', topK: 8 },
      rerun: 'generate',
      measures: ['expertsPerToken', 'moeMsPerToken', 'answer'],
      lookAt:
        'The layer diagram: with k = E every token now goes to all eight experts, the work of a dense FFN eight experts wide.',
    },
    baseline: { model: 'mixtral-style', topK: 2 },
  },
  {
    id: 'gating',
    title: 'Gating: softmax, top-k, renormalised weights',
    text: [
      'The router scores every expert for a token with a softmax over x·W_G and keeps the k largest.',
      'The chosen probabilities are renormalised to sum to 1 and weight the experts’ outputs.',
    ],
    panel: 'gating',
    needsTrace: true,
    panelUsesArrows: false,
    tryThis: {
      label: 'Route each token to one expert (top-1)',
      changes: { model: 'mixtral-style', topK: 1 },
      rerun: 'generate',
      measures: ['expertsPerToken', 'topWeight', 'answer'],
      lookAt:
        'The gating view: one bar per token is tagged now, with its renormalised weight beside it.',
    },
    baseline: { model: 'mixtral-style', topK: 2 },
  },
  {
    id: 'batching',
    title: 'Batching experts: permutation, prefix sum, padding',
    text: [
      'To run all experts in one kernel, the (token, expert) pairs are grouped by expert: count them, pad each count up to a block of BM rows, and take the prefix sum to find where each expert starts.',
      'Every block then carries its expert index, and the pairs are scattered into sorted_ids.',
    ],
    panel: 'permutation',
    needsTrace: true,
    panelUsesArrows: true,
    tryThis: {
      label: 'Pad to blocks of 64 rows instead of 16',
      changes: { vizBm: '64', permStage: 2 },
      rerun: 'none',
      measures: ['padding'],
      lookAt:
        'The permutation view: the padded counts are now multiples of 64, and the dashed cells are rows of the grouped GEMM that compute nothing.',
    },
    baseline: { model: 'mixtral-style', topK: 2, vizBm: '16', permStage: 2 },
  },
  {
    id: 'grouped-gemm',
    title: 'The grouped GEMM: fused or one kernel per expert',
    text: [
      'After the permutation, one grouped GEMM runs every block against its own expert’s weights, with SwiGLU fused in; the alternative launches a matmul per expert.',
      'At decode each expert sees few tokens, so launches and weight reads dominate: those are what the fused kernel saves.',
    ],
    panel: 'performance',
    needsTrace: false,
    panelUsesArrows: false,
    tryThis: {
      label: 'Switch the fused MoE kernel off (simulated cluster)',
      changes: { fusedMoe: false },
      rerun: 'none',
      measures: ['simItl', 'simThroughput'],
      lookAt:
        'The Performance view: the simulator now prices one launch per expert instead of one grouped kernel.',
    },
    baseline: { fusedMoe: true },
  },
  {
    id: 'load-balance',
    title: 'Load balance: skew, imbalance, auxiliary loss',
    text: [
      'When the router favours some experts, the GPU holding them works longest while the others wait: a step lasts as long as its busiest expert.',
      'Training adds an auxiliary loss E·Σ f_e·P_e, which is 1 for perfect balance and grows with skew.',
    ],
    panel: 'heatmap',
    needsTrace: true,
    panelUsesArrows: false,
    tryThis: {
      label: 'Skew the routing to 0.8 (simulated cluster)',
      changes: { strategy: 'ep', skew: 0.8 },
      rerun: 'none',
      measures: ['simImbalance', 'simItl'],
      lookAt:
        'The routing heatmap: how unevenly this run’s tokens load the experts — the unevenness a skew of 0.8 exaggerates in the simulated cluster.',
    },
    baseline: { strategy: 'ep', skew: 0 },
  },
  {
    id: 'parallelism',
    title: 'Parallelism: TP, EP, DP-attention and hybrids',
    text: [
      'Tensor parallelism cuts every expert across GPUs and sums the partial results with an all-reduce; expert parallelism places whole experts on GPUs and moves tokens with two all-to-alls.',
      'DP-attention + EP replicates attention and shards the experts; TP × EP mixes both.',
    ],
    panel: 'parallelism',
    needsTrace: false,
    panelUsesArrows: false,
    tryThis: {
      label: 'Switch from expert to tensor parallelism',
      changes: { strategy: 'tp' },
      rerun: 'none',
      measures: ['simComm', 'simItl'],
      lookAt:
        'The all-to-all dispatch and combine become all-reduces of the whole hidden state: other bytes, other timelines.',
    },
    baseline: { strategy: 'ep', skew: 0 },
  },
  {
    id: 'serving',
    title: 'Serving metrics: TTFT, ITL, throughput, concurrency',
    text: [
      'TTFT is the time to the first token (the prefill), ITL the time between later tokens (one decode step each), and throughput the output tokens per second over all requests.',
      'Serving several requests at once lets them share each decode step: where every layer is batched, throughput rises and ITL grows only a little.',
    ],
    panel: 'latency',
    needsTrace: false,
    panelUsesArrows: false,
    tryThis: {
      label: 'Serve 4 requests at once',
      changes: { genBatch: 4 },
      rerun: 'generate',
      measures: ['requests', 'throughput', 'itl', 'ttft'],
      lookAt: 'The Latency view: its cards and step chart now cover four requests served together.',
    },
    baseline: { model: 'mixtral-style', genBatch: 1 },
  },
  {
    id: 'at-scale',
    title: 'At scale: real models, quantization, pruning, speculation',
    text: [
      'The cluster simulator prices every operator of a real MoE model on real GPUs.',
      'Quantization shrinks the bytes every decode step reads; pruning experts and speculative decoding trade a little quality or extra compute for speed.',
    ],
    panel: 'simulator',
    needsTrace: false,
    panelUsesArrows: false,
    tryThis: {
      label: 'Quantize the weights to FP8',
      changes: { precision: 'fp8' },
      rerun: 'none',
      measures: ['simMemory', 'simItl'],
      lookAt:
        'The simulator: FP8 stores each weight in one byte instead of BF16’s two; compare memory per GPU and the decode step.',
    },
    baseline: { precision: 'bf16' },
  },
];

export const CHAPTER_COUNT = CHAPTERS.length;

/** The chapter for a 1-based number, clamped into range (the URL codec already clamps). */
export function chapterAt(n: number): Chapter {
  const i = Math.min(CHAPTER_COUNT, Math.max(1, Math.round(Number.isFinite(n) ? n : 1))) - 1;
  return CHAPTERS[i]!;
}
