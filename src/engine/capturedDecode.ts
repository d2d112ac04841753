// onnxruntime-web's WebGPU graph capture for the dense half of a decode step (issue 19). A
// captured session records its GPU commands on the first run and replays them after, skipping
// ORT's per-kernel work; it needs the same shapes and the same GPU buffers on every run. So each
// layer runs a static attention graph built here from the pack's weights (decodeGraph.ts: one new
// token for each of B sequences, the cache padded to the full context, a mask for the unwritten
// rows), bound to fixed input buffers. B is fixed per graph, so the sessions come in batch buckets
// (1, 2, 4, … 64): a decode step of S sequences makes ONE call per layer, in the smallest bucket
// that holds S (built the first time a batch needs it), and one call for the head. A sequence's
// KV cache lives in buffers of its own (SequenceKv); before a layer's call its cache is copied
// into its row of the bound cache (kilobytes on the GPU) and the new key and value copied back
// after.
//
// Outputs are left to ORT: a captured graph writes the same ORT-owned buffers on every replay.
// Preallocated outputs (`fetches`) pass onnxruntime-web 1.30's run only while its heap hands the
// output handle the same address on every run (its check after a replay compares handles, and
// the handle bound at capture is already released) — another session running in between, a
// wasm one for instance, broke that here.
import {
  DECODE_BUCKETS,
  decodeAttentionGraph,
  decodeBucket,
  decodeGraphIO,
  decodeShapeOf,
  writeDecodeStepRows,
} from './decodeGraph';
import type { DecodeGraphShape } from './decodeGraph';
import type { EngineModelConfig } from './enginePack';
import { type OrtCounters, timedRun } from './ortCall';
import { ort } from './ortSetup';
import { readBack } from '../kernels/pipelines';
import type { DenseWeights } from '../model/onnxWeights';

const STORAGE_COPY = 0x80 | 0x04 | 0x08; // STORAGE | COPY_SRC | COPY_DST

/** One sequence's KV cache on the GPU: per layer a key and a value buffer [Hkv, L, hd] (f32). */
export type SequenceKv = { key: GPUBuffer[]; value: GPUBuffer[] };

/** A sequence's KV cache, preallocated to the model's context (zeros: finite, as the mask needs). */
export function newSequenceKv(device: GPUDevice, c: EngineModelConfig): SequenceKv {
  const bytes = c.kvHeads * c.maxContext * c.headDim * 4;
  const make = (what: string, l: number) =>
    device.createBuffer({ size: bytes, usage: STORAGE_COPY, label: `${what} ${l}` });
  return {
    key: Array.from({ length: c.layers }, (_, l) => make('key cache', l)),
    value: Array.from({ length: c.layers }, (_, l) => make('value cache', l)),
  };
}

type InputName = 'hidden' | 'key_cache' | 'value_cache' | 'cos' | 'sin' | 'mask';

/** A batch bucket: its bound inputs (shared by its layers and head) and its sessions, built lazily. */
type Bucket = {
  B: number;
  inputs: Record<InputName, GPUBuffer>;
  attn: ort.InferenceSession[] | null;
  head: ort.InferenceSession | null;
  feeds: Record<string, ort.Tensor>;
  /** The positions whose cos, sin and mask the bound inputs hold (every layer reads the same). */
  positions: string;
};

