// onnxruntime-web's WebGPU graph capture for the dense half of a decode step (issue 19). A
// captured session records its GPU commands on the first run and replays them after, skipping
// ORT's per-kernel work; it needs the same shapes and the same GPU buffers on every run. So each
// layer runs a static single-token attention graph built here from the pack's weights
// (decodeGraph.ts: the cache padded to the full context, a mask for the unwritten rows), and each
// session owns its bound input and output buffers. A sequence's KV cache lives in buffers of its
// own (SequenceKv); its layer's cache is copied into the bound buffers before the run (kilobytes
// on the GPU, one command) and the new key and value copied back after.
//
// Outputs are left to ORT: a captured graph writes the same ORT-owned buffers on every replay.
// Preallocated outputs (`fetches`) pass onnxruntime-web 1.30's run only while its heap hands the
// output handle the same address on every run (its check after a replay compares handles, and
// the handle bound at capture is already released) — another session running in between, a
// wasm one for instance, broke that here.
import { decodeAttentionGraph, decodeGraphIO, decodeStepInputs } from './decodeGraph';
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

type Bound = {
  session: ort.InferenceSession;
  /** The bound inputs: written before every run. */
  buffers: Record<string, GPUBuffer>;
  feeds: Record<string, ort.Tensor>;
};

export function decodeShapeOf(c: EngineModelConfig): DecodeGraphShape & { ropeTheta: number } {
  return {
    hidden: c.hidden,
    heads: c.heads,
    kvHeads: c.kvHeads,
    headDim: c.headDim,
    maxContext: c.maxContext,
    normEps: c.normEps,
    ropeTheta: c.ropeTheta,
  };
}

async function captured(
  device: GPUDevice,
  model: Uint8Array,
  name: string,
  inputs: Record<string, readonly number[]>,
  shared: Record<string, GPUBuffer> = {},
): Promise<Bound> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, {
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
  const buffers: Record<string, GPUBuffer> = { ...shared };
  const feeds: Record<string, ort.Tensor> = {};
  for (const [n, dims] of Object.entries(inputs)) {
    buffers[n] ??= device.createBuffer({
      size: Math.max(16, dims.reduce((a, b) => a * b, 1) * 4),
      usage: STORAGE_COPY,
      label: `${name} ${n}`,
    });
    feeds[n] = ort.Tensor.fromGpuBuffer(buffers[n] as never, { dataType: 'float32', dims });
  }
  return { session, buffers, feeds };
}

