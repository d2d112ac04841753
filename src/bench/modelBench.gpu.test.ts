// The whole-model benchmark's five paths run for real (our engine and reference.onnx, each on
// ORT's WebGPU EP over Dawn/SwiftShader and on wasm, and our own WGSL dense path) and must make
// the same greedy tokens; batched decode (S requests together) on our engine's wasm path and the
// WGSL path lands in one table with the WebGPU ÷ wasm lines.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDawnOrt, type DawnOrt } from '../../bench/node/dawnOrt';
import { readPack } from '../../bench/node/readPack';
import { useOrtModule } from '../engine/ortSetup';
import { sectionToMarkdown } from './markdown';
import { runModelBench } from './modelBench';
import type { EngineBatchResult, ModelPathResult } from './modelReport';

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
      {
        newTokens: 4,
        runs: 1,
        batches: [2],
        profileSteps: { plain: 2, timed: 1 },
        // Batched decode through generate() on wasm only: the ORT WebGPU path's batches (the
        // same code here; their tokens and calls are checked in src/engine/gpuBackend.gpu.test.ts)
        // would add ~40 s on SwiftShader on a busy 2-core machine, mostly their prefills.
        engineBatches: [1, 2],
        batchRuns: 1,
        engineBatchPaths: ['ours-wasm'],
      },
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
    // Batched decode across paths: wasm at 1 (its single-request runs) and 2 requests, own WGSL
    // at 2.
    const engine = (report.raw as { engineBatches: EngineBatchResult[] }).engineBatches;
    expect(engine.map((b) => [b.id, b.sequences, b.error])).toEqual([
      ['ours-wasm', 1, undefined],
      ['ours-wasm', 2, undefined],
    ]);
    for (const b of engine) {
      expect(b.outputTokensPerS).toBeGreaterThan(0);
      expect(b.ortRunsPerStep).toBeGreaterThan(0);
      expect(b.tokens).toEqual(results.at(-1)!.tokens);
    }
    const all = report.sections.find((s) => s.id === 'model-batch')!;
    console.log(sectionToMarkdown(all));
    console.log(
      `batched decode on our engine's paths took ${(engine.reduce((a, b) => a + b.measureMs!, 0) / 1000).toFixed(1)} s (${engine.map((b) => `${b.id} ${b.sequences}: ${(b.measureMs! / 1000).toFixed(1)} s`).join(', ')})`,
    );
    expect(all.rows.map((r) => [r[1], r[2], r.at(-1)])).toEqual([
      ['WebGPU', '2', 'yes'],
      ['wasm', '1', 'yes'],
      ['wasm', '2', 'yes'],
    ]);
    const lines = all.notes.join('\n');
    expect(lines).toMatch(/^1 request: WebGPU ÷ wasm output tokens\/s: no ratio \(no WebGPU path/m);
    expect(lines).toMatch(
      /^2 requests: WebGPU ÷ wasm output tokens\/s = [\d.]+× \(fastest WebGPU path: own WGSL dense, .* no target at this S/m,
    );
    expect(lines).toMatch(/ORT dense \+ TS MoE on wasm: output tokens\/s at 1 → 2 requests/);
    expect(lines).toMatch(/Throughput grows with the batch on every path measured: (yes|no)/);
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
      { newTokens: 2, runs: 1, engineBatches: [2], batchRuns: 1 },
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
    // wasm still decodes a batch; no WebGPU path, so no ratio.
    const batch = report.sections.find((s) => s.id === 'model-batch')!;
    expect(batch.rows.map((r) => [r[1], r[2], r.at(-1)])).toEqual([['wasm', '2', 'yes']]);
    expect(batch.notes.join(' ')).toContain(
      '2 requests: WebGPU ÷ wasm output tokens/s: no ratio (no WebGPU path measured at this S).',
    );
  });
});
