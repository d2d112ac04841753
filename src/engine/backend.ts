// The two halves the generation loop drives, whatever the hardware: the dense parts
// (onnxruntime-web) and the MoE layers (our WGSL kernels or their TypeScript twins).
// `A` is an activation handle: a Float32Array on the CPU path, a GPU buffer on WebGPU.
import type { MoeLayerTrace } from './trace';
import type { GenerateHooks, GenerateResult } from './generateContract';
import type { GenerationRequest, Knobs, TextCodec } from './types';

/** What a MoE call records: nothing, the routing and grouping, or that plus its [T, D] inputs. */
/**
 * Rows one MoE kernel call takes in the engine; a batch with more runs in slices of this many.
 * With a capacity factor a slice is the batch the capacity counts over, so the CPU path slices
 * at the same rows as the GPU path and both drop the same pairs.
 */
export const MOE_ROWS_PER_CALL = 512;

export type TraceLevel = 'none' | 'routing' | 'inputs';

export type SequenceCache = { length: number; dispose(): void };

export interface ModelBackend<A> {
  readonly kind: 'webgpu' | 'cpu';
  readonly layers: number;
  /** The live knobs: the engine's one copy, held by the backend that runs them. */
  readonly knobs: Knobs;
  /** f16 expert weights can run here (the CPU twin always; WebGPU with `shader-f16`). */
  readonly f16Weights: boolean;
  /** Applies knobs already clamped by `clampKnobs` (a pruned FFN rebuilds the expert weights). */
  setKnobs(knobs: Knobs): Promise<void>;
  /** Embeddings of `ids` for one sequence: [T, D]. */
  embed(ids: number[]): Promise<A>;
  /** A fresh, empty KV cache for one sequence. */
  newCache(): SequenceCache;
  /**
   * Attention block of `layer` on one sequence's new rows (appending to its cache).
   * Returns the residual stream after attention and the normalised MoE input, both [T, D].
   */
  attention(layer: number, cache: SequenceCache, x: A, T: number): Promise<{ h: A; moeIn: A }>;
  /**
   * Where the backend has it (WebGPU with graph capture): a decode step's attention for every
   * sequence at once — one new row each, stacked in `x` [S, D] in the order of `caches` — one
   * call per layer instead of one per sequence. Returns h and the MoE input, [S, D].
   */
  decodeAttention?(layer: number, caches: SequenceCache[], x: A): Promise<{ h: A; moeIn: A }>;
  /** Stacks the rows of several sequences into one [ΣT, D] activation, and splits it back. */
  concat(parts: A[], rows: number[]): A;
  split(x: A, rows: number[]): A[];
  /**
   * out = residual + MoE(x) over all `T` rows (in as many kernel calls as the kernels' row limit
   * needs); a trace when asked.
   */
  moe(
    layer: number,
    x: A,
    residual: A,
    T: number,
    trace: TraceLevel,
  ): Promise<{ out: A; trace: MoeLayerTrace | null }>;
  /** Frees sessions and buffers. */
  dispose(): Promise<void>;
  /** Logits of each sequence's last row, read back to the CPU for sampling: [S][V]. */
  lastLogits(parts: A[], rows: number[]): Promise<Float32Array[]>;
  /** Releases activation handles once the step is done with them. */
  release(xs: A[]): void;
  /** Counters since the last call (ORT calls, MoE dispatches, time in each). */
  takeCounters(): {
    ortCalls: number;
    moeDispatches: number;
    ortMs: number;
    moeMs: number;
    gpuMs: number | null;
  };
}

/**
 * A backend that runs a whole step — every layer of every sequence — by itself: our own WGSL
 * dense path, one submission per token. It brings its own generation loop under the contract of
 * `generate` (same prompt handling, stops, metrics, traces) instead of the per-layer calls above.
 */
export interface WholeStepBackend {
  readonly kind: 'webgpu';
  /** Which kernels run the dense parts: always ours here. */
  readonly densePath: 'wgsl';
  readonly layers: number;
  readonly knobs: Knobs;
  readonly f16Weights: boolean;
  setKnobs(knobs: Knobs): Promise<void>;
  generate(codec: TextCodec, req: GenerationRequest, hooks: GenerateHooks): Promise<GenerateResult>;
  dispose(): Promise<void>;
}

/** Either kind of backend the engine can hold. */
export type AnyBackend<A = unknown> = ModelBackend<A> | WholeStepBackend;

export function runsWholeSteps<A>(b: AnyBackend<A>): b is WholeStepBackend {
  return 'densePath' in b && b.densePath === 'wgsl';
}
