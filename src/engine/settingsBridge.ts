// The one path from settings to the engine, outside React: it subscribes to the settings store,
// turns the settings into what the engine should hold (model, backend, knobs, the run to show)
// through one function (`runSignature`), and makes the warm engine catch up — a load when the
// model or backend changes, the knobs when they change, and a re-run of the prompt (debounced,
// cancelling a run in progress) so every open view redraws from the new trace. No view has to be
// mounted for a knob to take effect; views only read the run store.
import { useLabStore } from '../state/labStore';
import type { LabSettings } from '../state/settingsSchema';
import {
  applyKnobs,
  cancelMeasuringLoad,
  cancelRun,
  evaluateSkills,
  loadModel,
  startRun,
  type RunOptions,
} from './engineActions';
import { gpuProbe } from './engineHost';
import type { GpuProbe } from '../gpu/gpuInfo';
import { decideBackend, forgetAndMeasure, keyFor } from './bestAvailable';
import { sameKnobs } from './knobs';
import { runSignature, sameSignature, type RunSignature } from './runSignature';
import { useRunStore, type RunState } from './runStore';
import type { Backend } from './types';

/** A knob's re-run waits this long for the slider to stop moving. */
export const RERUN_DEBOUNCE_MS = 250;
/** Typing a prompt waits longer: a run per keystroke would only be cancelled again. */
const PROMPT_DEBOUNCE_MS = 700;

let active = false;
let started = false;
let timer: ReturnType<typeof setTimeout> | null = null;
let syncing: Promise<void> | null = null;
let again = false;
let lastRepairs = '';
/** Set by an explicit Generate: the next run samples with a fresh seed. */
let freshSeed: number | null = null;

type Wanted = { backend: Backend } | { measure: { key: string; gpu: GpuProbe } };

/**
 * The backend the settings ask for. "Best available" takes this device's verdict (cached, or
 * this page's), and where there is none asks the load to measure both paths (bestAvailable.ts).
 */
async function wantedBackend(s: LabSettings): Promise<Wanted> {
  if (s.engineBackend === 'cpu') return { backend: 'cpu' };
  const gpu = await gpuProbe();
  if (s.engineBackend === 'webgpu') return { backend: gpu.kind === 'webgpu' ? 'webgpu' : 'cpu' };
  const d = decideBackend(gpu, s.model, s.densePath);
  return 'measure' in d ? { measure: { key: d.key, gpu } } : { backend: d.backend };
}

/** The load key of a backend: the dense path is part of what is loaded on WebGPU only. */
const loadKeyOf = (s: LabSettings, backend: Backend) =>
  `${s.model}/${backend}${backend === 'webgpu' ? `/${s.densePath}` : ''}`;

/** What the settings ask the engine to show, once a model is loaded (null before). */
export function wantedSignature(
  settings: LabSettings = useLabStore.getState().settings,
  run: RunState = useRunStore.getState(),
): RunSignature | null {
  if (!run.config) return null;
  return runSignature(settings, { ...run.config, f16Weights: run.f16Weights }).signature;
}

function noteRepairs(settings: LabSettings, run: RunState) {
  if (!run.config) return;
  const { repairs } = runSignature(settings, { ...run.config, f16Weights: run.f16Weights });
  const text = repairs.join('; ');
  if (text && text !== lastRepairs)
    useLabStore.getState().addNotice(`Adjusted to fit ${settings.model}: ${text}.`, 'info');
  lastRepairs = text;
}

/** The model, backend and dense path of the last load asked for: a change of any loads again. */
let loadedKey: string | null = null;

/** One pass: bring the engine in line with the settings (sync() repeats it while they move). */
async function syncOnce(): Promise<void> {
  const settings = useLabStore.getState().settings;
  const wanted = await wantedBackend(settings);
  const want =
    'backend' in wanted
      ? loadKeyOf(settings, wanted.backend)
      : `${settings.model}/measure/${settings.densePath}`;
  if (want !== loadedKey) {
    loadedKey = want;
    await cancelRun('newer settings');
    const measure =
      'measure' in wanted ? { ...wanted.measure, batch: settings.genBatch } : undefined;
    const ok = await loadModel(settings.model, 'backend' in wanted ? wanted.backend : 'cpu', {
      densePath: settings.densePath,
      ...(measure ? { measure } : {}),
    });
    if (!ok || loadedKey !== want) return;
    // Measured: what loaded is the verdict's choice, which the next pass asks for by name.
    const backend = useRunStore.getState().backend;
    if (measure && backend) loadedKey = loadKeyOf(settings, backend);
    // The load itself ran the pack's golden prompt once: that was the warm-up (pipelines, JIT,
    // caches), never shown; the run below is the first the views draw.
  }
  const run = useRunStore.getState();
  // Loading, failed, or busy evaluating: the pass that follows the change will run.
  if (!run.config || !['ready', 'running'].includes(run.status)) return;
  noteRepairs(useLabStore.getState().settings, run);
  const sig = wantedSignature()!;
  if (!run.knobs || !sameKnobs(run.knobs, sig.knobs)) {
    await cancelRun('newer settings');
    await applyKnobs(sig.knobs);
  }
  const now = useRunStore.getState();
  const shown = now.pending ?? now.ranWith;
  if (shown && sameSignature(shown, sig) && freshSeed === null) return;
  await cancelRun('newer settings');
  const opts: RunOptions = freshSeed !== null ? { seed: freshSeed } : {};
  freshSeed = null;
  void startRun(sig, opts);
}

