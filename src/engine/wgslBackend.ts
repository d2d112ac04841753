// The WebGPU path with our own WGSL dense kernels (src/dense/): the whole model, dense parts and
// MoE layers, recorded into one submission per step, sampling on the GPU. The lab offers it beside
// the onnxruntime-web dense path (the design's default) as a separate, named choice — never a
// silent switch — so the Latency view can set the two side by side on the same device.
import type { DenseModelConfig } from '../dense/denseConfig';
import { generateDense } from '../dense/denseGenerate';
import { WgslDenseModel } from '../dense/WgslDenseModel';
import type { WholeStepBackend } from './backend';
import type { EnginePack } from './enginePack';
import type { GenerateHooks, GenerateResult } from './generate';
import { defaultKnobs, layersChange } from './knobs';
import { buildMoeLayers, expertMaskOf } from './moeLayers';
import type { StepTrace } from './trace';
import type { GenerationRequest, Knobs, TextCodec } from './types';

/**
 * Sequences one step holds (KV-cache slots preallocated to the full context). The lab's largest
 * batch (32 requests) fits; an evaluation of hundreds of prompts runs in batches of this many.
 */
export const WGSL_SEQUENCES = 64;
/** Rows one step takes: a prefill of more prompt rows runs in several submissions. */
export const WGSL_ROWS = 512;

export class WgslBackend implements WholeStepBackend {
  readonly kind = 'webgpu' as const;
  readonly densePath = 'wgsl' as const;
  readonly layers: number;
  private current: Knobs;

  private constructor(
    private readonly device: GPUDevice,
    private readonly pack: EnginePack,
    private readonly model: WgslDenseModel,
  ) {
    this.layers = pack.config.layers;
    this.current = defaultKnobs(pack.config);
  }

  static async create(
    device: GPUDevice,
    pack: EnginePack,
    opts: { maxSequences?: number; maxRows?: number } = {},
  ): Promise<WgslBackend> {
    const model = await WgslDenseModel.create(
      device,
      { ...pack, config: pack.config as DenseModelConfig },
      { maxSequences: opts.maxSequences ?? WGSL_SEQUENCES, maxRows: opts.maxRows ?? WGSL_ROWS },
    );
    return new WgslBackend(device, pack, model);
  }

  get knobs(): Knobs {
    return this.current;
  }

  get f16Weights(): boolean {
    return this.device.features.has('shader-f16');
  }

  async setKnobs(knobs: Knobs): Promise<void> {
    if (layersChange(this.current, knobs))
      this.model.replaceMoeLayers(
        await buildMoeLayers(this.device, this.pack, knobs, this.model.maxRows),
      );
    this.model.topK = knobs.topK;
    this.model.capacityFactor = knobs.capacityFactor ?? null;
    const mask = expertMaskOf(this.pack.config.experts, knobs);
    for (const layer of this.model.moe) layer.setExpertMask(mask);
    this.current = knobs;
  }

  /**
   * Generates as `generate` does. More prompts than the model's sequence slots (an evaluation)
   * run in consecutive batches of that many, their indices, traces and tokens numbered as one
   * request; such a run has no single batch's latency, so its metrics are null and a notice
   * says so.
   */
  async generate(
    codec: TextCodec,
    req: GenerationRequest,
    hooks: GenerateHooks,
  ): Promise<GenerateResult> {
    const S = this.model.maxSequences;
    if (req.prompts.length <= S) return generateDense(this.model, codec, req, hooks);
    const merged: GenerateResult = {
      texts: [],
      tokens: [],
      reason: 'stop',
      metrics: null,
      perToken: { dispatches: 0, ortCalls: 0, gpuShare: null },
      notices: [],
    };
    const batches = Math.ceil(req.prompts.length / S);
    let stepOffset = 0;
    let dispatchWeight = 0;
    for (let b = 0; b < batches; b++) {
      const from = b * S;
      const prompts = req.prompts.slice(from, from + S);
      const shifted: GenerateHooks = {
        ...hooks,
        onToken: hooks.onToken && ((seq, ...rest) => hooks.onToken!(from + seq, ...rest)),
        onLogits:
          hooks.onLogits &&
          ((step, seqs, logits) =>
            hooks.onLogits!(
              stepOffset + step,
              seqs.map((s) => from + s),
              logits,
            )),
        onStep:
          hooks.onStep &&
          ((t: StepTrace) =>
            hooks.onStep!({
              ...t,
              step: stepOffset + t.step,
              layers: t.layers.map((l) => ({ ...l, rowSeq: l.rowSeq.map((s) => from + s) })),
            })),
      };
      const r = await generateDense(this.model, codec, { ...req, prompts }, shifted);
      merged.texts.push(...r.texts);
      merged.tokens.push(...r.tokens);
      merged.notices.push(...r.notices.map((n) => `batch ${b + 1} of ${batches}: ${n}`));
      merged.perToken.dispatches += r.perToken.dispatches * prompts.length;
      dispatchWeight += prompts.length;
      stepOffset += Math.max(0, ...r.tokens.map((t) => t.length));
      if (r.reason === 'cancelled') {
        merged.reason = 'cancelled';
        break;
      }
      if (r.reason === 'length') merged.reason = 'length';
    }
    merged.perToken.dispatches /= Math.max(1, dispatchWeight);
    merged.notices.push(
      `${req.prompts.length} prompts ran in ${batches} batches of at most ${S} (the WGSL dense path holds ${S} sequences at once), so this run has no single batch's latency.`,
    );
    return merged;
  }

  async dispose(): Promise<void> {
    this.model.destroy();
  }
}
