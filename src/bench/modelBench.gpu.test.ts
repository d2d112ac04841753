// The whole-model benchmark's five paths run for real (our engine and reference.onnx, each on
// ORT's WebGPU EP over Dawn/SwiftShader and on wasm, and our own WGSL dense path) and must make
// the same greedy tokens.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDawnOrt, type DawnOrt } from '../../bench/node/dawnOrt';
import { readPack } from '../../bench/node/readPack';
import { useOrtModule } from '../engine/ortSetup';
import { runModelBench } from './modelBench';
import type { ModelPathResult } from './modelReport';

const ORT_DIR = fileURLToPath(new URL('../../node_modules/onnxruntime-web/dist/', import.meta.url));
const MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));

let env: DawnOrt;
beforeAll(async () => {
  env = await openDawnOrt(ORT_DIR);
  useOrtModule(env.ort);
});
afterAll(() => env?.device.destroy());

describe('whole-model benchmark', () => {
  it('runs ours, own WGSL dense and the reference graph, with the same tokens', async () => {
    const { id, pack } = await readPack(MODELS);
    const progress: number[] = [];
    const report = await runModelBench(
      { pack, packId: id, device: env.device, runtime: 'test', deviceText: 'swiftshader' },
      'quick',
      { onProgress: (p) => progress.push(p.fraction) },
      { newTokens: 4, runs: 1, batches: [2], profileSteps: { plain: 2, timed: 1 } },
    );
    const results = (report.raw as { results: ModelPathResult[] }).results;
    expect(results.map((r) => r.id)).toEqual([
      'ours-webgpu',
      'ours-webgpu-uncaptured',
      'wgsl-webgpu',
      'ref-webgpu',
      'ours-wasm',
      'ref-wasm',
    ]);
    for (const r of results) {
      expect(r.error).toBeUndefined();
      expect(r.tokens).toHaveLength(4);
      expect(r.tokens).toEqual(results.at(-1)!.tokens);
      expect(r.ttftMs).toBeGreaterThan(0);
      expect(r.itlMs).toBeGreaterThan(0);
      if (r.id === 'wgsl-webgpu') {
        // No ORT at all; each token (the prefill's too) is one submission.
        expect(r.ortRunsPerToken).toBe(0);
        expect(r.ortMsPerToken).toBe(0);
        expect(r.moeMsPerToken).toBeNull();
        expect(r.submitsPerToken).toBe(1);
        continue;
      }
      // Decode time inside ORT calls is part of the ITL, never more; MoE time only on our paths.
      expect(r.ortMsPerToken).toBeGreaterThan(0);
      expect(r.ortMsPerToken!).toBeLessThanOrEqual(r.itlMs! * 1.01);
      if (r.id.startsWith('ours')) expect(r.moeMsPerToken).toBeGreaterThan(0);
      else expect(r.moeMsPerToken).toBeNull();
    }
    // Ours, per token: captured, one attention graph per layer + the head (the embedding is a
    // copy; the prompt runs the pack's attention graphs and the captured head); without capture,
    // embed + attention per layer + head. The reference: one graph per token.
    const L = pack.config.layers;
    expect(results[0]!.ortRunsPerToken).toBe(L + 1);
    expect(results[1]!.ortRunsPerToken).toBe(L + 2);
    expect(results[3]!.ortRunsPerToken).toBe(1);
    expect(results[0]!.dispatchesPerToken).toBeGreaterThan(L);
    expect(results[0]!.submitsPerToken).toBeGreaterThan(1);
    expect(results[2]!.dispatchesPerToken).toBeGreaterThan(L);
    expect(results[4]!.dispatchesPerToken).toBeNull();
    expect(results[4]!.submitsPerToken).toBeNull();
    // Per call, the captured sessions' notes compare both.
    expect(report.sections[0]!.notes.join(' ')).toMatch(/captured static graphs [\d.]+ ms/);
    expect(progress.at(-1)).toBe(1);
    const table = report.sections[0]!;
    expect(table.rows.map((r) => r.at(-1))).toEqual([
      'yes',
      'yes',
      'yes',
      'yes',
      'yes',
      'is the reference',
    ]);
    expect(report.sections[1]!.rows).toHaveLength(2);
    expect(report.sections[2]!.rows).toHaveLength(1);
    // Two copies of the prompt decoded together make the single run's tokens.
    const batch = report.sections[3]!.rows;
    expect(batch).toHaveLength(1);
    expect([batch[0]![0], batch[0]![4], batch[0]![5]]).toEqual(['2', '1.00', 'yes']);
    // The step's profile: dispatches, CPU record + submit and the wait for the ids.
    expect(Number(batch[0]![6])).toBeGreaterThan(6 * pack.config.layers);
    expect(Number(batch[0]![7])).toBeGreaterThan(0);
    expect(Number(batch[0]![8])).toBeGreaterThan(0);
  }, 600_000);

  it('says why the WebGPU paths are missing when there is no device, and still runs wasm', async () => {
    const { id, pack } = await readPack(MODELS);
    const report = await runModelBench(
      {
        pack,
        packId: id,
        device: null,
        noGpuReason: 'no adapter',
        runtime: 'test',
        deviceText: '-',
        // Where another ORT build can be loaded (the browser), its row is there too.
        withOrtBuild: (_build, fn) => fn(),
      },
      'quick',
      {},
      { newTokens: 2, runs: 1 },
    );
    const results = (report.raw as { results: ModelPathResult[] }).results;
    expect(results.map((r) => r.id)).toEqual([
      'ours-webgpu',
      'ours-webgpu-uncaptured',
      'ours-webgpu-jspi',
      'wgsl-webgpu',
      'ref-webgpu',
      'ours-wasm',
      'ref-wasm',
    ]);
    expect(results[0]!.error).toBe('no adapter');
    expect(results[1]!.error).toBe('no adapter');
    expect(results[2]!.error).toBe('no adapter');
    expect(results[2]!.backend).toBe('WebGPU, ORT JSPI build');
    expect(results.at(-1)!.tokens).toHaveLength(2);
    expect(report.sections[0]!.notes.join(' ')).toMatch(/not measured \(no adapter\)/);
  });
});