/** Runs a captured session; the outputs' GPU buffers, valid until the session's next run. */
async function replay(counters: OrtCounters, b: Bound, names: readonly string[]) {
  const out = await timedRun(counters, b.session, b.feeds);
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

/** The captured decode sessions of a pack: one attention graph per layer and the head on one row. */
export class CapturedDecode {
  private readonly shape: DecodeGraphShape & { ropeTheta: number };
  private readonly kvBytes: number;
  private readonly vocab: number;
  /** The position whose cos, sin and mask the step buffers hold (every layer reads the same). */
  private stepPosition = -1;

  private constructor(
    private readonly device: GPUDevice,
    config: EngineModelConfig,
    private readonly attn: Bound[],
    private readonly head: Bound,
    /** cos, sin and mask: one set, bound into every layer's session, written once per token. */
    private readonly step: Record<'cos' | 'sin' | 'mask', GPUBuffer>,
  ) {
    this.shape = decodeShapeOf(config);
    this.kvBytes = config.kvHeads * config.maxContext * config.headDim * 4;
    this.vocab = config.vocabSize;
  }

  static async create(
    device: GPUDevice,
    config: EngineModelConfig,
    weights: DenseWeights,
    headModel: Uint8Array,
  ): Promise<CapturedDecode> {
    const shape = decodeShapeOf(config);
    const io = decodeGraphIO(shape);
    const stepBuf = (n: 'cos' | 'sin' | 'mask') =>
      device.createBuffer({
        size: io.inputs[n].reduce((a, b) => a * b, 1) * 4,
        usage: STORAGE_COPY,
        label: `decode ${n}`,
      });
    const step = { cos: stepBuf('cos'), sin: stepBuf('sin'), mask: stepBuf('mask') };
    const attn: Bound[] = [];
    for (let l = 0; l < config.layers; l++) {
      const model = decodeAttentionGraph(weights.layers[l]!, shape);
      attn.push(await captured(device, model, `decode attention ${l}`, io.inputs, step));
    }
    const head = await captured(device, headModel, 'head (one row)', {
      hidden: [1, 1, config.hidden],
    });
    return new CapturedDecode(device, config, attn, head, step);
  }

  /**
   * One token of one sequence through `layer`'s attention: `x` holds its [1, D] row, the cache
   * positions 0..position-1. Writes h and moe_in into `h` and `moeIn` and the token's key and
   * value into the cache at `position`.
   */
  async attention(
    counters: OrtCounters,
    layer: number,
    kv: SequenceKv,
    position: number,
    x: GPUBuffer,
    h: GPUBuffer,
    moeIn: GPUBuffer,
  ): Promise<void> {
    const b = this.attn[layer]!;
    const q = this.device.queue;
    if (position !== this.stepPosition) {
      const { cos, sin, mask } = decodeStepInputs(position, this.shape);
      // Fresh arrays of this call (never shared memory): the typed overload wants ArrayBuffer.
      q.writeBuffer(this.step.cos, 0, cos as Float32Array<ArrayBuffer>);
      q.writeBuffer(this.step.sin, 0, sin as Float32Array<ArrayBuffer>);
      q.writeBuffer(this.step.mask, 0, mask as Float32Array<ArrayBuffer>);
      this.stepPosition = position;
    }
    const D4 = this.shape.hidden * 4;
    const before = this.device.createCommandEncoder({ label: `decode attention ${layer} in` });
    before.copyBufferToBuffer(x, 0, b.buffers.hidden!, 0, D4);
    before.copyBufferToBuffer(kv.key[layer]!, 0, b.buffers.key_cache!, 0, this.kvBytes);
    before.copyBufferToBuffer(kv.value[layer]!, 0, b.buffers.value_cache!, 0, this.kvBytes);
    q.submit([before.finish()]);
    const out = await replay(counters, b, ['h', 'moe_in', 'key', 'value']);
    const o = out.buffers;
    const after = this.device.createCommandEncoder({ label: `decode attention ${layer} out` });
    after.copyBufferToBuffer(o.h!, 0, h, 0, D4);
    after.copyBufferToBuffer(o.moe_in!, 0, moeIn, 0, D4);
    const { kvHeads: Hkv, headDim: hd, maxContext: L } = this.shape;
    for (let i = 0; i < Hkv; i++) {
      const at = (i * L + position) * hd * 4;
      after.copyBufferToBuffer(o.key!, i * hd * 4, kv.key[layer]!, at, hd * 4);
      after.copyBufferToBuffer(o.value!, i * hd * 4, kv.value[layer]!, at, hd * 4);
    }
    q.submit([after.finish()]);
    out.dispose();
  }

  /** The head on one row (`x`, byte offset `at`): the logits [V], read back. */
  async logits(counters: OrtCounters, x: GPUBuffer, at: number): Promise<Float32Array> {
    const enc = this.device.createCommandEncoder({ label: 'decode head in' });
    enc.copyBufferToBuffer(x, at, this.head.buffers.hidden!, 0, this.shape.hidden * 4);
    this.device.queue.submit([enc.finish()]);
    const out = await replay(counters, this.head, ['logits']);
    const [data] = await readBack(this.device, [
      { buffer: out.buffers.logits!, bytes: this.vocab * 4 },
    ]);
    out.dispose();
    return new Float32Array(data!);
  }

  async dispose(): Promise<void> {
    for (const b of [...this.attn, this.head]) {
      await b.session.release();
      for (const buf of new Set(Object.values(b.buffers))) buf.destroy();
    }
  }
}
