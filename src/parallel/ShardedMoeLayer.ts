// One MoE layer cut over P virtual GPUs and executed for real on the one device: every rank has
// its own router, expert shard, shared-expert slice and buffers; tokens travel between ranks only
// through VirtualCluster's counted copies. A forward is the real sequence of a serving system:
//   route (on the tokens' own GPUs) → read the counts back (DeepEP's "notify" step) → pack rows
//   per destination → all-to-all dispatch → grouped GEMMs of the local experts → all-to-all
//   combine → sum per token (+ shared expert + residual) → all-reduce inside a tensor-parallel
//   group → (ep) all-gather so every GPU holds every token again.
import { GpuTimer } from '../gpu/GpuTimer';
import { MoeLayer } from '../kernels/MoeLayer';
import { readBack } from '../kernels/pipelines';
import { MoeRouter } from '../kernels/router';
import type { MoeConfig, MoeWeights } from '../kernels/types';
import { VirtualCluster, type RankBuffer } from './cluster';
import type { CommLedger } from './commLedger';
import { planDispatch, type DispatchPlan } from './dispatchPlan';
import { rankWeights } from './shardWeights';
import {
  evenSplit,
  rankOf,
  resolveShardLayout,
  tokenOwnership,
  type ShardLayout,
  type ShardSpec,
} from './shardLayout';

export type ShardPhase = 'router' | 'pack' | 'experts' | 'shared' | 'sum';

export type ShardedRunInput = { x: Float32Array; T: number; k?: number; residual?: Float32Array };

export type ShardedRunResult = {
  /** [T, D]: the layer's output as the tokens' own GPUs hold it. */
  out: Float32Array;
  plan: DispatchPlan;
  /** Every cross-GPU copy of this forward. */
  ledger: CommLedger;
  /** [rank] GPU ms per phase (timestamp-query), null without it. */
  measuredMs: Record<ShardPhase, number>[] | null;
  /** [rank] token rows its expert shard computed, and (token, expert) pairs. */
  rowsPerRank: number[];
  pairsPerRank: number[];
};

type Rank = {
  rank: number;
  group: number;
  tpRank: number;
  router: MoeRouter;
  experts: MoeLayer | null;
  shared: MoeLayer | null;
  xOwn: RankBuffer;
  resOwn: RankBuffer;
  zeros: RankBuffer;
  base: RankBuffer;
  sendX: RankBuffer;
  sendW: RankBuffer;
  recvX: RankBuffer;
  recvW: RankBuffer;
  yRecv: RankBuffer;
  ret: RankBuffer;
  outPart: RankBuffer;
  scratch: RankBuffer;
  full: RankBuffer;
};

export class ShardedMoeLayer {
  private constructor(
    readonly cluster: VirtualCluster,
    readonly config: MoeConfig,
    readonly layout: ShardLayout,
    readonly maxTokens: number,
    private readonly ranks: Rank[],
  ) {}

  get ledger() {
    return this.cluster.ledger;
  }

