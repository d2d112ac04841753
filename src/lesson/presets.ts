// One-click scenarios a lecturer reaches for: each moves the settings, opens the view that shows
// the point, and re-runs what it affects. Data plus one pure apply function.
import type { LabSettings } from '../state/settingsSchema';
import type { PanelId } from '../state/panelIds';
import type { Preset } from './lessonAction';
import { applyChanges, type SettingDiff } from './settingsChange';

export const PRESETS: readonly Preset[] = [
  {
    id: 'mixtral-2xa100',
    title: 'Mixtral on 2×A100, TP vs EP',
    summary:
      'Mixtral-8x7B in bf16 on two A100-80GB, one request at a time on TensorRT-LLM (Baseten’s benchmark setting): cut every expert in two (TP) or give each GPU four whole experts (EP)?',
    label: 'Mixtral on 2×A100, TP vs EP',
    panel: 'simulator',
    // Baseten's operating point (scenarioSources.ts): 512 in / 128 out, one request in flight, a
    // compiled TensorRT engine (the simulator's 'tuned' profile, as its calibration treats it).
    changes: {
      simModel: 'mixtral-8x7b',
      hardware: 'a100-80gb',
      simGpus: 2,
      strategy: 'tp',
      precision: 'bf16',
      simEngine: 'tuned',
      inputLen: 512,
      outputLen: 128,
      concurrency: 1,
      prompts: 10,
    },
    rerun: 'none',
    measures: ['simTpVsEp', 'simMemory', 'simThroughput'],
    lookAt:
      'The sweep below draws every strategy over concurrency; TP is selected, EP is one click away.',
  },
  {
    id: 'deepseek-v3-decode',
    title: 'DeepSeek-V3 decode with EP',
    summary:
      'DeepSeek-V3 (671 B, 256 experts, top-8) decoding on H800s in FP8 with DP-attention, expert parallelism, two-batch overlap and MTP, at the per-GPU load DeepSeek serves it with.',
    label: 'DeepSeek-V3 decode with EP',
    panel: 'simulator',
    // DeepSeek's operating point (scenarioSources.ts): ~88 requests per GPU at 20–22 tok/s per
    // user, mean KV length ~5k (4000 in + 2000 out), MTP with one draft token accepted 85% of the
    // time, DeepEP-class kernels (the 'tuned' engine), on their EP144 decode cluster: 144 × 88.1
    // ≈ 12 686 requests in flight; twice as many prompts: two generations, simulated in full
    // (the scheduler extrapolates only from three on).
    changes: {
      simModel: 'deepseek-v3',
      hardware: 'h800',
      simGpus: 144,
      strategy: 'dp-ep',
      precision: 'fp8',
      simEngine: 'tuned',
      inputLen: 4000,
      outputLen: 2000,
      concurrency: 12686,
      prompts: 25372,
      placement: 'eplb',
      overlapComm: true,
      specDraftB: 0.7,
      specTokens: 1,
      specAccept: 0.85,
    },
    rerun: 'none',
    measures: ['simItl', 'simThroughput', 'simMemory', 'simComm', 'simCommHidden'],
    lookAt:
      'Decode is memory- and communication-bound: look at the time split and at tokens/s per user.',
  },
  {
    id: 'top1-accuracy',
    title: 'What top-1 does to accuracy',
    summary:
      'The trained 8-expert model was trained with top-2. Route each token to one expert instead and score the held-out prompts again.',
    label: 'What top-1 does to accuracy',
    panel: 'model',
    changes: { model: 'mixtral-style', topK: 1 },
    rerun: 'evaluate',
    measures: ['accuracy'],
    lookAt:
      'The skills table gains a top-1 column beside the top-2 one: compare them skill by skill.',
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** A preset applied to the settings: the new settings, the view to open, and what moved. */
export function applyPreset(
  settings: LabSettings,
  preset: Preset,
): { settings: LabSettings; panel: PanelId; diff: SettingDiff[] } {
  const { next, diff } = applyChanges(settings, preset.changes);
  return { settings: next, panel: preset.panel, diff };
}
