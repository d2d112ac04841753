// Align & sort on the GPU (Dawn + SwiftShader) against its twin: counts, padded offsets,
// num_post_pad and expert_ids exactly; sorted_ids as the same set per expert (the order inside
// an expert is free). Outputs are poisoned with 0xFFFFFFFF before every run.
import { describe, expect, it } from 'vitest';
import { GpuLimitError } from '../gpu/guards';
import { AlignSort, type AlignMode } from './align';
import { permutationMismatch } from './check';
import { randomTopk, rng } from './random';
import { alignReference } from './reference';
import { nodeDevice } from './testing/nodeDevice';
import type { BlockSize } from './types';

type Case = {
  name: string;
  T: number;
  k: number;
  E: number;
  BM: BlockSize;
  hot?: number;
  only?: number;
  map?: (e: number) => number;
};

async function check(c: Case, mode: AlignMode, seed: number) {
  const device = await nodeDevice();
  const ids = randomTopk(c.T, c.k, c.E, rng(seed), { hot: c.hot, only: c.only });
  const expertMap = c.map ? Int32Array.from({ length: c.E }, (_, e) => c.map!(e)) : undefined;
  const align = await AlignSort.create(device, {
    E: c.E,
    blockSize: c.BM,
    maxPairs: ids.length,
    expertMap,
    mode,
  });
  const gpu = await align.run(ids, { poison: true });
  align.destroy();
  const twin = alignReference(ids, c.E, c.BM, expertMap);
  expect(gpu.dispatches).toBe(mode === 'single' ? 1 : 3);
  expect(gpu.numPostPad).toBe(twin.numPostPad);
  expect(gpu.counts).toEqual(twin.counts);
  expect(gpu.offsets).toEqual(twin.offsets);
  expect(gpu.expertIds).toEqual(twin.expertIds);
  expect(permutationMismatch(gpu.sortedIds, twin.sortedIds, twin.offsets)).toBeNull();
  return { gpu, twin };
}

const cases: Case[] = [
  { name: 'T=1, k=1', T: 1, k: 1, E: 8, BM: 16 },
  { name: 'T=1, k=16, E=512 (chunked scan)', T: 1, k: 16, E: 512, BM: 128 },
  { name: 'E=256 k=8', T: 300, k: 8, E: 256, BM: 16 },
  { name: 'T·k not a multiple of BM', T: 37, k: 3, E: 12, BM: 32 },
  { name: 'one expert receives every token', T: 500, k: 1, E: 64, BM: 64, only: 1 },
  { name: 'most experts receive none', T: 200, k: 2, E: 128, BM: 16, only: 5 },
  { name: 'skewed: 90% of first slots on expert 0', T: 700, k: 4, E: 300, BM: 32, hot: 0.9 },
  {
    name: 'expert map (EP, 3 of 4 experts remote)',
    T: 257,
    k: 4,
    E: 64,
    BM: 16,
    map: (e) => (e % 4 === 1 ? e >> 2 : -1),
  },
];

describe('align & sort vs twin', () => {
  for (const c of cases)
    for (const mode of ['single', 'multi'] as const)
      it(`${c.name} [${mode}]`, async () => {
        await check(c, mode, c.T * 31 + c.E);
      });

  it('spreads large T over many workgroups: T=65536, k=16, E=512, BM=16 (1M pairs)', async () => {
    const { twin } = await check({ name: 'max', T: 65536, k: 16, E: 512, BM: 16 }, 'multi', 7);
    expect(twin.numPostPad).toBeGreaterThanOrEqual(65536 * 16);
  });

  it('T=65536, k=8, E=256, BM=128, skewed [auto picks multi]', async () => {
    const device = await nodeDevice();
    const ids = randomTopk(65536, 8, 256, rng(3), { hot: 0.5 });
    const align = await AlignSort.create(device, { E: 256, blockSize: 128, maxPairs: ids.length });
    const gpu = await align.run(ids, { poison: true });
    align.destroy();
    const twin = alignReference(ids, 256, 128);
    expect(gpu.dispatches).toBe(3);
    expect(gpu.offsets).toEqual(twin.offsets);
    expect(gpu.expertIds).toEqual(twin.expertIds);
    expect(permutationMismatch(gpu.sortedIds, twin.sortedIds, twin.offsets)).toBeNull();
  });

  it('refuses sizes it was not written for, before touching the GPU', async () => {
    const device = await nodeDevice();
    await expect(AlignSort.create(device, { E: 513, blockSize: 16, maxPairs: 8 })).rejects.toThrow(
      GpuLimitError,
    );
    await expect(
      AlignSort.create(device, { E: 8, blockSize: 16, maxPairs: 65536 * 16 + 1 }),
    ).rejects.toThrow(/at most 1048576/);
    await expect(
      AlignSort.create(device, { E: 8, blockSize: 24 as BlockSize, maxPairs: 8 }),
    ).rejects.toThrow(/Block size 24/);
  });
});
