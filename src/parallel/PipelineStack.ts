// Pipeline parallelism for real: consecutive MoE layers on consecutive virtual GPUs, the batch
// cut into micro-batches that flow stage to stage in GPipe order, activations crossing a stage
// boundary by a counted copy. Two ways to feed the layers:
//   chain     each layer's output (MoE + residual) is the next layer's input (random stacks)
//   recorded  each layer takes the input the engine recorded for it (the trained model, whose
//             attention between MoE layers runs in the engine, not on the virtual GPUs); the
//             stage boundary still sends the hidden state, as a pipeline must.
import { GpuTimer } from '../gpu/GpuTimer';
import { MoeLayer } from '../kernels/MoeLayer';
import { readBack } from '../kernels/pipelines';
import type { MoeConfig, MoeWeights } from '../kernels/types';
import { VirtualCluster, type RankBuffer } from './cluster';
import type { CommLedger } from './commLedger';
import { evenSplit, ShardError } from './shardLayout';

export type StackLayer = { config: MoeConfig; weights: MoeWeights };

export type PipelineInput =
  | { mode: 'chain'; x: Float32Array; T: number; microBatches: number; k?: number }
  | {
      mode: 'recorded';
      /** [layer] [T, D] MoE input and residual. */
      xs: Float32Array[];
      residuals: Float32Array[];
      T: number;
      microBatches: number;
      k?: number;
    };

export type PipelineResult = {
  /** chain: the last layer's output; recorded: [layer] each layer's output. */
  out: Float32Array;
  layerOut: Float32Array[];
  ledger: CommLedger;
  /** [stage][micro-batch] GPU ms (timestamp-query), null without it. */
  measuredMs: number[][] | null;
  /** [stage] the layers it holds, [start, end). */
  stages: [number, number][];
  /** [micro-batch] its rows [start, end). */
  micro: [number, number][];
};

type Stage = {
  layers: MoeLayer[];
  first: number;
  recv: RankBuffer;
  cur: RankBuffer;
  nxt: RankBuffer;
  res: RankBuffer;
};

export class PipelineStack {
  private constructor(
    readonly cluster: VirtualCluster,
    readonly D: number,
    readonly maxTokens: number,
    private readonly stages: Stage[],
    readonly stageLayers: [number, number][],
    private readonly io: {
      input: RankBuffer;
      output: RankBuffer;
      recorded: RankBuffer[][];
      layerOut: RankBuffer[];
    },
  ) {}

  static async create(
    device: GPUDevice,
    layers: StackLayer[],
    gpus: number,
    maxTokens: number,
  ): Promise<PipelineStack> {
    const L = layers.length;
    if (L < 1) throw new ShardError('A pipeline needs at least one layer.');
    if (gpus > L)
      throw new ShardError(
        `A pipeline over ${gpus} GPUs needs at least ${gpus} layers; this model has ${L}.`,
      );
    const D = layers[0]!.config.D;
    if (layers.some((l) => l.config.D !== D)) throw new Error('all layers of a stack share D');
    const cluster = await VirtualCluster.create(device, gpus);
    const stageLayers = Array.from({ length: gpus }, (_, s) => evenSplit(L, gpus, s));
    const n = maxTokens * D;
    const stages: Stage[] = [];
    for (let s = 0; s < gpus; s++) {
      const [a, b] = stageLayers[s]!;
      const built: MoeLayer[] = [];
      for (let l = a; l < b; l++)
        built.push(
          await MoeLayer.create(device, layers[l]!.config, layers[l]!.weights, { maxTokens }),
        );
      stages.push({
        layers: built,
        first: a,
        recv: cluster.alloc(s, n, 'received activations'),
        cur: cluster.alloc(s, n, 'activations'),
        nxt: cluster.alloc(s, n, 'activations (next)'),
        res: cluster.alloc(s, n, 'residual'),
      });
    }
    const io = {
      input: cluster.alloc(0, n, 'batch input'),
      output: cluster.alloc(gpus - 1, n, 'batch output'),
      // Recorded inputs live on the stage of their layer.
      recorded: layers.map((_, l) => {
        const s = stageLayers.findIndex(([a, b]) => l >= a && l < b);
        return [
          cluster.alloc(s, n, `layer ${l} input`),
          cluster.alloc(s, n, `layer ${l} residual`),
        ];
      }),
      layerOut: layers.map((_, l) =>
        cluster.alloc(
          stageLayers.findIndex(([a, b]) => l >= a && l < b),
          n,
          `layer ${l} output`,
        ),
      ),
    };
    return new PipelineStack(cluster, D, maxTokens, stages, stageLayers, io);
  }

