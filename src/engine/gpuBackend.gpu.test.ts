// The WebGPU backend over Dawn: a batch with more rows than one MoE kernel call takes runs in
// several calls and still gives exactly the CPU path's tokens and routing; a knob (top-k)
// applies on both paths alike; a capacity factor drops the same pairs on both; quantised expert
// weights (the precision knob) give the same tokens on both and really change the layer; decode
// tokens replay captured ORT sessions and give the same tokens and logits as without capture.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDawnOrt, type DawnOrt } from '../../bench/node/dawnOrt';
import { readPack } from '../../bench/node/readPack';
import { readBack } from '../kernels/pipelines';
import { maxRelError } from '../kernels/reference';
import type { ModelBackend } from './backend';
import { CpuBackend } from './cpuBackend';
import { enginePackFrom } from './enginePack';
import { generate } from './generate';
import { GpuBackend } from './gpuBackend';
import { clampKnobs, defaultKnobs } from './knobs';
import { useOrtModule } from './ortSetup';
import type { StepTrace } from './trace';
import type { GenerationRequest, Knobs } from './types';

const ORT_DIR = fileURLToPath(new URL('../../node_modules/onnxruntime-web/dist/', import.meta.url));
const MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));

let env: DawnOrt;
beforeAll(async () => {
  env = await openDawnOrt(ORT_DIR);
  useOrtModule(env.ort);
});
afterAll(() => env?.device.destroy());

async function runOn(
  backend: ModelBackend<unknown>,
  codec: Parameters<typeof generate>[1],
  req: GenerationRequest,
) {
  let prefill: StepTrace | null = null;
  const r = await generate(backend, codec, 128, req, {
    onStep: (t) => {
      if (t.phase === 'prefill') prefill = t;
    },
  });
  return { tokens: r.tokens, prefill: prefill as StepTrace | null };
}

