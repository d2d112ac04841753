// The whole model on our WGSL kernels (Dawn on SwiftShader): last-position logits against the
// exporter's golden logits, the same greedy tokens as the CPU path (ORT wasm + TS MoE), batched
// decode equal to one-at-a-time, seeded temperature/top-p sampling equal to the CPU loop's, and
// one submission per decode token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpuBackend';
import { enginePackFrom, type EnginePack } from '../engine/enginePack';
import { installGpuCounters, takeGpuCounts } from '../engine/gpuCounters';
import { generate } from '../engine/generate';
import { GOLDEN_LOGITS_TOLERANCE } from '../engine/golden';
import { argmax } from '../engine/sampling';
import type { GenerationRequest } from '../engine/types';
import { maxRelError } from '../kernels/reference';
import { nodeDevice } from '../kernels/testing/nodeDevice';
import { validatePack, type ModelPack } from '../model/pack';
import { readPackFiles } from '../model/testing/diskPack';
import type { DenseModelConfig } from './denseConfig';
import { generateDense } from './denseGenerate';
import { WgslDenseModel } from './WgslDenseModel';

const request = (prompts: string[], over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  prompts,
  maxTokens: 8,
  temperature: 0,
  topP: 1,
  stops: [],
  seed: 7,
  trace: false,
  ...over,
});

/** One greedy step over a golden prompt: its last-position logits and their argmax must match. */
async function goldenStep(model: WgslDenseModel, g: ModelPack['golden']['prompts'][number]) {
  const slot = model.acquireSlot();
  const r = await model.step(
    [{ slot, ids: g.ids, start: 0 }],
    { temperature: 0, topP: 1, seed: 0, drawBase: 0 },
    { logits: true },
  );
  model.releaseSlot(slot);
  expect(maxRelError(r.logits![0]!, g.lastLogits), g.text).toBeLessThan(GOLDEN_LOGITS_TOLERANCE);
  expect(r.tokens[0]).toBe(argmax(g.lastLogits));
  return r;
}

describe.each(['mixtral-style', 'shared-expert'])('WgslDenseModel on %s', (id) => {
  let device: GPUDevice;
  let pack: ModelPack;
  let engine: EnginePack;
  let model: WgslDenseModel;
  let cpu: CpuBackend;
  beforeAll(async () => {
    device = await nodeDevice();
    pack = await validatePack(readPackFiles(id));
    engine = enginePackFrom(pack);
    model = await WgslDenseModel.create(
      device,
      { ...engine, config: pack.config as DenseModelConfig },
      { maxSequences: 4, maxRows: 128 },
    );
    cpu = await CpuBackend.create(engine);
  });
  afterAll(async () => {
    model?.destroy();
    await cpu?.dispose();
  });

  it('matches the golden last-position logits and their argmax, one submission a step', async () => {
    // The shortest and the longest golden prompt (SwiftShader is slow).
    const byLength = [...pack.golden.prompts].sort((a, b) => a.ids.length - b.ids.length);
    for (const g of [byLength[0]!, byLength.at(-1)!]) {
      const r = await goldenStep(model, g);
      expect(r.submits).toBe(1);
      expect(r.dispatches).toBe(model.dispatchesPerStep(g.ids.length));
    }
  });

  it('makes the CPU path greedy tokens, batched or alone, pipelined', async () => {
    const prompts = pack.golden.prompts.slice(0, 2).map((g) => g.text);
    const want = await generate(cpu, engine.codec, pack.config.maxContext, request(prompts));
    const batched = await generateDense(model, engine.codec, request(prompts));
    expect(batched.tokens).toEqual(want.tokens);
    expect(batched.texts).toEqual(want.texts);
    const alone = await generateDense(model, engine.codec, request([prompts[1]!]));
    expect(alone.tokens[0]).toEqual(want.tokens[1]);
    // A sequence that ends early (a stop string) while the next step is already in flight:
    // the others go on with the CPU path's tokens, the ended one keeps its text up to the stop.
    const longest = want.texts.reduce((b, t, i) => (t.length > want.texts[b]!.length ? i : b), 0);
    const stop = want.texts[longest]!.slice(1, 2);
    expect(stop).toHaveLength(1);
    const stopReq = request(prompts, { stops: [stop] });
    const wantStop = await generate(cpu, engine.codec, pack.config.maxContext, stopReq);
    const gotStop = await generateDense(model, engine.codec, stopReq);
    expect(gotStop.texts).toEqual(wantStop.texts);
    expect(gotStop.tokens).toEqual(wantStop.tokens);
    expect(gotStop.texts[longest]!.length).toBeLessThan(want.texts[longest]!.length);
    // Decode: one submission per token for all sequences (the prefill fits one step too).
    expect(batched.perStep.submits).toBe(1);
    expect(batched.metrics!.requests).toBe(prompts.length);
  });

  it('samples with temperature and top-p as the CPU loop does from the same seed', async () => {
    const prompts = pack.golden.prompts.slice(0, 2).map((g) => g.text);
    const req = request(prompts, { temperature: 0.9, topP: 0.9, seed: 1234, maxTokens: 12 });
    const want = await generate(cpu, engine.codec, pack.config.maxContext, req);
    const got = await generateDense(model, engine.codec, req);
    expect(got.tokens).toEqual(want.tokens);
  });

  it('records the MoE traces when asked, with the CPU path routing, in the step’s one submission', async () => {
    const g = pack.golden.prompts[0]!;
    installGpuCounters(device);
    takeGpuCounts();
    let steps = 0;
    const got = await generateDense(
      model,
      engine.codec,
      request([g.text], { maxTokens: 2, trace: true }),
      {
        onStep: (st) => {
          steps++;
          if (st.phase !== 'prefill') return;
          expect(st.layers).toHaveLength(pack.config.layers);
          for (const r of g.routing) {
            const t = st.layers[r.layer]!;
            expect(t.moeInput).toHaveLength(g.ids.length * pack.config.hidden);
            const k = t.k;
            for (let row = 0; row < g.ids.length; row++) {
              const gpu = Array.from(t.topkIds.subarray(row * k, row * k + k)).sort();
              expect(gpu).toEqual([...r.topkIds[row]!].sort());
            }
          }
        },
      },
    );
    expect(got.tokens[0]).toHaveLength(2);
    // Every layer's trace is copied out with the step's tokens: no read-back of its own.
    expect(steps).toBeGreaterThan(0);
    expect(takeGpuCounts().submits).toBe(steps);
  });
});

// The bias-balanced pack (a router selection bias in every layer) and the large pack (hidden 384,
// 6 layers, 16 experts): the golden logits of the shortest prompt and their argmax on WebGPU. One
// prompt: the large pack is slow on SwiftShader, and the other paths are covered above.
describe.each(['bias-balance', 'large'])('WgslDenseModel on %s: golden logits', (id) => {
  it('match the golden last-position logits of the shortest prompt', async () => {
    const device = await nodeDevice();
    const pack = await validatePack(readPackFiles(id));
    const engine = enginePackFrom(pack);
    const model = await WgslDenseModel.create(
      device,
      { ...engine, config: pack.config as DenseModelConfig },
      { maxSequences: 1, maxRows: 64 },
    );
    try {
      const g = [...pack.golden.prompts].sort((a, b) => a.ids.length - b.ids.length)[0]!;
      await goldenStep(model, g);
    } finally {
      model.destroy();
    }
  });
});
