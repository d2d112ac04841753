// Real-GPU runs committed in bench/results/, offered in the Performance panel to compare with
// (how far is this laptop from an H100?). Linked as assets, fetched only when asked for.
import h100LayerUrl from '../../bench/results/2026-11-22-h100-v3.json?url';
import h100ModelUrl from '../../bench/results/2026-11-22-h100-v4-align-model.json?url';

export type ReferenceRun = { label: string; url: string };

export const REFERENCE_RUNS: readonly ReferenceRun[] = [
  { label: 'NVIDIA H100 — MoE layer and align & sort (full)', url: h100LayerUrl },
  { label: 'NVIDIA H100 — align & sort and whole model (full)', url: h100ModelUrl },
];