describe('GPU backend, batches beyond one kernel call', () => {
  // One backend of each kind for every test (a WebGPU backend's ORT sessions and kernels take
  // long to build on SwiftShader): 16 rows per MoE call on both, and each test starts from the
  // model as trained.
  let pack: Awaited<ReturnType<typeof readPack>>['pack'];
  let ep: ReturnType<typeof enginePackFrom>;
  let gpuB: GpuBackend;
  let gpu: ModelBackend<unknown>;
  let cpu: ModelBackend<unknown>;
  beforeAll(async () => {
    ({ pack } = await readPack(MODELS));
    ep = enginePackFrom(pack);
    gpuB = await GpuBackend.create(env.device, ep, 16);
    gpu = gpuB as ModelBackend<unknown>;
    cpu = (await CpuBackend.create(ep, 16)) as ModelBackend<unknown>;
  });
  afterAll(async () => {
    await gpu?.dispose();
    await cpu?.dispose();
  });
  beforeEach(async () => {
    await gpu.setKnobs(defaultKnobs(pack.config));
    await cpu.setKnobs(defaultKnobs(pack.config));
  });

  it('matches the CPU path token for token, with the whole batch in each trace', async () => {
    // 16 rows per call: two prompts' prefill needs several calls per layer.
    const prompts = Object.values(pack.evalSets)
      .slice(0, 2)
      .map((list) => list[0]!.prompt);
    const req: GenerationRequest = {
      prompts,
      maxTokens: 2,
      temperature: 0,
      topP: 1,
      stops: [],
      seed: 0,
      trace: true,
    };
    for (const change of [null, { topK: 3 }]) {
      if (change) {
        const knobs = clampKnobs(
          { ...defaultKnobs(pack.config), ...change },
          pack.config.experts,
        ).knobs;
        await gpu.setKnobs(knobs);
        await cpu.setKnobs(knobs);
      }
      const g = await runOn(gpu, ep.codec, req);
      const c = await runOn(cpu, ep.codec, req);
      expect(g.tokens).toEqual(c.tokens);
      const gl = g.prefill!.layers[0]!;
      const cl = c.prefill!.layers[0]!;
      expect(gl.T).toBeGreaterThan(16);
      expect(gl.calls).toBeGreaterThan(1);
      expect(gl.T).toBe(cl.T);
      expect(gl.k).toBe(change ? 3 : pack.config.topK);
      expect(gl.blockSize).toBe(16);
      expect(Array.from(gl.counts)).toEqual(Array.from(cl.counts));
      expect(Array.from(gl.offsets)).toEqual(Array.from(cl.offsets));
      // The prefill's inputs are recorded (for the virtual GPUs); decode steps do not pay for it.
      expect(gl.moeInput?.length).toBe(gl.T * pack.config.hidden);
    }
  }, 600_000);

  it('graph capture: a decode step replays captured sessions (one ORT call a layer for the whole batch + the head), same tokens and logits as without', async () => {
    expect(gpuB.graphCapture).toBe(true);
    const plain = await GpuBackend.create(env.device, ep, 16, { graphCapture: false });
    try {
      expect(plain.graphCapture).toBe(false);
      const prompts = Object.values(pack.evalSets)
        .slice(0, 2)
        .map((list) => list[0]!.prompt);
      // One sequence, and three: one call per layer for all three, in the graph built for four
      // (a spare row that must not leak into the others).
      const three = [...prompts, Object.values(pack.evalSets)[2]![0]!.prompt];
      for (const batch of [prompts.slice(0, 1), three]) {
        const req: GenerationRequest = {
          prompts: batch,
          maxTokens: 4,
          temperature: 0,
          topP: 1,
          stops: [],
          seed: 0,
          trace: false,
        };
        const run = async (b: ModelBackend<unknown>) => {
          const logits: Float32Array[] = [];
          // Per step: the sequences it ran (a finished one drops out) and its ORT calls.
          const active: number[] = [];
          const steps: { phase: string; calls: number }[] = [];
          const r = await generate(b, ep.codec, 128, req, {
            onLogits: (_step, seqs, l) => {
              active.push(seqs.length);
              logits.push(...l.map((x) => x.slice()));
            },
            onStep: (t) => steps.push({ phase: t.phase, calls: t.ortCalls }),
          });
          expect(steps).toHaveLength(active.length);
          return {
            tokens: r.tokens,
            logits,
            steps: steps.map((st, i) => ({ ...st, S: active[i]! })),
          };
        };
        const cap = await run(gpu);
        const unc = await run(plain as ModelBackend<unknown>);
        const c = await run(cpu);
        expect(cap.tokens).toEqual(c.tokens);
        expect(unc.tokens).toEqual(c.tokens);
        expect(cap.logits.length).toBe(c.logits.length);
        cap.logits.forEach((l, i) => {
          expect(maxRelError(l, c.logits[i]!)).toBeLessThan(1e-3);
          expect(maxRelError(l, unc.logits[i]!)).toBeLessThan(1e-3);
        });
        // Decode steps: one captured attention call a layer for the whole batch (the embedding is
        // a copy) and one captured head call, however many sequences.
        const L = pack.config.layers;
        const decode = (x: typeof cap) => x.steps.filter((st) => st.phase === 'decode');
        expect(decode(cap).length).toBeGreaterThan(0);
        expect(Math.max(...decode(cap).map((st) => st.S))).toBe(batch.length);
        for (const { calls } of decode(cap)) expect(calls).toBe(L + 1);
        // Without capture: per sequence the embed graph and every layer's graph; one head call.
        for (const { S, calls } of decode(unc)) expect(calls).toBe(S * (1 + L) + 1);
      }
    } finally {
      await plain.dispose();
    }
  }, 900_000);

  it('capacity factor 1: both paths drop the same pairs, per call of 16 rows, and agree', async () => {
    const prompts = Object.values(pack.evalSets)
      .slice(0, 3)
      .map((list) => list[0]!.prompt);
    const req: GenerationRequest = {
      prompts,
      maxTokens: 3,
      temperature: 0,
      topP: 1,
      stops: [],
      seed: 0,
      trace: true,
    };
    const knobs = clampKnobs(
      { ...defaultKnobs(pack.config), capacityFactor: 1 },
      pack.config.experts,
    ).knobs;
    await gpu.setKnobs(knobs);
    await cpu.setKnobs(knobs);
    const g = await runOn(gpu, ep.codec, req);
    const c = await runOn(cpu, ep.codec, req);
    expect(g.tokens).toEqual(c.tokens);
    let droppedPairs = 0;
    for (let l = 0; l < pack.config.layers; l++) {
      const gl = g.prefill!.layers[l]!;
      const cl = c.prefill!.layers[l]!;
      expect(gl.calls).toBeGreaterThan(1);
      expect(cl.calls).toBe(gl.calls);
      expect(gl.capacity).toBe(Math.ceil((16 * gl.k) / pack.config.experts));
      expect(Array.from(gl.dropped!)).toEqual(Array.from(cl.dropped!));
      expect(Array.from(gl.counts)).toEqual(Array.from(cl.counts));
      expect(Array.from(gl.sortedIds)).toEqual(Array.from(cl.sortedIds));
      droppedPairs += gl.dropped!.length;
    }
    // The knob really bites on this batch: some pairs went over capacity.
    expect(droppedPairs).toBeGreaterThan(0);
  }, 600_000);

  it('expert precision: int8 gives the CPU path’s tokens; int4 moves the layer off f32, alike on both', async () => {
    const prompt = Object.values(pack.evalSets)[0]![0]!.prompt;
    const set = async (expertPrecision: Knobs['expertPrecision']) => {
      const knobs = clampKnobs(
        { ...defaultKnobs(pack.config), expertPrecision },
        pack.config.experts,
      ).knobs;
      expect(knobs.expertPrecision).toBe(expertPrecision);
      await gpu.setKnobs(knobs);
      await cpu.setKnobs(knobs);
    };
    // Layer 0's output on the prompt's embeddings (residual = the input), on each path.
    const ids = ep.codec.encode(prompt);
    const T = ids.length;
    const bytes = T * pack.config.hidden * 4;
    const gpuLayer = async () => {
      const x = await gpuB.embed(ids);
      const r = await gpuB.moe(0, x, x, T, 'none');
      const [out] = await readBack(env.device, [{ buffer: r.out.buffer, bytes }]);
      r.out.dispose();
      x.dispose();
      return new Float32Array(out!);
    };
    const cpuLayer = async () => {
      const x = (await cpu.embed(ids)) as Float32Array;
      return (await cpu.moe(0, x, x, T, 'none')).out as Float32Array;
    };
    const f32 = await gpuLayer();

    await set('int8');
    const req: GenerationRequest = {
      prompts: [prompt],
      maxTokens: 3,
      temperature: 0,
      topP: 1,
      stops: [],
      seed: 0,
      trace: false,
    };
    const g = await runOn(gpu, ep.codec, req);
    const c = await runOn(cpu, ep.codec, req);
    expect(g.tokens).toEqual(c.tokens);

    await set('int4');
    const int4 = await gpuLayer();
    // Both paths compute the same int4 layer (the twin on the dequantised weights)…
    expect(maxRelError(int4, await cpuLayer())).toBeLessThan(1e-4);
    // …and it is not the f32 layer: int4 weights move the output by far more than rounding.
    expect(maxRelError(int4, f32)).toBeGreaterThan(1e-3);

    await set('f32');
    expect(maxRelError(await gpuLayer(), f32)).toBe(0);
  }, 600_000);
});
