// The whole data path under random interleavings: settings store → bridge → engine client →
// the real Engine (served in this thread, on a Dawn device and on the CPU) → run store. 300
// random steps of model switches, backend switches, knob changes, prompts, runs, stops,
// evaluations and device losses, with the lifecycle's invariants checked after every step; then
// the engine must settle on exactly what the settings ask for.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDawnOrt, type DawnOrt } from '../../bench/node/dawnOrt';
import { useLabStore } from '../state/labStore';
import { cancelRun, evaluateSkills, simulateDeviceLoss } from './engineActions';
import { configureEngineHost, stopEngine } from './engineHost';
import { useOrtModule } from './ortSetup';
import { sameSignature } from './runSignature';
import { useRunStore, type RunState } from './runStore';
import { activateEngine, engineSettled, generateNow, wantedSignature } from './settingsBridge';
import { inProcessPort } from './testing/inProcessPort';

const ORT_DIR = fileURLToPath(new URL('../../node_modules/onnxruntime-web/dist/', import.meta.url));
const PUBLIC = fileURLToPath(new URL('../../public/', import.meta.url));

let env: DawnOrt;
let server: Server;

beforeAll(async () => {
  env = await openDawnOrt(ORT_DIR);
  useOrtModule(env.ort);
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    readFile(join(PUBLIC, path)).then(
      (body) => {
        res.writeHead(200, {
          'content-type':
            extname(path) === '.json' ? 'application/json' : 'application/octet-stream',
          'content-length': body.length,
        });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  configureEngineHost({
    makePort: () => inProcessPort(() => env.instance),
    packUrl: (id) => `http://127.0.0.1:${port}/models/${id}/`,
    ortWasmBase: () => ORT_DIR,
  });
});

afterAll(async () => {
  stopEngine();
  await new Promise((r) => server?.close(r));
  env?.device.destroy();
});

function invariants(run: RunState, step: string) {
  const busy = run.status === 'running' || run.status === 'evaluating';
  expect(run.status, step).toBe(run.lifecycle.status);
  expect(busy, `${step}: busy ⇔ a job`).toBe(run.lifecycle.job !== null);
  expect(busy, `${step}: busy ⇔ a run id`).toBe(run.runId !== null);
  if (run.status === 'loading' || run.status === 'recovering') {
    expect(run.config, `${step}: no model while loading`).toBeNull();
    expect(run.runId, step).toBeNull();
  }
  if (run.status === 'ready')
    expect(run.config?.id, `${step}: ready with its model`).toBe(run.modelId);
  if (run.ranWith)
    expect(run.ranWith.model, `${step}: the run shown is of this model`).toBe(run.modelId);
}

describe('engine lifecycle under random interleavings', () => {
  it('keeps its invariants for 300 steps and settles on the settings', async () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const lab = useLabStore.getState();
    lab.setSetting('maxTokens', 3);
    // Mostly the CPU path (fast); the GPU path (and its device losses) when the walk switches.
    lab.setSetting('engineBackend', 'cpu');
    activateEngine();
    const prompts = ['add: 1+2=', 'copy: abc', 'upper: hi', 'add: 37+45='];
    const seen = new Set<string>();
    const statuses = new Set<string>();
    let lostOnGpu = 0;
    // A shuffled plan with a fixed number of each action, so every kind is sure to happen.
    const plan: string[] = [];
    const counts: Record<string, number> = {
      'switch model': 4,
      // Each switch to the GPU is a load with its golden check on SwiftShader: the slow part.
      // Two switches: on to the GPU and back, at random points of the walk.
      'switch backend': 2,
      'lose device': 3,
      evaluate: 9,
      generate: 36,
      stop: 42,
      prompt: 30,
      knob: 100,
    };
    for (const [a, n] of Object.entries(counts)) for (let j = 0; j < n; j++) plan.push(a);
    while (plan.length < 300) plan.push('wait');
    for (let j = plan.length - 1; j > 0; j--) {
      const k = rand(j + 1);
      [plan[j], plan[k]] = [plan[k]!, plan[j]!];
    }
    for (let i = 0; i < plan.length; i++) {
      const action = plan[i]!;
      if (action === 'switch model') lab.setSetting('model', rand(2) ? 'dense' : 'mixtral-style');
      else if (action === 'switch backend')
        lab.setSetting(
          'engineBackend',
          // WebGPU by name: "best available" is the CPU path on SwiftShader (its prior).
          useLabStore.getState().settings.engineBackend === 'cpu' ? 'webgpu' : 'cpu',
        );
      else if (action === 'knob') {
        const which = rand(3);
        if (which === 0) lab.setSetting('topK', 1 + rand(3));
        else if (which === 1) lab.setSetting('ffnKeep', rand(2) ? 1 : 0.5);
        else lab.setSetting('disabledExperts', rand(2) ? '' : String(rand(8)));
      } else if (action === 'prompt') lab.setSetting('prompt', prompts[rand(prompts.length)]!);
      else if (action === 'generate') void generateNow();
      else if (action === 'stop') void cancelRun('user');
      else if (action === 'evaluate') void evaluateSkills(1);
      else if (action === 'lose device') {
        if (useRunStore.getState().backend === 'webgpu') lostOnGpu++;
        simulateDeviceLoss();
      }
      seen.add(action);
      await new Promise((res) => setTimeout(res, rand(4) === 0 ? 150 : rand(25)));
      const now = useRunStore.getState();
      invariants(now, `step ${i} (${action})`);
      statuses.add(now.status);
    }
    expect(seen.size).toBeGreaterThanOrEqual(8);
    // The walk went through every state the lifecycle has (an error only when a load failed).
    for (const s of ['loading', 'ready', 'running', 'evaluating']) expect(statuses, s).toContain(s);
    if (lostOnGpu > 0) expect(statuses).toContain('recovering');
    // Finally, a known state: the default prompt, top-2, everything on.
    lab.setSetting('model', 'mixtral-style');
    lab.setSetting('engineBackend', 'cpu');
    lab.setSetting('prompt', 'add: 37+45=');
    lab.setSetting('topK', 2);
    lab.setSetting('ffnKeep', 1);
    lab.setSetting('disabledExperts', '');
    const run = await engineSettled();
    invariants(run, 'settled');
    expect(run.status).toBe('ready');
    expect(run.error).toBeNull();
    expect(run.modelId).toBe('mixtral-style');
    expect(sameSignature(run.ranWith!, wantedSignature()!)).toBe(true);
    expect(run.outputs[0]).toBe('82');
  }, 900_000);
});