  static async create(
    device: GPUDevice,
    config: MoeConfig,
    w: MoeWeights,
    spec: ShardSpec,
    maxTokens: number,
  ): Promise<ShardedMoeLayer> {
    if (config.dtype !== 'f32') throw new Error('virtual GPUs run f32 weights');
    const layout = resolveShardLayout(spec, config);
    const cluster = await VirtualCluster.create(device, layout.gpus);
    const { D, k } = config;
    const maxOwn = Math.ceil(maxTokens / layout.ep);
    const maxSend = maxOwn * Math.min(k, layout.ep);
    const Ephys = layout.physical.length;
    const ranks: Rank[] = [];
    for (let group = 0; group < layout.ep; group++)
      for (let tpRank = 0; tpRank < layout.tp; tpRank++) {
        const rank = rankOf(group, tpRank, layout.tp);
        const rw = rankWeights(layout, w, config, group, tpRank);
        const local = layout.physByGroup[group]!;
        const expertMap = new Int32Array(Ephys).fill(-1);
        local.forEach((p, i) => (expertMap[p] = i));
        const experts =
          local.length > 0
            ? await MoeLayer.create(
                device,
                { ...config, I: rw.I, E: Ephys, sharedI: 0 },
                { Wr: new Float32Array(0), W1: rw.W1, W3: rw.W3, W2: rw.W2 },
                { maxTokens, expertMap, externalRouting: true },
              )
            : null;
        // The shared expert is a one-expert layer: softmax over one logit is exactly 1.
        const shared = rw.shared
          ? await MoeLayer.create(
              device,
              {
                ...config,
                I: rw.shared.I,
                E: 1,
                k: 1,
                sharedI: 0,
                scoring: 'softmax',
                renormalize: true,
              },
              { Wr: new Float32Array(D), W1: rw.shared.S1, W3: rw.shared.S3, W2: rw.shared.S2 },
              { maxTokens: maxOwn },
            )
          : null;
        const router = await MoeRouter.create(device, config, w.Wr, w.routerBias, maxOwn);
        const a = (floats: number, what: string) => cluster.alloc(rank, floats, what);
        ranks.push({
          rank,
          group,
          tpRank,
          router,
          experts,
          shared,
          xOwn: a(maxOwn * D, 'x (own tokens)'),
          resOwn: a(maxOwn * D, 'residual'),
          zeros: a(maxOwn * D, 'zeros'),
          base: a(maxOwn * D, 'shared + residual'),
          sendX: a(maxSend * D, 'send rows'),
          sendW: a(maxSend * k, 'send weights'),
          recvX: a(maxTokens * D, 'received rows'),
          recvW: a(maxTokens * k, 'received weights'),
          yRecv: a(maxTokens * D, 'expert outputs'),
          ret: a(maxSend * D, 'returned outputs'),
          outPart: a(maxOwn * D, 'output'),
          scratch: a(maxOwn * D, 'all-reduce scratch'),
          full: a(layout.replicatedTokens && layout.ep > 1 ? maxTokens * D : 4, 'all tokens'),
        });
      }
    return new ShardedMoeLayer(cluster, config, layout, maxTokens, ranks);
  }

