// The page's actions on the engine: load a model, generate, cancel, evaluate, apply knobs. Each
// updates the run store; an error ends that action only and is shown, never thrown at React.
import { EngineClient } from './engineClient';
import { siteUrl } from '../loading/siteUrl';
import type { Backend, GenerationRequest, Knobs } from './protocol';
import { MAX_KEPT_STEPS, initialRunState, useRunStore } from './runStore';
import { useLabStore } from '../state/labStore';
import type { LabSettings } from '../state/settingsSchema';
import type { ModelConfig } from '../model/config';
import type { StepTrace } from './trace';

let client: EngineClient | null = null;
let loadKey: string | null = null;

function engine(): EngineClient {
  if (client) return client;
  client = new EngineClient();
  client.onProgress = ({ text, fraction, files }) =>
    useRunStore.setState((s) => ({
      progress: { text, fraction, files: files ?? s.progress?.files ?? [] },
    }));
  client.onError = (message) => useRunStore.setState({ error: message });
  client.onKnobsApplied = (knobs) => useRunStore.setState({ knobs });
  client.onDeviceLost = (reason) => void recoverFromDeviceLoss(reason);
  client.onNotice = (text) => useLabStore.getState().addNotice(text, 'info');
  return client;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

let loadedPrefer: Backend | null = null;

/**
 * Loads `modelId` into a fresh engine worker. `keepResults` keeps the last run, its traces and
 * the evaluations on screen (a restart after a lost GPU must not lose what was computed).
 */
export async function loadModel(
  modelId: string,
  prefer: Backend,
  keepResults = false,
): Promise<void> {
  const key = `${modelId}/${prefer}`;
  if (!keepResults && key === loadKey && useRunStore.getState().status !== 'error') return;
  loadKey = key;
  loadedPrefer = prefer;
  // A new model means a fresh worker: GPU buffers and sessions of the old one are freed with it.
  client?.terminate();
  client = null;
  const kept = keepResults ? useRunStore.getState() : initialRunState;
  useRunStore.setState({
    ...initialRunState,
    prompts: kept.prompts,
    outputs: kept.outputs,
    outputTokens: kept.outputTokens,
    steps: kept.steps,
    done: kept.done,
    evals: kept.evals,
    golden: kept.golden,
    status: 'loading',
    modelId,
  });
  try {
    const loaded = await engine().load(siteUrl(`models/${modelId}/`), siteUrl('ort/'), prefer);
    if (loadKey !== key) return;
    useRunStore.setState({
      status: 'ready',
      backend: loaded.backend,
      adapter: loaded.adapter,
      config: loaded.config as ModelConfig,
      loadMs: loaded.loadMs,
      progress: null,
      examples: loaded.examples,
      knobs: { topK: (loaded.config as ModelConfig).topK, disabledExperts: [], ffnKeep: 1 },
    });
  } catch (err) {
    if (loadKey !== key) return;
    loadKey = null;
    useRunStore.setState({
      status: 'error',
      error: `Could not load the model "${modelId}": ${message(err)}`,
    });
  }
}

export async function startGeneration(request: GenerationRequest): Promise<void> {
  const state = useRunStore.getState();
  if (state.status !== 'ready') return;
  const outputs = request.prompts.map(() => '');
  const outputTokens: number[][] = request.prompts.map(() => []);
  const steps: StepTrace[] = [];
  const run = engine().generate(request, {
    onToken: (seq, token, text) => {
      outputs[seq] += text;
      outputTokens[seq]!.push(token);
      useRunStore.setState({
        outputs: [...outputs],
        outputTokens: outputTokens.map((t) => [...t]),
      });
    },
    onStep: (trace) => {
      if (steps.length < MAX_KEPT_STEPS) steps.push(trace);
      useRunStore.setState({ steps: [...steps] });
    },
  });
  useRunStore.setState({
    status: 'running',
    runId: run.id,
    prompts: request.prompts,
    outputs,
    outputTokens,
    steps,
    done: null,
    error: null,
  });
  try {
    const done = await run.done;
    useRunStore.setState({ status: 'ready', done, outputs: done.texts, runId: null });
  } catch (err) {
    useRunStore.setState({
      status: 'ready',
      runId: null,
      error: `The run stopped: ${message(err)}`,
    });
  }
}

/**
 * Runs the lab's prompt with its generation settings (`genBatch` copies at once, traced).
 * `greedy` pins temperature 0 and a fixed seed, for views that need a reproducible trace.
 */
export function generateFromSettings(settings: LabSettings, greedy = false): Promise<void> {
  return startGeneration({
    // A batch is N concurrent requests for the same prompt: attention runs per sequence, the MoE
    // layer over all of them at once (what a serving engine's batching does).
    prompts: Array.from({ length: settings.genBatch }, () => settings.prompt),
    maxTokens: settings.maxTokens,
    temperature: greedy ? 0 : settings.temperature,
    topP: greedy ? 1 : settings.topP,
    stops: [],
    seed: greedy ? 1 : Date.now() % 2 ** 31,
    trace: true,
  });
}

export function cancelRun(): void {
  const { runId } = useRunStore.getState();
  if (runId !== null) client?.cancel(runId);
}

export async function evaluateSkills(perSkill: number): Promise<void> {
  if (useRunStore.getState().status !== 'ready') return;
  const run = engine().evaluate(perSkill);
  useRunStore.setState({ status: 'evaluating', runId: run.id, error: null });
  try {
    const result = await run.done;
    useRunStore.setState((s) => ({
      status: 'ready',
      runId: null,
      evals: [...s.evals, result].slice(-4),
    }));
  } catch (err) {
    useRunStore.setState({
      status: 'ready',
      runId: null,
      error: `The evaluation stopped: ${message(err)}`,
    });
  }
}

export function applyKnobs(knobs: Knobs): void {
  client?.setKnobs(knobs);
}

export async function checkGoldenOutputs(): Promise<void> {
  if (useRunStore.getState().status !== 'ready') return;
  useRunStore.setState({ status: 'evaluating', error: null, golden: null });
  try {
    const golden = await engine().checkGolden();
    useRunStore.setState({ status: 'ready', golden });
  } catch (err) {
    useRunStore.setState({ status: 'ready', error: `The fidelity check stopped: ${message(err)}` });
  }
}

/** The GPU device was lost (driver reset, device.destroy()): restart the engine on a new one. */
async function recoverFromDeviceLoss(reason: string): Promise<void> {
  const { modelId } = useRunStore.getState();
  if (!modelId) return;
  useLabStore
    .getState()
    .addNotice(
      `The GPU device was lost (${reason}). The engine is restarting on a new device, or on the CPU if none can be had; your settings and results are kept.`,
      'warning',
    );
  await loadModel(modelId, loadedPrefer ?? 'webgpu', true);
  const knobs = useRunStore.getState().knobs;
  if (knobs) applyKnobs(knobs);
}

/** Diagnostics: make the engine's GPU device be lost, as a driver reset would. */
export function simulateDeviceLoss(): void {
  client?.loseDevice();
}
