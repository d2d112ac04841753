// What the engine records from the real run, per step and MoE layer, as plain typed arrays
// (transferable to the UI thread, drawable without touching the GPU). The per-layer part is the
// kernels' own trace (router probabilities, top-k, counts, offsets, expert ids, sorted ids),
// plus where each row came from.
import type { MoeTrace } from '../kernels/types';

export type MoeLayerTrace = MoeTrace & {
  layer: number;
  experts: number;
  blockSize: number;
  /** Sequence and position of each of the T token rows (all sequences of the batch together). */
  rowSeq: Int32Array;
  rowPos: Int32Array;
  /** GPU milliseconds per kernel where timestamp-query exists. */
  kernelMs: Record<string, number> | null;
  /**
   * Kernel calls the layer took: more than one when the batch had more rows than one call takes
   * (the grouping shown is then the align of all rows, as one call would make it).
   */
  calls?: number;
  /**
   * The layer's [T, D] input (normalised) and residual, recorded on the prefill step only. They
   * stay in the engine (the virtual GPUs re-run this very layer sharded on the run's own tokens);
   * the page never receives them.
   */
  moeInput?: Float32Array;
  moeResidual?: Float32Array;
};

export type StepTrace = {
  step: number;
  phase: 'prefill' | 'decode';
  layers: MoeLayerTrace[];
  /** Milliseconds in onnxruntime-web calls, in the MoE layers, and in the whole step. */
  ortMs: number;
  moeMs: number;
  stepMs: number;
  ortCalls: number;
  moeDispatches: number;
  /**
   * Every compute dispatch and command-buffer submission on the device during the step, ORT's
   * and ours (the engine counts them; null or absent on the CPU path).
   */
  gpuDispatches?: number | null;
  gpuSubmits?: number | null;
};