  async forward(input: ShardedRunInput): Promise<ShardedRunResult> {
    const { T } = input;
    const { D } = this.config;
    const k = input.k ?? this.config.k;
    if (!Number.isInteger(T) || T < 1 || T > this.maxTokens)
      throw new Error(`tokens must be 1…${this.maxTokens} (got ${T})`);
    if (k < 1 || k > this.config.k) throw new Error(`top-k must be 1…${this.config.k}`);
    if (input.x.length < T * D)
      throw new Error(`x holds ${input.x.length} values, T·D is ${T * D}`);
    const dev = this.cluster.device;
    const ledger = this.cluster.beginStep();
    const { ep, tp } = this.layout;
    const own = tokenOwnership(this.layout, T);
    const timers = this.ranks.map(() => new Map<ShardPhase, GpuTimer>());
    const timer = (r: Rank, phase: ShardPhase) => {
      let t = timers[r.rank]!.get(phase);
      if (!t) timers[r.rank]!.set(phase, (t = new GpuTimer(dev, 16)));
      return t.enabled ? t : undefined;
    };
    const temp: GPUBuffer[] = [];

    // 1. Each GPU routes the tokens it owns (the router is replicated, as the gate is).
    let enc = dev.createCommandEncoder({ label: 'virtual gpus: route' });
    for (const r of this.ranks) {
      const [s, e] = own[r.group]!;
      dev.queue.writeBuffer(
        r.xOwn.buffer,
        0,
        input.x.buffer,
        input.x.byteOffset + s * D * 4,
        (e - s) * D * 4,
      );
      if (input.residual && r.tpRank === 0)
        dev.queue.writeBuffer(
          r.resOwn.buffer,
          0,
          input.residual.buffer,
          input.residual.byteOffset + s * D * 4,
          (e - s) * D * 4,
        );
      r.router.prepare(e - s, k);
      const pass = enc.beginComputePass(
        timer(r, 'router')?.pass('router') ?? { label: `gpu${r.rank} router` },
      );
      r.router.encode(pass, r.xOwn.buffer, e - s);
      pass.end();
    }
    dev.queue.submit([enc.finish()]);

    // 2. The counts go to the host first (a real all-to-all exchanges its layout before the data).
    const leaders = this.ranks.filter((r) => r.tpRank === 0);
    const ids = await readBack(
      dev,
      leaders.map((r) => ({
        buffer: r.router.topkIds,
        bytes: Math.max(4, (own[r.group]![1] - own[r.group]![0]) * k * 4),
      })),
    );
    const plan = planDispatch(
      this.layout,
      T,
      k,
      ids.map((b) => new Int32Array(b)),
    );

    // 3. Pack rows per destination, then the all-to-all dispatch (rows, and their top-k weights).
    enc = dev.createCommandEncoder({ label: 'virtual gpus: dispatch' });
    const upload = (r: Rank, data: Uint32Array | Int32Array, what: string) => {
      const b = this.cluster.upload(r.rank, data, what);
      temp.push(b.buffer);
      return b;
    };
    const recvIds: RankBuffer[] = [];
    for (const r of this.ranks) {
      const g = r.group;
      const sendRows = plan.sendIdx[g]!.length;
      recvIds.push(upload(r, plan.recvIds[g]!, 'received expert ids'));
      if (sendRows === 0) continue;
      const idx = upload(r, plan.sendIdx[g]!, 'send index');
      const pass = enc.beginComputePass(
        timer(r, 'pack')?.pass('pack') ?? { label: `gpu${r.rank} pack` },
      );
      this.cluster.gatherRows(pass, r.xOwn, idx, r.sendX, sendRows, D);
      const w = {
        rank: r.rank,
        buffer: r.router.topkW,
        floats: r.router.maxTokens * this.config.k,
      };
      this.cluster.gatherRows(pass, w, idx, r.sendW, sendRows, k);
      pass.end();
    }
    for (const src of this.ranks)
      for (let q = 0; q < ep; q++) {
        const dst = this.ranks[rankOf(q, src.tpRank, tp)]!;
        const n = plan.rows[src.group]![q]!.length;
        const at = plan.sendOff[src.group]![q]!;
        const to = plan.recvOff[q]![src.group]!;
        this.cluster.copy(enc, 'dispatch', src.sendX, at * D, dst.recvX, to * D, n * D);
        this.cluster.copy(enc, 'dispatch-meta', src.sendW, at * k, dst.recvW, to * k, n * k);
        // The expert ids travel with the rows (uploaded above from the plan): count them too.
        ledger.record('dispatch-meta', src.rank, dst.rank, n * k * 4);
      }

    // 4. Each GPU's experts on the rows it received; its shared-expert slice on its own tokens.
    for (const r of this.ranks) {
      const rows = plan.recvRows[r.group]!;
      if (r.experts && rows > 0)
        r.experts.encode(
          enc,
          {
            x: r.recvX.buffer,
            out: r.yRecv.buffer,
            T: rows,
            k,
            routing: { topkIds: recvIds[r.rank]!.buffer, topkW: r.recvW.buffer },
          },
          timer(r, 'experts'),
        );
      const [s, e] = own[r.group]!;
      const residual = input.residual && r.tpRank === 0 ? r.resOwn : null;
      if (r.shared && e > s)
        r.shared.encode(
          enc,
          { x: r.xOwn.buffer, out: r.base.buffer, residual: residual?.buffer, T: e - s },
          timer(r, 'shared'),
        );
    }

    // 5. Combine: every expert output goes back to its token's GPU, which sums them.
    for (const dst of this.ranks)
      for (let s = 0; s < ep; s++) {
        const back = this.ranks[rankOf(s, dst.tpRank, tp)]!;
        const n = plan.rows[s]![dst.group]!.length;
        this.cluster.copy(
          enc,
          'combine',
          dst.yRecv,
          plan.recvOff[dst.group]![s]! * D,
          back.ret,
          plan.sendOff[s]![dst.group]! * D,
          n * D,
        );
      }
    for (const r of this.ranks) {
      const [s, e] = own[r.group]!;
      const base = r.shared ? r.base : input.residual && r.tpRank === 0 ? r.resOwn : r.zeros;
      const slot = upload(r, plan.retSlot[r.group]!, 'return slots');
      const pass = enc.beginComputePass(
        timer(r, 'sum')?.pass('sum') ?? { label: `gpu${r.rank} sum` },
      );
      this.cluster.sumReturned(pass, base, r.ret, slot, r.outPart, e - s, ep, D);
      pass.end();
    }

    // 6. Tensor-parallel partial sums → all-reduce in each group; ep → all-gather to every GPU.
    for (let g = 0; g < ep; g++) {
      const group = this.ranks.filter((r) => r.group === g);
      const n = (own[g]![1] - own[g]![0]) * D;
      this.cluster.allReduce(
        enc,
        group.map((r) => r.outPart),
        group.map((r) => r.scratch),
        n,
      );
    }
    const gathered = this.layout.replicatedTokens && ep > 1;
    if (gathered) {
      for (const r of this.ranks)
        this.cluster.copy(
          enc,
          'all-gather',
          r.outPart,
          0,
          r.full,
          own[r.group]![0] * D,
          (own[r.group]![1] - own[r.group]![0]) * D,
        );
      this.cluster.allGather(
        enc,
        this.ranks.map((r) => r.full),
        [...own.map(([s]) => s * D), T * D],
      );
    }
    for (const t of timers) for (const tm of t.values()) tm.resolve(enc);
    dev.queue.submit([enc.finish()]);

    const parts = gathered
      ? [{ buffer: this.ranks[0]!.full.buffer, bytes: T * D * 4 }]
      : leaders.map((r) => ({
          buffer: r.outPart.buffer,
          bytes: Math.max(4, (own[r.group]![1] - own[r.group]![0]) * D * 4),
        }));
    const [read, measuredMs] = await Promise.all([readBack(dev, parts), this.readTimers(timers)]);
    for (const b of temp) b.destroy();
    const out = new Float32Array(T * D);
    if (gathered) out.set(new Float32Array(read[0]!));
    else
      leaders.forEach((r, i) =>
        out.set(
          new Float32Array(read[i]!).subarray(0, (own[r.group]![1] - own[r.group]![0]) * D),
          own[r.group]![0] * D,
        ),
      );
    return {
      out,
      plan,
      ledger,
      measuredMs,
      rowsPerRank: this.ranks.map((r) => plan.recvRows[r.group]!),
      pairsPerRank: this.ranks.map((r) => plan.pairsPerGroup[r.group]!),
    };
  }

