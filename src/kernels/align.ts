// TypeScript side of shaders/align.wgsl: owns the align buffers, picks the single-workgroup or
// the multi-workgroup path, and reads the result back as typed arrays.
import { assertAtMost, assertBindingFits, GpuLimitError } from '../gpu/guards';
import {
  getCommonPipelines,
  readBack,
  type ReadPart,
  storage,
  upload,
  writeAligned,
  type CommonPipelines,
} from './pipelines';
import type { AlignResult } from './reference';
import {
  bindGroup,
  paramsBuffer,
  shaderConst,
  writeParams,
  type BindingBuffers,
} from './shaderSpec';
import { alignShader, routerShader } from './shaderSpecs';
import type { BlockSize } from './types';

/** Experts the align and route kernels hold in workgroup memory. */
export const MAX_EXPERTS = Math.min(
  shaderConst(alignShader, 'MAX_E'),
  shaderConst(routerShader, 'MAX_E'),
);
export const MAX_PAIRS = 65536 * 16;
/** Up to this many pairs one workgroup does everything in one dispatch. */
export const SINGLE_WORKGROUP_PAIRS = 4096;
const MAX_GROUPS = 256; // the scan walks the G partial histograms serially per expert
/** `cap` meaning "no capacity" (the shader's NO_CAP) and pair_keep's "dropped" mark. */
const NO_CAP = 0xffffffff;
const DROPPED = 2;

export type AlignMode = 'auto' | 'single' | 'multi';

export type AlignOptions = {
  E: number;
  blockSize: BlockSize;
  /** Largest T·k this instance will see. */
  maxPairs: number;
  /** [E] global → local expert, −1 = not on this shard. Default: identity. */
  expertMap?: Int32Array;
  mode?: AlignMode;
  /** Column tiles of GEMM1 / GEMM2, written into the indirect dispatch arguments. */
  gemmTiles?: [number, number];
};

/** Blocks and slots align can produce for P pairs: ⌊P/BM⌋ + (non-empty experts ≤ min(E, P)). */
export function maxBlocks(P: number, E: number, BM: number): number {
  return Math.floor(P / BM) + Math.min(E, P);
}

/** Workgroups of the multi-workgroup path: chunks of ≥ 1024 pairs, at most 256 of them. */
export function alignGroups(P: number): { G: number; chunk: number } {
  const chunk = Math.max(1024, Math.ceil(P / MAX_GROUPS / 256) * 256);
  return { G: Math.max(1, Math.ceil(P / chunk)), chunk };
}

export class AlignSort {
  readonly counts: GPUBuffer;
  readonly offsets: GPUBuffer;
  /** [gemm1 indirect args ×3, gemm2 indirect args ×3, num_post_pad, num_blocks]. */
  readonly meta: GPUBuffer;
  readonly expertIds: GPUBuffer;
  readonly sortedIds: GPUBuffer;
  readonly expertMap: GPUBuffer;
  /** [P] per pair: 0 expert on another shard, 1 placed, 2 dropped over capacity (combine reads it). */
  readonly pairKeep: GPUBuffer;
  private readonly partial: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly groups = new Map<GPUBuffer, GPUBindGroup[]>();

  private constructor(
    readonly device: GPUDevice,
    private readonly pipes: CommonPipelines,
    readonly opts: Required<Omit<AlignOptions, 'expertMap'>>,
  ) {
    const { E, blockSize: BM, maxPairs } = opts;
    const blocks = maxBlocks(maxPairs, E, BM);
    assertBindingFits(device, blocks * BM * 4, 'sorted_ids');
    assertBindingFits(device, maxPairs * 4, 'topk_ids');
    this.counts = storage(device, E * 4, 'counts');
    this.offsets = storage(device, (E + 1) * 4, 'offsets');
    this.meta = storage(device, 32, 'align meta', GPUBufferUsage.INDIRECT);
    this.expertIds = storage(device, blocks * 4, 'expert_ids');
    this.sortedIds = storage(device, blocks * BM * 4, 'sorted_ids');
    // G rows of starting cursors, then one row of each expert's slot limit (capacity path).
    this.partial = storage(device, (MAX_GROUPS + 1) * E * 4, 'align partial histograms');
    this.pairKeep = storage(device, Math.max(1, maxPairs) * 4, 'pair_keep');
    this.expertMap = storage(device, E * 4, 'expert_map');
    this.params = paramsBuffer(device, alignShader, 'align params');
  }

  static async create(device: GPUDevice, o: AlignOptions, pipes?: CommonPipelines) {
    assertAtMost(o.E, MAX_EXPERTS, 'Number of experts');
    assertAtMost(o.maxPairs, MAX_PAIRS, 'Tokens × top-k');
    if (![16, 32, 64, 128].includes(o.blockSize))
      throw new GpuLimitError(`Block size ${o.blockSize} is not one of 16, 32, 64, 128.`);
    const p = pipes ?? (await getCommonPipelines(device));
    const a = new AlignSort(device, p, {
      E: o.E,
      blockSize: o.blockSize,
      maxPairs: o.maxPairs,
      mode: o.mode ?? 'auto',
      gemmTiles: o.gemmTiles ?? [1, 1],
    });
    a.setExpertMap(o.expertMap);
    return a;
  }

  setExpertMap(map?: Int32Array): void {
    const E = this.opts.E;
    const m = map ?? Int32Array.from({ length: E }, (_, e) => e);
    if (m.length !== E) throw new Error(`expert map has ${m.length} entries, not ${E}`);
    writeAligned(this.device, this.expertMap, m);
  }

  /** Pass count this call will record: 1 (single workgroup) or 3 (count, scan, place). */
  dispatches(P: number): number {
    return this.single(P) ? 1 : 3;
  }

  private single(P: number): boolean {
    const m = this.opts.mode;
    return m === 'single' || (m === 'auto' && P <= SINGLE_WORKGROUP_PAIRS);
  }

  /**
   * Writes this call's parameters; call before the pass that `encode` records into. `capacity`:
   * pairs each expert may take (first come first served in pair order), null for no limit.
   */
  prepare(P: number, capacity: number | null = null): void {
    assertAtMost(P, this.opts.maxPairs, 'Pairs (tokens × top-k) for this align instance');
    const { G, chunk } = alignGroups(P);
    const { E, blockSize, gemmTiles } = this.opts;
    writeParams(this.device, this.params, alignShader, {
      P,
      E,
      BM: blockSize,
      G,
      chunk,
      nx1: gemmTiles[0],
      nx2: gemmTiles[1],
      cap: capacity === null ? NO_CAP : Math.max(0, Math.min(capacity, NO_CAP - 1)),
    });
  }

  /** Records align & sort of the P pairs in `topkIds` into `pass`. */
  encode(pass: GPUComputePassEncoder, topkIds: GPUBuffer, P: number): number {
    let bgs = this.groups.get(topkIds);
    if (!bgs) {
      type Name = keyof typeof alignShader.bindings;
      const all: Required<BindingBuffers<typeof alignShader>> = {
        params: this.params,
        topk_ids: topkIds,
        expert_map: this.expertMap,
        counts: this.counts,
        offsets: this.offsets,
        layout_meta: this.meta,
        expert_ids: this.expertIds,
        sorted_ids: this.sortedIds,
        partial: this.partial,
        pair_keep: this.pairKeep,
      };
      // Each entry point's 'auto' layout holds only the bindings it uses.
      const pick = (p: GPUComputePipeline, names: Name[], label: string) =>
        bindGroup(
          this.device,
          p,
          alignShader,
          Object.fromEntries(names.map((n) => [n, all[n]])),
          label,
        );
      const { alignSingle, alignCount, alignScan, alignPlace } = this.pipes;
      const layout: Name[] = ['counts', 'offsets', 'layout_meta', 'expert_ids', 'sorted_ids'];
      bgs = [
        pick(
          alignSingle,
          ['params', 'topk_ids', 'expert_map', ...layout, 'pair_keep'],
          'align single',
        ),
        pick(alignCount, ['params', 'topk_ids', 'expert_map', 'partial'], 'align count'),
        pick(alignScan, ['params', 'expert_map', ...layout, 'partial'], 'align scan'),
        pick(
          alignPlace,
          ['params', 'topk_ids', 'expert_map', 'sorted_ids', 'partial', 'pair_keep'],
          'align place',
        ),
      ];
      this.groups.set(topkIds, bgs);
    }
    if (this.single(P)) {
      pass.setPipeline(this.pipes.alignSingle);
      pass.setBindGroup(0, bgs[0]!);
      pass.dispatchWorkgroups(1);
      return 1;
    }
    const { G } = alignGroups(P);
    pass.setPipeline(this.pipes.alignCount);
    pass.setBindGroup(0, bgs[1]!);
    pass.dispatchWorkgroups(G);
    pass.setPipeline(this.pipes.alignScan);
    pass.setBindGroup(0, bgs[2]!);
    pass.dispatchWorkgroups(1);
    pass.setPipeline(this.pipes.alignPlace);
    pass.setBindGroup(0, bgs[3]!);
    pass.dispatchWorkgroups(G);
    return 3;
  }

  /** Fills every output with 0xFFFFFFFF so an element the kernels fail to write shows up. */
  poison(): void {
    for (const b of [
      this.counts,
      this.offsets,
      this.meta,
      this.expertIds,
      this.sortedIds,
      this.pairKeep,
    ])
      this.device.queue.writeBuffer(b, 0, new Uint32Array(b.size / 4).fill(0xffffffff));
  }

  /** Reads back the layout for P pairs (only the first num_post_pad slots are meaningful). */
  /** The buffers of one call's grouping (P pairs), to read back. */
  traceParts(P: number): ReadPart[] {
    const { E, blockSize: BM } = this.opts;
    const nb = maxBlocks(P, E, BM);
    return [
      { buffer: this.counts, bytes: E * 4 },
      { buffer: this.offsets, bytes: (E + 1) * 4 },
      { buffer: this.meta, bytes: 32 },
      { buffer: this.expertIds, bytes: nb * 4 },
      { buffer: this.sortedIds, bytes: nb * BM * 4 },
      { buffer: this.pairKeep, bytes: Math.max(1, P) * 4 },
    ];
  }

  /** The grouping from `traceParts(P)`' bytes, in their order. */
  traceFrom(P: number, [c, o, m, ei, si, pk]: readonly ArrayBuffer[]): AlignResult {
    const BM = this.opts.blockSize;
    const nb = maxBlocks(P, this.opts.E, BM);
    const keep = new Uint32Array(pk!, 0, P);
    const dropped: number[] = [];
    for (let i = 0; i < P; i++) if (keep[i] === DROPPED) dropped.push(i);
    const meta = new Uint32Array(m!);
    const numPostPad = meta[6]!;
    // A garbage num_post_pad (unwritten meta) must fail the caller's checks, not index past the end.
    const npp = Math.min(numPostPad, nb * BM);
    return {
      counts: new Int32Array(c!),
      offsets: new Int32Array(o!),
      numPostPad,
      expertIds: new Int32Array(ei!, 0, Math.floor(npp / BM)),
      sortedIds: new Int32Array(si!, 0, npp),
      dropped: Int32Array.from(dropped),
    };
  }

  async read(P: number): Promise<AlignResult> {
    return this.traceFrom(P, await readBack(this.device, this.traceParts(P)));
  }

  /** Standalone: align the given routing on the GPU (tests, benchmarks). */
  async run(
    topkIds: Int32Array,
    opts: {
      poison?: boolean;
      timer?: import('../gpu/GpuTimer').GpuTimer;
      /** Pairs each expert may take (null: no limit). */
      capacity?: number | null;
    } = {},
  ): Promise<AlignResult & { dispatches: number }> {
    const P = topkIds.length;
    const ids = upload(this.device, topkIds, 'topk_ids (align input)');
    if (opts.poison) this.poison();
    this.prepare(P, opts.capacity ?? null);
    const encoder = this.device.createCommandEncoder({ label: 'align' });
    const pass = encoder.beginComputePass(opts.timer?.pass('align') ?? { label: 'align' });
    const dispatches = this.encode(pass, ids, P);
    pass.end();
    opts.timer?.resolve(encoder);
    this.device.queue.submit([encoder.finish()]);
    const r = await this.read(P);
    this.groups.delete(ids);
    ids.destroy();
    return { ...r, dispatches };
  }

  destroy(): void {
    for (const b of [
      this.counts,
      this.offsets,
      this.meta,
      this.expertIds,
      this.sortedIds,
      this.partial,
      this.expertMap,
      this.pairKeep,
      this.params,
    ])
      b.destroy();
  }
}
