// The whole-model benchmark's four paths run for real (our engine and reference.onnx, each on
// ORT's WebGPU EP over Dawn/SwiftShader and on wasm) and must make the same greedy tokens.
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
  it('runs ours and the reference graph on WebGPU and wasm, with the same tokens', async () => {
    const { id, pack } = await readPack(MODELS);
    const progress: number[] = [];
    const report = await runModelBench(
      { pack, packId: id, device: env.device, runtime: 'test', deviceText: 'swiftshader' },
      'quick',
      { onProgress: (p) => progress.push(p.fraction) },
      { newTokens: 4, runs: 1 },
    );
    const results = (report.raw as { results: ModelPathResult[] }).results;
    expect(results.map((r) => r.id)).toEqual([
      'ours-webgpu',
      'ref-webgpu',
      'ours-wasm',
      'ref-wasm',
    ]);
    for (const r of results) {
      expect(r.error).toBeUndefined();
      expect(r.tokens).toHaveLength(4);
      expect(r.tokens).toEqual(results[3]!.tokens);
      expect(r.ttftMs).toBeGreaterThan(0);
      expect(r.itlMs).toBeGreaterThan(0);
      // Decode time inside ORT calls is part of the ITL, never more; MoE time only on our paths.
      expect(r.ortMsPerToken).toBeGreaterThan(0);
      expect(r.ortMsPerToken!).toBeLessThanOrEqual(r.itlMs! * 1.01);
      if (r.id.startsWith('ours')) expect(r.moeMsPerToken).toBeGreaterThan(0);
      else expect(r.moeMsPerToken).toBeNull();
    }
    // Ours: embed + one attention block per layer + head; the reference: one graph per token.
    expect(results[0]!.ortRunsPerToken).toBe(pack.config.layers + 2);
    expect(results[1]!.ortRunsPerToken).toBe(1);
    expect(results[0]!.dispatchesPerToken).toBeGreaterThan(pack.config.layers);
    expect(results[2]!.dispatchesPerToken).toBeNull();
    expect(progress.at(-1)).toBe(1);
    const table = report.sections[0]!;
    expect(table.rows.map((r) => r.at(-1))).toEqual(['yes', 'yes', 'yes', 'is the reference']);
    expect(report.sections[1]!.rows).toHaveLength(2);
  });

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
      },
      'quick',
      {},
      { newTokens: 2, runs: 1 },
    );
    const results = (report.raw as { results: ModelPathResult[] }).results;
    expect(results[0]!.error).toBe('no adapter');
    expect(results[3]!.tokens).toHaveLength(2);
    expect(report.sections[0]!.notes.join(' ')).toMatch(/not measured \(no adapter\)/);
  });
});
