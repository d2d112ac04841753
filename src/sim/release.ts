// What the engine-release setting changes, in one sentence for the panel: computed from the
// profile's fitted factor and the calibration figures it was fitted on, never typed twice.
import { releaseFactor, type EngineProfile, type EngineRelease } from './engines';
import { SERVING_FIGURES, SERVING_SOURCES } from './servingCalibration';

export const RELEASE_TEXT: Readonly<Record<EngineRelease, string>> = {
  current: 'current (late 2025: vLLM 0.10–0.11, SGLang 0.5, TRT-LLM 1.x)',
  'early-2025': 'early 2025 (vLLM 0.7, SGLang 0.4, TRT-LLM 0.17)',
};

export function releaseExplanation(engine: EngineProfile, release: EngineRelease): string {
  if (release === 'current') return 'The builds the profile is fitted on: no release factor.';
  const factor = releaseFactor(engine, release);
  if (factor === 1)
    return `No early-2025 figure of this engine in the calibration: the build changes nothing here.`;
  const figures = SERVING_FIGURES.filter(
    (f) => f.engine === engine.id && f.release === 'early-2025',
  );
  // A source's short name is its title up to the first colon ("dstack: …").
  const sources = [...new Set(figures.map((f) => f.source))].map(
    (id) => SERVING_SOURCES.find((s) => s.id === id)?.title.split(':')[0] ?? id,
  );
  const gpus = [...new Set(figures.map((f) => f.hardware.toUpperCase()))];
  return (
    `Older block-FP8 GEMM kernels (before DeepGEMM / CUTLASS blockwise): GEMMs at 1/${factor} of the ` +
    `current rate, so prefill slows most and decode little. Fitted on ${figures.length} ` +
    `${sources.join(', ')} figures (${gpus.join(', ')}).`
  );
}
