// The page's actions on the engine — load a model, run, evaluate, check the golden outputs,
// apply knobs, cancel — each moving the run store through the lifecycle's transitions, so a late
// reply of an older load or job never overwrites a newer state. An error ends that action only
// and is shown, never thrown at React. The settings bridge decides when to call them.
import { useLabStore } from '../state/labStore';
import { EngineCancelled } from './engineClient';
import { engine, hostConfig, onDeviceLost, onEngineNotice } from './engineHost';
import { transition, type LifecycleEvent } from './lifecycle';
import type { RunSignature } from './runSignature';
import { MAX_KEPT_STEPS, initialRunState, useRunStore } from './runStore';
import type { GoldenReport, GoldenRequest } from './protocol';
import type { StepTrace } from './trace';
import type { Backend, DensePath, GenerationRequest, Knobs } from './types';
import { recordPathRun } from './pathRunStore';
import type { GpuProbe } from '../gpu/gpuInfo';
import {
  measured,
  measurementLost,
  measuringEnded,
  measuringStarted,
  useBestAvailable,
} from './bestAvailable';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Applies a lifecycle event to the run store; false when the lifecycle refused it. */
function dispatch(event: LifecycleEvent): boolean {
  const { state, accepted } = transition(useRunStore.getState().lifecycle, event);
  if (accepted) useRunStore.setState({ lifecycle: state, status: state.status });
  return accepted;
}

const epoch = () => useRunStore.getState().lifecycle.epoch;
let nextJob = 1;
type Current = {
  job: number;
  abort: AbortController;
  settled: Promise<void>;
  /** Who stopped it: the user (the run stays on screen as stopped) or newer settings (replaced). */
  stoppedBy: 'user' | 'newer settings' | null;
};
let current: Current | null = null;
let loadedPrefer: Backend | null = null;
let loadedDensePath: DensePath = 'ort';
let loading: AbortController | null = null;

let wired = false;
function wireEngineEvents() {
  if (wired) return;
  wired = true;
  onEngineNotice((text) => useLabStore.getState().addNotice(text, 'info'));
  onDeviceLost((reason) => void recoverFromDeviceLoss(reason));
}

/**
 * Loads `modelId` into the engine (the same worker and device; the old model's sessions and
 * buffers are freed first). `keepResults` keeps the last run, its traces and the evaluations on
 * screen (a restart after a lost GPU must not lose what was computed).
 */
export async function loadModel(
  modelId: string,
  prefer: Backend,
  {
    keepResults = false,
    recovering = false,
    densePath = 'ort',
    measure,
  }: {
    keepResults?: boolean;
    recovering?: boolean;
    densePath?: DensePath;
    /** "Best available": the engine times both paths and keeps the faster (`prefer` is ignored). */
    measure?: { key: string; gpu: GpuProbe; batch: number };
  } = {},
): Promise<boolean> {
  wireEngineEvents();
  current?.abort.abort();
  // A load still waiting in the engine is pointless now: the engine skips it.
  loading?.abort();
  const abortLoad = new AbortController();
  loading = abortLoad;
  dispatch({ type: recovering ? 'recover' : 'load' });
  const mine = epoch();
  loadedPrefer = prefer;
  loadedDensePath = densePath;
  const kept = keepResults ? useRunStore.getState() : initialRunState;
  const lifecycle = useRunStore.getState().lifecycle;
  useRunStore.setState({
    ...initialRunState,
    lifecycle,
    status: lifecycle.status,
    prompts: kept.prompts,
    outputs: kept.outputs,
    outputTokens: kept.outputTokens,
    steps: kept.steps,
    done: kept.done,
    ranWith: kept.ranWith,
    evals: kept.evals,
    golden: kept.golden,
    modelId,
  });
  if (measure) measuringStarted(measure.key, measure.batch, measure.gpu, densePath);
  try {
    const loaded = await engine().load(
      {
        packUrl: hostConfig.packUrl(modelId),
        ortWasmBase: hostConfig.ortWasmBase(),
        prefer: measure ? 'auto' : prefer,
        densePath,
        ...(measure ? { probeBatch: measure.batch } : {}),
      },
      {
        signal: abortLoad.signal,
        onProgress: ({ text, fraction, files }) => {
          if (epoch() !== mine) return;
          useRunStore.setState((s) => ({
            progress: { text, fraction, files: files ?? s.progress?.files ?? [] },
          }));
        },
      },
    );
    if (epoch() !== mine) {
      if (measure) measuringEnded(measure.key);
      return false;
    }
    // A restart after a lost device reloads what was chosen, not the measurement.
    loadedPrefer = loaded.backend;
    if (measure && loaded.measurement) measured(measure.key, measure.gpu, loaded.measurement);
    else if (measure) measuringEnded(measure.key);
    useRunStore.setState({
      backend: loaded.backend,
      densePath: loaded.densePath,
      adapter: loaded.adapter,
      fallbackReason: loaded.fallbackReason,
      f16Weights: loaded.f16Weights,
      ortBuild: loaded.ortBuild,
      graphCapture: loaded.graphCapture,
      config: loaded.config,
      loadMs: loaded.loadMs,
      progress: null,
      examples: loaded.examples,
      evalSets: loaded.evalSets,
      knobs: loaded.knobs,
    });
    return dispatch({ type: 'loaded', epoch: mine });
  } catch (err) {
    if (measure) measuringEnded(measure.key);
    // Stopped for newer settings (a path switch mid-measurement): their load follows at once.
    if (epoch() !== mine || (err instanceof EngineCancelled && abortLoad.signal.aborted))
      return false;
    useRunStore.setState({
      progress: null,
      error: `Could not load the model "${modelId}": ${message(err)}`,
    });
    dispatch({ type: 'loadFailed', epoch: mine });
    return false;
  }
}