  /** [T_own, D] output of one rank after the forward (tests check every rank of a group agrees). */
  async readRank(rank: number, T: number): Promise<Float32Array> {
    const r = this.ranks[rank]!;
    const [s, e] = evenSplit(T, this.layout.ep, r.group);
    const [b] = await readBack(this.cluster.device, [
      { buffer: r.outPart.buffer, bytes: Math.max(4, (e - s) * this.config.D * 4) },
    ]);
    return new Float32Array(b!);
  }

  private async readTimers(
    timers: Map<ShardPhase, GpuTimer>[],
  ): Promise<Record<ShardPhase, number>[] | null> {
    if (!this.cluster.device.features.has('timestamp-query')) return null;
    return Promise.all(
      timers.map(async (m) => {
        const ms: Record<ShardPhase, number> = {
          router: 0,
          pack: 0,
          experts: 0,
          shared: 0,
          sum: 0,
        };
        for (const [phase, t] of m) {
          for (const { ms: v } of (await t.read()) ?? []) ms[phase] += v;
          t.destroy();
        }
        return ms;
      }),
    );
  }

  destroy(): void {
    for (const r of this.ranks) {
      r.router.destroy();
      r.experts?.destroy();
      r.shared?.destroy();
    }
    this.cluster.destroy();
  }
}