  async forward(input: PipelineInput): Promise<PipelineResult> {
    const { T, microBatches } = input;
    const D = this.D;
    if (!Number.isInteger(T) || T < 1 || T > this.maxTokens)
      throw new Error(`tokens must be 1…${this.maxTokens} (got ${T})`);
    const m = Math.max(1, Math.min(microBatches, T));
    const dev = this.cluster.device;
    const ledger = this.cluster.beginStep();
    const S = this.stages.length;
    const micro = Array.from({ length: m }, (_, j) => evenSplit(T, m, j));
    if (input.mode === 'chain')
      dev.queue.writeBuffer(this.io.input.buffer, 0, input.x.buffer, input.x.byteOffset, T * D * 4);
    else {
      if (input.xs.length !== this.io.recorded.length)
        throw new Error(
          `recorded inputs for ${input.xs.length} layers, the stack has ${this.io.recorded.length}`,
        );
      input.xs.forEach((x, l) => {
        dev.queue.writeBuffer(
          this.io.recorded[l]![0]!.buffer,
          0,
          x.buffer,
          x.byteOffset,
          T * D * 4,
        );
        const h = input.residuals[l]!;
        dev.queue.writeBuffer(
          this.io.recorded[l]![1]!.buffer,
          0,
          h.buffer,
          h.byteOffset,
          T * D * 4,
        );
      });
    }
    const timers: GpuTimer[][] = this.stages.map(() => []);
    // GPipe: at tick τ stage s works on micro-batch τ − s. One submit per (stage, micro-batch):
    // a layer's uniforms are written when it is recorded.
    for (let tick = 0; tick < m + S - 1; tick++)
      for (let s = 0; s < S; s++) {
        const j = tick - s;
        if (j < 0 || j >= m) continue;
        const [a, b] = micro[j]!;
        const rows = b - a;
        const st = this.stages[s]!;
        const timer = new GpuTimer(dev, 16);
        timers[s]![j] = timer;
        const enc = dev.createCommandEncoder({ label: `stage ${s} micro-batch ${j}` });
        const local = (src: RankBuffer, so: number, dst: RankBuffer, dO: number) =>
          this.cluster.copy(enc, 'pp-send', src, so * D, dst, dO * D, rows * D);
        let x = st.cur;
        let y = st.nxt;
        if (input.mode === 'chain') local(s === 0 ? this.io.input : st.recv, a, x, 0);
        st.layers.forEach((layer, i) => {
          const l = st.first + i;
          if (input.mode === 'recorded') {
            local(this.io.recorded[l]![0]!, a, x, 0);
            local(this.io.recorded[l]![1]!, a, st.res, 0);
          }
          const residual = input.mode === 'recorded' ? st.res : x;
          layer.encode(
            enc,
            { x: x.buffer, out: y.buffer, residual: residual.buffer, T: rows, k: input.k },
            timer.enabled ? timer : undefined,
          );
          local(y, 0, this.io.layerOut[l]!, a);
          [x, y] = [y, x];
        });
        // Hand the hidden state to the next stage (counted), or keep the batch's output here.
        if (s < S - 1)
          this.cluster.copy(enc, 'pp-send', x, 0, this.stages[s + 1]!.recv, a * D, rows * D, s);
        else local(x, 0, this.io.output, a);
        timer.resolve(enc);
        dev.queue.submit([enc.finish()]);
      }
    const L = this.io.layerOut.length;
    const read = await readBack(dev, [
      { buffer: this.io.output.buffer, bytes: T * D * 4 },
      ...this.io.layerOut.map((b) => ({ buffer: b.buffer, bytes: T * D * 4 })),
    ]);
    let measuredMs: number[][] | null = null;
    if (dev.features.has('timestamp-query'))
      measuredMs = await Promise.all(
        timers.map((row) =>
          Promise.all(
            row.map(async (t) => ((await t.read()) ?? []).reduce((sum, p) => sum + p.ms, 0)),
          ),
        ),
      );
    for (const row of timers) for (const t of row) t.destroy();
    return {
      out: new Float32Array(read[0]!),
      layerOut: Array.from({ length: L }, (_, l) => new Float32Array(read[l + 1]!)),
      ledger,
      measuredMs,
      stages: this.stageLayers,
      micro,
    };
  }

  destroy(): void {
    for (const s of this.stages) for (const l of s.layers) l.destroy();
    this.cluster.destroy();
  }
}