/**
 * Stops a "Best available" measurement in flight (the model, backend or dense path it was for
 * has changed): the engine ends it at its next step and the newer settings' load runs.
 */
export function cancelMeasuringLoad(): boolean {
  if (!useBestAvailable.getState().measuring || !loading) return false;
  loading.abort();
  return true;
}

/** Sends knobs to the engine (which clamps them again) and records what it now runs. */
export async function applyKnobs(knobs: Knobs): Promise<void> {
  const mine = epoch();
  try {
    const applied = await engine().setKnobs(knobs);
    if (epoch() === mine) useRunStore.setState({ knobs: applied });
  } catch (err) {
    if (epoch() === mine && !(err instanceof EngineCancelled))
      useRunStore.setState({ error: `Could not apply the change: ${message(err)}` });
  }
}

export type RunOptions = {
  /** Seed for sampling; runs the bridge starts use a fixed one, so a knob is all that changes. */
  seed?: number;
  /** Prompts other than the signature's (its `custom` field says what they are). */
  prompts?: string[];
};

/** The generation request a signature stands for. */
function requestFor(sig: RunSignature, opts: RunOptions = {}): GenerationRequest {
  return {
    // A batch is N concurrent requests for the same prompt: attention runs per sequence, the MoE
    // layer over all of them at once (what a serving engine's batching does).
    prompts: opts.prompts ?? Array.from({ length: sig.genBatch }, () => sig.prompt),
    maxTokens: sig.maxTokens,
    temperature: sig.temperature,
    topP: sig.topP,
    stops: [],
    seed: opts.seed ?? 1,
    trace: true,
  };
}

/**
 * Runs the prompt a signature describes. Resolves when the run has ended (done, failed or
 * cancelled); the run store then holds its text, traces and metrics, and `ranWith` = `sig`.
 */
export async function startRun(sig: RunSignature, opts: RunOptions = {}): Promise<void> {
  const job = nextJob++;
  const mine = epoch();
  if (!dispatch({ type: 'start', kind: 'run', job, epoch: mine })) return;
  const abort = new AbortController();
  let settle!: () => void;
  current = { job, abort, settled: new Promise((r) => (settle = r)), stoppedBy: null };
  const mineRun = current;
  const request = requestFor(sig, opts);
  const outputs = request.prompts.map(() => '');
  const outputTokens: number[][] = request.prompts.map(() => []);
  const steps: StepTrace[] = [];
  const live = () => epoch() === mine && useRunStore.getState().runId === job;
  useRunStore.setState({
    runId: job,
    error: null,
    pending: sig,
  });
  try {
    const done = await engine().generate(request, {
      signal: abort.signal,
      onToken: (seq, token, text) => {
        outputs[seq] += text;
        outputTokens[seq]!.push(token);
        if (live() && useRunStore.getState().ranWith === sig)
          useRunStore.setState({
            outputs: [...outputs],
            outputTokens: outputTokens.map((t) => [...t]),
          });
      },
      onStep: (trace) => {
        if (steps.length < MAX_KEPT_STEPS) steps.push(trace);
        // The first step replaces the previous run's data at once, so views redraw as it lands.
        if (live()) {
          useRunStore.setState({
            prompts: request.prompts,
            outputs: [...outputs],
            outputTokens: outputTokens.map((t) => [...t]),
            steps: [...steps],
            ranWith: sig,
            done: null,
          });
        }
      },
    });
    if (live() && (done.reason !== 'cancelled' || mineRun.stoppedBy === 'user')) {
      recordPathRun(sig, done, useRunStore.getState());
      useRunStore.setState((s) => ({
        done: { ...done, id: job },
        outputs: done.texts,
        steps: [...steps],
        ranWith: sig,
        runCount: s.runCount + 1,
      }));
    }
  } catch (err) {
    if (epoch() === mine && !(err instanceof EngineCancelled))
      useRunStore.setState({ error: `The run stopped: ${message(err)}` });
  } finally {
    if (epoch() === mine && useRunStore.getState().runId === job)
      useRunStore.setState({ runId: null, pending: null });
    dispatch({ type: 'finish', job, epoch: mine });
    if (current?.job === job) current = null;
    settle();
  }
}

