// Runs every MoE kernel on the user's own GPU against its twin on fresh random inputs (the
// Device view's kernel check; the e2e test asserts every row passes in a real browser).
import { AlignSort } from './align';
import { checkRun, permutationMismatch, type CheckRow } from './check';
import { MoeLayer, type MoeVariant } from './MoeLayer';
import { randomArray, randomTopk, randomWeights, rng } from './random';
import { alignReference, storedWeights } from './reference';
import type { MoeConfig } from './types';
import { GpuTimer } from '../gpu/GpuTimer';

export type DeviceCheckRow = CheckRow & { case: string };

const base: MoeConfig = {
  D: 32,
  I: 48,
  E: 8,
  k: 2,
  blockSize: 16,
  scoring: 'softmax',
  renormalize: true,
  sharedI: 40,
  dtype: 'f32',
};

type Case = { name: string; config: MoeConfig; T: number; variant: MoeVariant; residual?: boolean };

export async function runDeviceChecks(
  device: GPUDevice,
  seed = Date.now(),
): Promise<DeviceCheckRow[]> {
  const cases: Case[] = [
    { name: 'softmax', config: base, T: 21, variant: 'fused', residual: true },
    {
      name: 'sigmoid',
      config: { ...base, D: 24, I: 20, E: 64, k: 6, scoring: 'sigmoid', sharedI: 0 },
      T: 7,
      variant: 'fused',
    },
    { name: 'per-expert', config: base, T: 21, variant: 'perExpert' },
    { name: 'dense-masked', config: base, T: 21, variant: 'denseMasked' },
    // Quantised experts: decode path (T = 3) and tiled GEMM (T = 21), int4 with a partial block.
    { name: 'int8', config: { ...base, dtype: 'int8' }, T: 3, variant: 'fused' },
    { name: 'int4', config: { ...base, D: 36, dtype: 'int4' }, T: 21, variant: 'fused' },
  ];
  if (device.features.has('shader-f16'))
    cases.push({ name: 'f16', config: { ...base, dtype: 'f16' }, T: 9, variant: 'fused' });
  const rows: DeviceCheckRow[] = [];
  const rand = rng(seed);
  for (const c of cases) {
    const weights = randomWeights(c.config, rand);
    const x = randomArray(c.T * c.config.D, rand);
    const residual = c.residual ? randomArray(c.T * c.config.D, rand) : undefined;
    const layer = await MoeLayer.create(device, c.config, weights, {
      maxTokens: c.T,
      variant: c.variant,
    });
    const r = await layer.run({ x, T: c.T, residual, debug: true, poison: true });
    layer.destroy();
    const f16 = c.config.dtype === 'f16';
    const checked = checkRun(
      {
        config: c.config,
        weights: storedWeights(c.config, weights), // as the layer holds them (f16, int8, int4)
        x,
        T: c.T,
        k: c.config.k,
        residual,
        variant: c.variant,
        tolerance: f16 ? 1e-2 : 1e-5,
      },
      r,
    );
    // Baseline cases repeat the shared kernels; show only what differs: their layer row.
    const keep =
      c.variant === 'fused' ? checked : checked.filter((row) => row.kernel.startsWith('layer'));
    rows.push(...keep.map((row) => ({ ...row, case: c.name })));
  }
  rows.push(await alignLarge(device, rand));
  return rows;
}

/** The multi-workgroup align path, which the small layer cases never reach. */
async function alignLarge(device: GPUDevice, rand: () => number): Promise<DeviceCheckRow> {
  const [T, k, E, BM] = [4096, 8, 256, 16] as const;
  const ids = randomTopk(T, k, E, rand, { hot: 0.3 });
  const align = await AlignSort.create(device, {
    E,
    blockSize: BM,
    maxPairs: T * k,
    mode: 'multi',
  });
  const timer = new GpuTimer(device, 2);
  const gpu = await align.run(ids, { poison: true, timer: timer.enabled ? timer : undefined });
  const times = await timer.read();
  timer.destroy();
  align.destroy();
  const twin = alignReference(ids, E, BM);
  const same =
    gpu.numPostPad === twin.numPostPad &&
    gpu.offsets.every((v, i) => v === twin.offsets[i]) &&
    gpu.expertIds.every((v, i) => v === twin.expertIds[i]);
  const perm = same
    ? permutationMismatch(gpu.sortedIds, twin.sortedIds, twin.offsets)
    : 'layout differs';
  return {
    case: 'large T',
    kernel: 'align (multi-workgroup)',
    size: `pairs=${T * k} E=${E} BM=${BM}`,
    maxRelError: perm ? 1 : 0,
    pass: !perm,
    gpuMs: times?.[0]?.ms ?? null,
    detail: perm ?? undefined,
  };
}