/** "Measure again" (Best available): time both paths on this device anew and load the faster. */
export async function remeasureBackend(): Promise<void> {
  const s = useLabStore.getState().settings;
  forgetAndMeasure(keyFor(await gpuProbe(), s.model, s.densePath));
  loadedKey = null;
  activateEngine();
  return sync();
}

/** After a failed load: try the same model again (the Retry button). */
export function retryLoad(): Promise<void> {
  loadedKey = null;
  activateEngine();
  return sync();
}

function sync(): Promise<void> {
  if (syncing) {
    again = true;
    return syncing;
  }
  syncing = (async () => {
    do {
      again = false;
      try {
        await syncOnce();
      } catch (err) {
        useRunStore.setState({ error: err instanceof Error ? err.message : String(err) });
      }
    } while (again);
  })().finally(() => {
    syncing = null;
  });
  return syncing;
}

function schedule(delayMs: number) {
  if (!active) return;
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void sync();
  }, delayMs);
}

/** Starts listening to the settings (once, at start-up). Nothing loads until `activateEngine`. */
export function startSettingsBridge(): void {
  if (started) return;
  started = true;
  useLabStore.subscribe((state, prev) => {
    const s = state.settings;
    const p = prev.settings;
    if (s === p) return;
    const engineKeys =
      s.model !== p.model ||
      s.engineBackend !== p.engineBackend ||
      s.densePath !== p.densePath ||
      s.topK !== p.topK ||
      s.disabledExperts !== p.disabledExperts ||
      s.ffnKeep !== p.ffnKeep ||
      s.blockSize !== p.blockSize ||
      s.capacityFactor !== p.capacityFactor ||
      s.expertPrecision !== p.expertPrecision ||
      s.maxTokens !== p.maxTokens ||
      s.genBatch !== p.genBatch ||
      s.temperature !== p.temperature ||
      s.topP !== p.topP;
    // A measurement for the old model or path would only delay the new one's load.
    // (Whatever the settings say next, even the same again, must load anew.)
    if (s.model !== p.model || s.engineBackend !== p.engineBackend || s.densePath !== p.densePath)
      if (cancelMeasuringLoad()) loadedKey = null;
    if (engineKeys) schedule(s.model !== p.model ? 0 : RERUN_DEBOUNCE_MS);
    else if (s.prompt !== p.prompt) schedule(PROMPT_DEBOUNCE_MS);
  });
}

/**
 * A view that draws the engine's data is open: load the model (once) and keep it in line with
 * the settings from now on, whichever views are open later.
 */
export function activateEngine(): void {
  startSettingsBridge();
  if (active) return;
  active = true;
  void sync();
}

/** Runs the prompt now (the Generate button): a fresh sample when the temperature is above 0. */
export function generateNow(): Promise<void> {
  activateEngine();
  const { temperature } = useLabStore.getState().settings;
  freshSeed = temperature > 0 ? Date.now() % 2 ** 31 : null;
  // A greedy run of unchanged settings repeats the shown one: run it anyway, as asked.
  if (freshSeed === null) useRunStore.setState({ ranWith: null, pending: null });
  return sync();
}

/** Resolves when the engine shows a finished run of the current settings (or has failed). */
export function engineSettled(): Promise<RunState> {
  activateEngine();
  // Nothing may be scheduled (say the shown run was one example per skill): catch up now.
  if (!timer) void sync();
  return new Promise((resolve) => {
    const check = () => {
      const run = useRunStore.getState();
      if (timer || syncing) return false;
      if (run.status === 'error') return (resolve(run), true);
      if (run.status !== 'ready') return false;
      const sig = wantedSignature(useLabStore.getState().settings, run);
      if (!sig || !run.ranWith || !sameSignature(run.ranWith, sig) || !run.done) return false;
      resolve(run);
      return true;
    };
    if (check()) return;
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        unsubscribe();
      }
    }, 100);
    const unsubscribe = useRunStore.subscribe(() => {
      if (check()) {
        clearInterval(poll);
        unsubscribe();
      }
    });
  });
}

/** Scores the loaded model with the current knobs (waits for the run the settings asked for). */
export async function evaluateNow(
  perSkill: number,
  opts: { specialisation?: boolean } = {},
): Promise<void> {
  await engineSettled();
  await evaluateSkills(perSkill, opts);
}

/**
 * Runs one held-out example per skill as one batch (greedy, traced), so the views can count
 * which experts each skill uses. The views mark it as a run not made from the settings' prompt.
 */
export async function runSkillExamples(): Promise<void> {
  activateEngine();
  await cancelRun('newer settings');
  const { examples } = useRunStore.getState();
  const sig = wantedSignature();
  if (!sig || examples.length === 0) return;
  const prompts = examples.map((e) => e.prompt);
  await startRun(
    {
      ...sig,
      custom: `one held-out example per skill (${prompts.length} prompts)`,
      genBatch: prompts.length,
      maxTokens: Math.min(24, sig.maxTokens),
      temperature: 0,
      topP: 1,
    },
    { prompts },
  );
}