/**
 * Cancels the run or evaluation in progress (if any) and waits until the engine has stopped it.
 * A run stopped by the user stays on screen as stopped; one stopped for newer settings is
 * replaced by their run.
 */
export async function cancelRun(by: 'user' | 'newer settings' = 'user'): Promise<void> {
  const run = current;
  if (!run) return;
  run.stoppedBy ??= by;
  run.abort.abort();
  await run.settled;
}

export async function evaluateSkills(
  perSkill: number,
  opts: { specialisation?: boolean } = {},
): Promise<void> {
  const job = nextJob++;
  const mine = epoch();
  if (!dispatch({ type: 'start', kind: 'evaluate', job, epoch: mine })) return;
  const abort = new AbortController();
  let settle!: () => void;
  current = { job, abort, settled: new Promise((r) => (settle = r)), stoppedBy: null };
  useRunStore.setState({ runId: job, error: null });
  try {
    const result = await engine().evaluate(
      { perSkill, specialisation: opts.specialisation === true },
      { signal: abort.signal },
    );
    if (epoch() === mine)
      useRunStore.setState((s) => ({ evals: [...s.evals, { ...result, id: job }].slice(-4) }));
  } catch (err) {
    if (epoch() === mine && !(err instanceof EngineCancelled))
      useRunStore.setState({ error: `The evaluation stopped: ${message(err)}` });
  } finally {
    if (epoch() === mine) useRunStore.setState({ runId: null });
    dispatch({ type: 'finish', job, epoch: mine });
    if (current?.job === job) current = null;
    settle();
  }
}

/**
 * Runs the pack's golden prompts (the model as trained, or with its experts at
 * `req.expertPrecision`); the report is shown and returned (null when it did not run or end).
 */
export async function checkGoldenOutputs(req: GoldenRequest = {}): Promise<GoldenReport | null> {
  const job = nextJob++;
  const mine = epoch();
  if (!dispatch({ type: 'start', kind: 'evaluate', job, epoch: mine })) return null;
  useRunStore.setState({ runId: job, error: null, golden: null });
  try {
    const golden = await engine().checkGolden(req);
    if (epoch() !== mine) return null;
    useRunStore.setState({ golden });
    return golden;
  } catch (err) {
    if (epoch() === mine && !(err instanceof EngineCancelled))
      useRunStore.setState({ error: `The fidelity check stopped: ${message(err)}` });
    return null;
  } finally {
    if (epoch() === mine) useRunStore.setState({ runId: null });
    dispatch({ type: 'finish', job, epoch: mine });
  }
}

/** The GPU device was lost (driver reset, device.destroy()): restart the engine on a new one. */
async function recoverFromDeviceLoss(reason: string): Promise<void> {
  const { modelId, knobs } = useRunStore.getState();
  if (!modelId) return;
  // Lost while "Best available" timed the paths: the CPU path runs and the verdict says why.
  if (measurementLost(reason)) {
    useLabStore
      .getState()
      .addNotice(
        `The GPU device was lost while the backends were being measured (${reason}). The CPU (wasm) path runs; “Measure again” next to Backend tries once more.`,
        'warning',
      );
    await loadModel(modelId, 'cpu', { keepResults: true, recovering: true });
    return;
  }
  useLabStore
    .getState()
    .addNotice(
      `The GPU device was lost (${reason}). The engine is restarting on a new device, or on the CPU if none can be had; your settings and results are kept.`,
      'warning',
    );
  const ok = await loadModel(modelId, loadedPrefer ?? 'webgpu', {
    keepResults: true,
    recovering: true,
    densePath: loadedDensePath,
  });
  if (ok && knobs) await applyKnobs(knobs);
}

/** Diagnostics: make the engine's GPU device be lost, as a driver reset would. */
export function simulateDeviceLoss(): void {
  engine().loseDevice();
}
