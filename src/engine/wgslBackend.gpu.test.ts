// Our WGSL dense path as an engine backend (Dawn on SwiftShader): every knob the lab sets applies
// to it as to the CPU path (same greedy tokens), more prompts than its sequence slots run in
// batches numbered as one request (an evaluation's batch), the golden check runs through it unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDevice } from '../kernels/testing/nodeDevice';
import { validatePack, type ModelPack } from '../model/pack';
import { readPackFiles } from '../model/testing/diskPack';
import { CpuBackend } from './cpuBackend';
import { enginePackFrom, type EnginePack } from './enginePack';
import { generate } from './generate';
import { clampKnobs, defaultKnobs } from './knobs';
import { proveModel } from './loadChecks';
import type { StepTrace } from './trace';
import type { GenerationRequest, Knobs } from './types';
import { WgslBackend } from './wgslBackend';

const request = (prompts: string[], over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  prompts,
  maxTokens: 4,
  temperature: 0,
  topP: 1,
  stops: [],
  seed: 3,
  trace: false,
  ...over,
});

describe('WgslBackend (our WGSL dense path in the engine)', () => {
  let device: GPUDevice;
  let pack: ModelPack;
  let ep: EnginePack;
  let wgsl: WgslBackend;
  let cpu: CpuBackend;
  beforeAll(async () => {
    device = await nodeDevice();
    pack = await validatePack(readPackFiles('mixtral-style'));
    ep = enginePackFrom(pack);
    // Two sequence slots: an evaluation of a few skills already needs several batches.
    wgsl = await WgslBackend.create(device, ep, { maxSequences: 2, maxRows: 128 });
    cpu = await CpuBackend.create(ep);
  }, 600_000);
  afterAll(async () => {
    await wgsl?.dispose();
    await cpu?.dispose();
  });

  it('proves the model against its golden outputs, as a load does', async () => {
    await expect(proveModel(wgsl, ep, pack.golden.prompts[0])).resolves.toBeUndefined();
  }, 600_000);

  it('applies every knob as the CPU path does: the same greedy tokens', async () => {
    const prompts = Object.values(pack.evalSets)
      .slice(0, 2)
      .map((list) => list[0]!.prompt);
    const knobs: Knobs = clampKnobs(
      {
        ...defaultKnobs(pack.config),
        topK: 1,
        disabledExperts: [2],
        ffnKeep: 0.5,
        blockSize: 32,
        capacityFactor: 1,
        expertPrecision: 'int8',
      },
      pack.config.experts,
    ).knobs;
    const asTrained = await generate(cpu, ep.codec, 128, request(prompts));
    await wgsl.setKnobs(knobs);
    await cpu.setKnobs(knobs);
    expect(wgsl.knobs).toEqual(knobs);
    const got = await generate(wgsl, ep.codec, 128, request(prompts));
    const want = await generate(cpu, ep.codec, 128, request(prompts));
    expect(got.tokens).toEqual(want.tokens);
    // The knobs changed what the model computes (else this test could not tell them apart).
    expect(got.tokens).not.toEqual(asTrained.tokens);
  }, 600_000);

  it('runs more prompts than its slots in batches, numbered as one request', async () => {
    // As trained: a capacity factor counts over each MoE call's rows, and batches of two make
    // other calls than one batch of five.
    await wgsl.setKnobs(defaultKnobs(pack.config));
    await cpu.setKnobs(defaultKnobs(pack.config));
    const prompts = Object.values(pack.evalSets)
      .slice(0, 5)
      .map((list) => list[0]!.prompt);
    const seqsSeen = new Set<number>();
    const tokensSeen = new Set<number>();
    const got = await generate(wgsl, ep.codec, 128, request(prompts, { trace: true }), {
      onToken: (seq) => tokensSeen.add(seq),
      onStep: (t: StepTrace) => t.layers[0]!.rowSeq.forEach((s) => seqsSeen.add(s)),
    });
    const want = await generate(cpu, ep.codec, 128, request(prompts));
    expect(got.tokens).toEqual(want.tokens);
    expect([...seqsSeen].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...tokensSeen].sort()).toEqual([0, 1, 2, 3, 4]);
    // Three batches have no single batch's latency: no metrics, and a notice that says why.
    expect(got.metrics).toBeNull();
    expect(got.notices.join(' ')).toMatch(/5 prompts ran in 3 batches of at most 2/);
  }, 600_000);
});