async function capturedSession(
  device: GPUDevice,
  model: Uint8Array,
  name: string,
): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(model, {
      executionProviders: [
        { name: 'webgpu', device } as ort.InferenceSession.ExecutionProviderConfig,
      ],
      enableGraphCapture: true,
      preferredOutputLocation: 'gpu-buffer',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
  } catch (err) {
    throw new Error(
      `${name}: onnxruntime-web could not capture it (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

/** Runs a captured session; the outputs' GPU buffers, valid until the session's next run. */
async function replay(
  counters: OrtCounters,
  session: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
  names: readonly string[],
) {
  const out = await timedRun(counters, session, feeds);
  const buffers: Record<string, GPUBuffer> = {};
  for (const n of names) {
    const t = out[n];
    if (!t || t.location !== 'gpu-buffer')
      throw new Error(`captured session: output ${n} is not on the GPU`);
    buffers[n] = t.gpuBuffer as GPUBuffer;
  }
  // The OrtValues only: the buffers belong to the captured graph and live as long as it does.
  const dispose = () => Object.values(out).forEach((t) => t.dispose());
  return { buffers, dispose };
}

/** One sequence's row of a decode step: its KV cache and the position of its new token. */
export type DecodeRow = { kv: SequenceKv; position: number };

/** The captured decode sessions of a pack: per batch bucket, an attention graph per layer and the head. */
export class CapturedDecode {
  private readonly shape: DecodeGraphShape & { ropeTheta: number };
  private readonly kvBytes: number;
  private readonly rowBytes: number;
  private readonly vocab: number;
  private readonly buckets = new Map<number, Bucket>();

  private constructor(
    private readonly device: GPUDevice,
    config: EngineModelConfig,
    private readonly weights: DenseWeights,
    private readonly headModel: Uint8Array,
  ) {
    this.shape = decodeShapeOf(config);
    this.kvBytes = config.kvHeads * config.maxContext * config.headDim * 4;
    this.rowBytes = config.hidden * 4;
    this.vocab = config.vocabSize;
  }

  /** Builds and captures the one-sequence bucket (a failure here is the caller's fallback). */
  static async create(
    device: GPUDevice,
    config: EngineModelConfig,
    weights: DenseWeights,
    headModel: Uint8Array,
  ): Promise<CapturedDecode> {
    const c = new CapturedDecode(device, config, weights, headModel);
    try {
      await c.attentionOf(c.bucket(1));
      await c.headOf(c.bucket(1));
    } catch (err) {
      await c.dispose();
      throw err;
    }
    return c;
  }

  private bucket(B: number): Bucket {
    let b = this.buckets.get(B);
    if (b) return b;
    const io = decodeGraphIO(this.shape, B);
    const inputs = {} as Record<InputName, GPUBuffer>;
    const feeds: Record<string, ort.Tensor> = {};
    for (const [n, dims] of Object.entries(io.inputs) as [InputName, readonly number[]][]) {
      inputs[n] = this.device.createBuffer({
        size: Math.max(16, dims.reduce((a, c) => a * c, 1) * 4),
        usage: STORAGE_COPY,
        label: `decode ${n} (batch ${B})`,
      });
      feeds[n] = ort.Tensor.fromGpuBuffer(inputs[n] as never, { dataType: 'float32', dims });
    }
    b = { B, inputs, attn: null, head: null, feeds, positions: '' };
    this.buckets.set(B, b);
    return b;
  }

  private async attentionOf(b: Bucket): Promise<ort.InferenceSession[]> {
    if (b.attn) return b.attn;
    const sessions: ort.InferenceSession[] = [];
    try {
      for (let l = 0; l < this.weights.layers.length; l++) {
        const model = decodeAttentionGraph(this.weights.layers[l]!, this.shape, b.B);
        sessions.push(
          await capturedSession(this.device, model, `decode attention ${l} (batch ${b.B})`),
        );
      }
    } catch (err) {
      for (const s of sessions) await s.release();
      throw err;
    }
    return (b.attn = sessions);
  }

  private async headOf(b: Bucket): Promise<ort.InferenceSession> {
    b.head ??= await capturedSession(this.device, this.headModel, `head (batch ${b.B})`);
    return b.head;
  }

  /**
   * One new token of each of `rows`' sequences through `layer`'s attention: `x` holds their
   * [S, D] rows, each cache positions 0..position-1. Writes h and moe_in ([S, D]) into `h` and
   * `moeIn`, and each token's key and value into its cache at its position. One ORT call per
   * bucket's worth of sequences.
   */
  async attention(
    counters: OrtCounters,
    layer: number,
    rows: readonly DecodeRow[],
    x: GPUBuffer,
    h: GPUBuffer,
    moeIn: GPUBuffer,
  ): Promise<void> {
    const most = DECODE_BUCKETS[DECODE_BUCKETS.length - 1]!;
    for (let s0 = 0; s0 < rows.length; s0 += most) {
      const part = rows.slice(s0, s0 + most);
      await this.attentionCall(counters, layer, part, x, h, moeIn, s0 * this.rowBytes);
    }
  }

  private async attentionCall(
    counters: OrtCounters,
    layer: number,
    rows: readonly DecodeRow[],
    x: GPUBuffer,
    h: GPUBuffer,
    moeIn: GPUBuffer,
    at: number,
  ): Promise<void> {
    const S = rows.length;
    const b = this.bucket(decodeBucket(S));
    const sessions = await this.attentionOf(b);
    this.writeStepInputs(b, rows);
    const q = this.device.queue;
    const bytes = S * this.rowBytes;
    const before = this.device.createCommandEncoder({ label: `decode attention ${layer} in` });
    before.copyBufferToBuffer(x, at, b.inputs.hidden, 0, bytes);
    rows.forEach(({ kv }, i) => {
      before.copyBufferToBuffer(
        kv.key[layer]!,
        0,
        b.inputs.key_cache,
        i * this.kvBytes,
        this.kvBytes,
      );
      before.copyBufferToBuffer(
        kv.value[layer]!,
        0,
        b.inputs.value_cache,
        i * this.kvBytes,
        this.kvBytes,
      );
    });
    q.submit([before.finish()]);
    const out = await replay(counters, sessions[layer]!, b.feeds, ['h', 'moe_in', 'key', 'value']);
    const o = out.buffers;
    const after = this.device.createCommandEncoder({ label: `decode attention ${layer} out` });
    after.copyBufferToBuffer(o.h!, 0, h, at, bytes);
    after.copyBufferToBuffer(o.moe_in!, 0, moeIn, at, bytes);
    const { kvHeads: Hkv, headDim: hd, maxContext: L } = this.shape;
    rows.forEach(({ kv, position }, i) => {
      for (let j = 0; j < Hkv; j++) {
        const from = (i * Hkv + j) * hd * 4;
        const to = (j * L + position) * hd * 4;
        after.copyBufferToBuffer(o.key!, from, kv.key[layer]!, to, hd * 4);
        after.copyBufferToBuffer(o.value!, from, kv.value[layer]!, to, hd * 4);
      }
    });
    q.submit([after.finish()]);
    out.dispose();
  }

  /** RoPE's cos / sin and the mask of each row's position, written once per step (not per layer). */
  private writeStepInputs(b: Bucket, rows: readonly DecodeRow[]): void {
    const key = rows.map((r) => r.position).join(',');
    if (key === b.positions) return;
    const { headDim: hd, maxContext: L } = this.shape;
    const S = rows.length;
    const step = {
      cos: new Float32Array(S * hd),
      sin: new Float32Array(S * hd),
      mask: new Float32Array(S * L),
    };
    writeDecodeStepRows(
      rows.map((r) => r.position),
      this.shape,
      step,
    );
    // The bucket's spare rows keep what they held: finite values whose outputs nobody reads.
    const q = this.device.queue;
    q.writeBuffer(b.inputs.cos, 0, step.cos);
    q.writeBuffer(b.inputs.sin, 0, step.sin);
    q.writeBuffer(b.inputs.mask, 0, step.mask);
    b.positions = key;
  }

  /** The head on each sequence's row (a buffer and a byte offset): each one's logits [V]. */
  async logits(
    counters: OrtCounters,
    rows: readonly { buffer: GPUBuffer; at: number }[],
  ): Promise<Float32Array[]> {
    const most = DECODE_BUCKETS[DECODE_BUCKETS.length - 1]!;
    const out: Float32Array[] = [];
    for (let s0 = 0; s0 < rows.length; s0 += most)
      out.push(...(await this.logitsCall(counters, rows.slice(s0, s0 + most))));
    return out;
  }

  private async logitsCall(
    counters: OrtCounters,
    rows: readonly { buffer: GPUBuffer; at: number }[],
  ): Promise<Float32Array[]> {
    const S = rows.length;
    const b = this.bucket(decodeBucket(S));
    const head = await this.headOf(b);
    const enc = this.device.createCommandEncoder({ label: 'decode head in' });
    rows.forEach(({ buffer, at }, i) =>
      enc.copyBufferToBuffer(buffer, at, b.inputs.hidden, i * this.rowBytes, this.rowBytes),
    );
    this.device.queue.submit([enc.finish()]);
    const out = await replay(counters, head, { hidden: b.feeds.hidden! }, ['logits']);
    const V = this.vocab;
    const [data] = await readBack(this.device, [{ buffer: out.buffers.logits!, bytes: S * V * 4 }]);
    out.dispose();
    const all = new Float32Array(data!);
    return Array.from({ length: S }, (_, i) => all.slice(i * V, (i + 1) * V));
  }

  async dispose(): Promise<void> {
    for (const b of this.buckets.values()) {
      for (const s of [...(b.attn ?? []), ...(b.head ? [b.head] : [])]) await s.release();
      for (const buf of Object.values(b.inputs)) buf.destroy();
    }
    this.buckets.clear();
  }
}
