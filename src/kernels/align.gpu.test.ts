// Align & sort on the GPU (Dawn + SwiftShader) against its twin: counts, padded offsets,
// num_post_pad and expert_ids exactly; sorted_ids as the same set per expert (the order inside
// an expert is free), or slot by slot with a capacity (pair order, dropped pairs identical).
// Outputs are poisoned with 0xFFFFFFFF before every run.
import { describe, expect, it } from 'vitest';
import { GpuLimitError } from '../gpu/guards';
import { AlignSort, type AlignMode } from './align';
import { permutationMismatch } from './check';
import { randomTopk, rng } from './random';
import { alignReference, expertCapacity } from './reference';
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

  // Capacity: each expert keeps its first ⌈cf·T·k/E⌉ pairs in pair order. Both paths must drop
  // exactly the twin's pairs and place the kept ones in pair order (compared slot by slot).
  const capped: (Case & { cf: number })[] = [
    { name: 'cf 1, skewed (expert 0 overflows)', T: 300, k: 2, E: 16, BM: 16, hot: 0.6, cf: 1 },
    { name: 'cf 1.25, several tiles of one workgroup', T: 700, k: 4, E: 64, BM: 32, cf: 1.25 },
    { name: 'cf 1, one expert takes every first slot', T: 257, k: 1, E: 8, BM: 16, only: 1, cf: 1 },
    {
      name: 'cf 1 with an expert map (remote pairs neither kept nor dropped)',
      T: 257,
      k: 4,
      E: 64,
      BM: 16,
      hot: 0.5,
      cf: 1,
      map: (e) => (e % 4 === 0 ? e >> 2 : -1),
    },
    { name: 'cf 4 (nothing dropped)', T: 200, k: 2, E: 8, BM: 16, cf: 4 },
    {
      name: 'cf 1, 20 480 pairs (20 workgroups on the multi path)',
      T: 5120,
      k: 4,
      E: 32,
      BM: 64,
      hot: 0.3,
      cf: 1,
    },
  ];
  for (const c of capped)
    for (const mode of ['single', 'multi'] as const)
      it(`capacity: ${c.name} [${mode}]`, async () => {
        const device = await nodeDevice();
        const ids = randomTopk(c.T, c.k, c.E, rng(c.T + c.E), { hot: c.hot, only: c.only });
        const expertMap = c.map ? Int32Array.from({ length: c.E }, (_, e) => c.map!(e)) : undefined;
        const P = ids.length;
        const align = await AlignSort.create(device, {
          E: c.E,
          blockSize: c.BM,
          maxPairs: P,
          expertMap,
          mode,
        });
        const capacity = expertCapacity(c.cf, c.T, c.k, c.E);
        const gpu = await align.run(ids, { poison: true, capacity });
        align.destroy();
        const twin = alignReference(ids, c.E, c.BM, expertMap, capacity);
        if (c.cf < 4)
          expect(twin.dropped.length).toBeGreaterThan(0); // the case does overflow
        else expect(twin.dropped.length).toBe(0);
        expect(gpu.counts).toEqual(twin.counts);
        expect(gpu.offsets).toEqual(twin.offsets);
        expect(gpu.numPostPad).toBe(twin.numPostPad);
        expect(gpu.expertIds).toEqual(twin.expertIds);
        expect(Array.from(gpu.dropped)).toEqual(Array.from(twin.dropped));
        expect(Array.from(gpu.sortedIds)).toEqual(Array.from(twin.sortedIds));
      });

  it('without a capacity nothing is reported dropped', async () => {
    const device = await nodeDevice();
    const ids = randomTopk(300, 2, 16, rng(9), { hot: 0.6 });
    const align = await AlignSort.create(device, { E: 16, blockSize: 16, maxPairs: ids.length });
    const gpu = await align.run(ids, { poison: true });
    align.destroy();
    expect(gpu.dropped.length).toBe(0);
    expect(gpu.counts.reduce((a, b) => a + b, 0)).toBe(ids.length);
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
