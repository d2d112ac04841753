// What the engine records from the real run, per step and MoE layer, as plain typed arrays
// (transferable to the UI thread, drawable without touching the GPU).

export type MoeLayerTrace = {
  layer: number;
  /** Tokens in this MoE call (all sequences of the batch together). */
  tokens: number;
  /** Which sequence and position each token row belongs to. */
  rowSeq: Int32Array;
  rowPos: Int32Array;
  experts: number;
  topK: number;
  blockSize: number;
  /** [tokens, experts] router probabilities (softmax or sigmoid scores). */
  probs: Float32Array;
  /** [tokens, topK]. */
  topkIds: Int32Array;
  topkWeights: Float32Array;
  /** [experts] tokens routed to each expert. */
  counts: Int32Array;
  /** [experts + 1] padded exclusive prefix sum (CSR indptr after padding to the block size). */
  offsets: Int32Array;
  numPostPad: number;
  /** [numPostPad / blockSize] expert of each block of the grouped GEMM. */
  expertIds: Int32Array;
  /** [numPostPad] pair index t·k + j, or the sentinel tokens·k in padding slots. */
  sortedIds: Int32Array;
  /** GPU milliseconds per kernel where timestamp-query exists. */
  kernelMs: Record<string, number> | null;
};

export type StepTrace = {
  step: number;
  phase: 'prefill' | 'decode';
  layers: MoeLayerTrace[];
  /** Milliseconds spent in onnxruntime-web calls, in MoE kernels (wall), and in the whole step. */
  ortMs: number;
  moeMs: number;
  stepMs: number;
  ortCalls: number;
  moeDispatches: number;
};
