// Messages between the Performance panel and its benchmark worker. Plain data only.
import type { BenchKind, BenchReport, BenchSize } from '../types';

export type BenchRequest = {
  kind: BenchKind;
  size: BenchSize;
  /** Absolute URL of the model pack folder (the whole-model benchmark). */
  packUrl: string;
  /** Absolute URL of the folder holding onnxruntime-web's wasm runtime. */
  ortWasmBase: string;
  /** Which browser, in words, for the report's runtime line. */
  runtime: string;
  /** Set when the page found no WebGPU: the worker then does not look for one either. */
  noGpuReason: string | null;
};

export type ToBenchWorker = { type: 'run'; request: BenchRequest } | { type: 'cancel' };

export type FromBenchWorker =
  | { type: 'progress'; message: string; fraction: number }
  | { type: 'done'; report: BenchReport }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };
