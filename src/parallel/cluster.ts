// Virtual GPUs on the one real device: each rank owns its buffers (labelled with its rank) and
// the data moves between ranks only through the copies and kernels here, each cross-rank copy
// written into the ledger with its bytes. Ring all-reduce and all-gather are the real ring
// algorithms, step by step, so the bytes they count are the bytes a ring sends.
import { grid, storage } from '../kernels/pipelines';
import {
  bindGroup,
  paramsBuffer,
  shaderConst,
  writeParams,
  type ParamValues,
} from '../kernels/shaderSpec';
import { collectivesShader } from '../kernels/shaderSpecs';
import { CommLedger, type CollectiveKind } from './commLedger';

type Pipes = { add: GPUComputePipeline; gather: GPUComputePipeline; sum: GPUComputePipeline };
const pipesCache = new WeakMap<GPUDevice, Promise<Pipes>>();
const WG = shaderConst(collectivesShader, 'WG'); // one element per thread
const spec = collectivesShader;

function getPipes(device: GPUDevice): Promise<Pipes> {
  let p = pipesCache.get(device);
  if (!p) {
    p = (async () => {
      device.pushErrorScope('validation');
      const module = device.createShaderModule({ label: 'collectives', code: spec.source });
      const make = (entryPoint: string) =>
        device.createComputePipeline({
          label: entryPoint,
          layout: 'auto',
          compute: { module, entryPoint },
        });
      const out = { add: make('add_into'), gather: make('gather_rows'), sum: make('sum_returned') };
      const err = await device.popErrorScope();
      if (err) throw new Error(`collective kernels failed to compile: ${err.message}`);
      return out;
    })();
    pipesCache.set(device, p);
  }
  return p;
}

/** A float buffer that belongs to one rank. */
export type RankBuffer = { rank: number; buffer: GPUBuffer; floats: number };

export class VirtualCluster {
  /** This step's traffic; `beginStep` starts a fresh one. */
  ledger = new CommLedger();
  private readonly owned: GPUBuffer[] = [];
  private readonly uniforms: GPUBuffer[] = [];

  private constructor(
    readonly device: GPUDevice,
    readonly gpus: number,
    private readonly pipes: Pipes,
  ) {}

  static async create(device: GPUDevice, gpus: number): Promise<VirtualCluster> {
    if (!Number.isInteger(gpus) || gpus < 1 || gpus > 64)
      throw new Error(`Virtual GPUs must be 1…64 (got ${gpus}).`);
    return new VirtualCluster(device, gpus, await getPipes(device));
  }

  /** A rank's own float buffer of `floats` values (at least 4). */
  alloc(rank: number, floats: number, what: string): RankBuffer {
    const buffer = storage(this.device, Math.max(4, floats) * 4, `gpu${rank} ${what}`);
    this.owned.push(buffer);
    return { rank, buffer, floats };
  }

  /** A rank's own buffer filled with u32/i32/f32 data. */
  upload(rank: number, data: Float32Array | Int32Array | Uint32Array, what: string): RankBuffer {
    const b = this.alloc(rank, data.length, what);
    if (data.length > 0)
      this.device.queue.writeBuffer(b.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return b;
  }

  /** A fresh uniform for one dispatch; fields not given are 0. */
  private params(values: Partial<ParamValues<typeof spec>>): GPUBuffer {
    const u = paramsBuffer(this.device, spec, 'collective params');
    this.uniforms.push(u);
    const zero = { n: 0, width: 0, parts: 0, src_off: 0, dst_off: 0 };
    writeParams(this.device, u, spec, { ...zero, ...values });
    return u;
  }

  /**
   * Copies `floats` values between two ranks' buffers (offsets in floats). Counted in the ledger
   * under `kind` when the ranks differ: this is the link traffic.
   */
  copy(
    enc: GPUCommandEncoder,
    kind: CollectiveKind,
    src: RankBuffer,
    srcOff: number,
    dst: RankBuffer,
    dstOff: number,
    floats: number,
    layer = 0,
  ): void {
    if (floats <= 0) return;
    if (srcOff + floats > src.floats || dstOff + floats > dst.floats)
      throw new Error(
        `copy of ${floats} floats overruns a buffer (gpu${src.rank} → gpu${dst.rank})`,
      );
    enc.copyBufferToBuffer(src.buffer, srcOff * 4, dst.buffer, dstOff * 4, floats * 4);
    this.ledger.record(kind, src.rank, dst.rank, floats * 4, layer);
  }

  /** dst[r, :] = src[idx[r], :], r < rows, on one rank. */
  gatherRows(
    pass: GPUComputePassEncoder,
    src: RankBuffer,
    idx: RankBuffer,
    dst: RankBuffer,
    rows: number,
    width: number,
  ): void {
    if (rows <= 0) return;
    if (src.rank !== dst.rank || idx.rank !== dst.rank)
      throw new Error('gatherRows is local to one GPU');
    pass.setPipeline(this.pipes.gather);
    pass.setBindGroup(
      0,
      bindGroup(
        this.device,
        this.pipes.gather,
        spec,
        {
          params: this.params({ n: rows, width }),
          g_src: src.buffer,
          g_idx: idx.buffer,
          g_dst: dst.buffer,
        },
        'gather rows',
      ),
    );
    pass.dispatchWorkgroups(...grid(Math.ceil((rows * width) / WG)));
  }

  /** out = base + Σ_p ret[slot[p, t]] per token t (slot −1: nothing from part p), on one rank. */
  sumReturned(
    pass: GPUComputePassEncoder,
    base: RankBuffer,
    ret: RankBuffer,
    slot: RankBuffer,
    out: RankBuffer,
    tokens: number,
    parts: number,
    width: number,
  ): void {
    if (tokens <= 0) return;
    pass.setPipeline(this.pipes.sum);
    pass.setBindGroup(
      0,
      bindGroup(
        this.device,
        this.pipes.sum,
        spec,
        {
          params: this.params({ n: tokens, width, parts }),
          s_base: base.buffer,
          s_ret: ret.buffer,
          s_slot: slot.buffer,
          s_out: out.buffer,
        },
        'sum returned',
      ),
    );
    pass.dispatchWorkgroups(...grid(Math.ceil((tokens * width) / WG)));
  }

  private addInto(
    enc: GPUCommandEncoder,
    src: RankBuffer,
    dst: RankBuffer,
    off: number,
    n: number,
  ): void {
    if (n <= 0) return;
    const pass = enc.beginComputePass({ label: `gpu${dst.rank} all-reduce add` });
    pass.setPipeline(this.pipes.add);
    pass.setBindGroup(
      0,
      bindGroup(
        this.device,
        this.pipes.add,
        spec,
        {
          params: this.params({ n, src_off: off, dst_off: off }),
          add_src: src.buffer,
          add_dst: dst.buffer,
        },
        'add into',
      ),
    );
    pass.dispatchWorkgroups(...grid(Math.ceil(n / WG)));
    pass.end();
  }

  /**
   * Ring all-reduce (sum) of the first `n` floats of each buffer, in place: P−1 reduce-scatter
   * steps (send a chunk to the next rank, which adds it), then P−1 all-gather steps. Each rank
   * sends 2·(P−1)/P of the data. `scratch[i]` receives on rank i; all of one group.
   */
  allReduce(
    enc: GPUCommandEncoder,
    bufs: RankBuffer[],
    scratch: RankBuffer[],
    n: number,
    layer = 0,
  ): void {
    const P = bufs.length;
    if (P <= 1) return;
    const chunk = (c: number) => {
      const i = ((c % P) + P) % P;
      const start = Math.floor((i * n) / P);
      return { start, len: Math.floor(((i + 1) * n) / P) - start };
    };
    for (let s = 0; s < P - 1; s++) {
      // Every rank sends at once: copy all, then add all (a rank's outgoing chunk is not the one it receives).
      for (let r = 0; r < P; r++) {
        const { start, len } = chunk(r - s);
        this.copy(enc, 'all-reduce', bufs[r]!, start, scratch[(r + 1) % P]!, start, len, layer);
      }
      for (let r = 0; r < P; r++) {
        const { start, len } = chunk(r - s);
        this.addInto(enc, scratch[(r + 1) % P]!, bufs[(r + 1) % P]!, start, len);
      }
    }
    for (let s = 0; s < P - 1; s++)
      for (let r = 0; r < P; r++) {
        const { start, len } = chunk(r + 1 - s);
        this.copy(enc, 'all-reduce', bufs[r]!, start, bufs[(r + 1) % P]!, start, len, layer);
      }
  }

  /**
   * Ring all-gather: rank i holds its part at [offsets[i], offsets[i+1]) of its own buffer; after
   * P−1 steps every rank holds all parts. Each rank sends (P−1) parts.
   */
  allGather(enc: GPUCommandEncoder, bufs: RankBuffer[], offsets: number[], layer = 0): void {
    const P = bufs.length;
    for (let s = 0; s < P - 1; s++)
      for (let r = 0; r < P; r++) {
        const part = (((r - s) % P) + P) % P;
        const start = offsets[part]!;
        this.copy(
          enc,
          'all-gather',
          bufs[r]!,
          start,
          bufs[(r + 1) % P]!,
          start,
          offsets[part + 1]! - start,
          layer,
        );
      }
  }

  /** A fresh ledger for a new step, and the last step's small uniform buffers freed. */
  beginStep(): CommLedger {
    for (const u of this.uniforms) u.destroy();
    this.uniforms.length = 0;
    return (this.ledger = new CommLedger());
  }

  destroy(): void {
    for (const b of [...this.owned, ...this.uniforms]) b.destroy();
    this.owned.length = 0;
    this.uniforms.length = 0;
  }
}
