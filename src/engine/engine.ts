// The engine: the one owner of the GPU device. It holds the device, the loaded model (its ORT
// sessions, MoE kernels and weights) and the live knobs, and runs every job that needs them —
// generation, evaluation, the golden check, the virtual GPUs, the kernel self-test and the
// benchmarks — one at a time, in the order asked. It runs inside the engine worker; the worker
// only carries messages to and from it.
import { detectGpu } from '../gpu/detectGpu';
import type { GpuProbe, GpuStatus } from '../gpu/gpuInfo';
import { runSelfTest, type SelfTestResult } from '../gpu/selfTest';
import { runDeviceChecks, type DeviceCheckRow } from '../kernels/deviceCheck';
import { formatBytes } from '../loading/format';
import { kernelConfig } from '../model/moeReference';
import { validatePack, type ModelPack } from '../model/pack';
import { runVirtualGpus } from '../parallel/virtualRun';
import {
  randomWorkload,
  recordedWorkload,
  type RecordedPrefill,
} from '../parallel/virtualWorkload';
import type { BenchReport, BenchRequest } from '../bench/types';
import { runsWholeSteps, type AnyBackend } from './backend';
import { CpuBackend } from './cpuBackend';
import { enginePackFrom, type EnginePack } from './enginePack';
import { evaluateSkills } from './evaluate';
import { fetchPackFiles } from './fetchPack';
import { generate } from './generate';
import { checkGolden } from './golden';
import { GpuBackend } from './gpuBackend';
import { clampKnobs, defaultKnobs, precisionOf } from './knobs';
import { proveModel } from './loadChecks';
import { installPreferredOrtBuild, type OrtBuild } from './ortBuilds';
import { configureOrt } from './ortSetup';
import { WgslBackend } from './wgslBackend';
import {
  chooseBackend,
  PROBE_DECODE_STEPS,
  type BackendMeasurement,
  type PathTiming,
} from './backendChoice';
import { ProbeCancelled, timeDecode } from './backendProbe';
import { measureDispatchCosts } from './dispatchCost';
import { installGpuCounters, countingGpu, takeGpuCounts } from './gpuCounters';
import type { DispatchCosts } from '../viz/dispatchFloor';
import type {
  EvaluateRequest,
  Evaluation,
  GenerationDone,
  GoldenReport,
  GoldenRequest,
  JobHooks,
  LoadRequest,
  LoadedModel,
  VirtualRunRequest,
  VirtualRunResult,
} from './protocol';
import type { StepTrace } from './trace';
import type { DensePath, GenerationRequest, Knobs } from './types';

type Loaded = { pack: ModelPack; enginePack: EnginePack; backend: AnyBackend };

/** Job hooks as the engine sees them: a cancel flag instead of a signal. */
export type JobContext = Omit<JobHooks, 'signal'> & { signal: AbortSignal };

export class JobCancelled extends Error {
  constructor(what: string) {
    super(`${what} was cancelled.`);
    this.name = 'JobCancelled';
  }
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

const adapterLabel = (gpu: { info: { vendor: string; architecture: string } }) =>
  [gpu.info.vendor, gpu.info.architecture].filter(Boolean).join(' · ');

const densePathOf = (b: AnyBackend): DensePath | null =>
  b.kind === 'cpu' ? null : runsWholeSteps(b) ? 'wgsl' : 'ort';

const graphCaptureOf = (b: AnyBackend): boolean | null =>
  b instanceof GpuBackend ? b.graphCapture : null;

export class Engine {
  private gpu: Promise<GpuStatus> | null = null;
  private loaded: Loaded | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Counts generation runs, so a virtual-GPU result can say which run's tokens it used. */
  private runs = 0;
  private prefill: RecordedPrefill | null = null;
  private lost: string | null = null;
  /** onnxruntime-web's build, chosen at the first load or benchmark (ortBuilds.ts). */
  private ortChoice: Promise<{ build: OrtBuild; reason: string | null }> | null = null;

  constructor(
    private readonly events: {
      onDeviceLost(reason: string): void;
      onNotice(text: string): void;
    },
    private readonly gpuSource: () => GPU | undefined = () => globalThis.navigator?.gpu,
  ) {}

  /** The engine's device, asked for once; a lost device is reported and never handed out again. */
  private device(): Promise<GpuStatus> {
    this.gpu ??= detectGpu(this.gpuSource()).then((status) => {
      if (status.kind === 'webgpu') {
        installGpuCounters(status.device);
        void status.device.lost.then((info) => {
          this.lost = info.message || info.reason || 'unknown reason';
          this.events.onDeviceLost(this.lost);
        });
      }
      return status;
    });
    return this.gpu;
  }

  private async liveDevice(what: string): Promise<GPUDevice> {
    const gpu = await this.device();
    if (gpu.kind !== 'webgpu')
      throw new Error(`${what} needs WebGPU, and there is none here: ${gpu.reason}`);
    if (this.lost) throw new Error(`The GPU device was lost (${this.lost}); the engine restarts.`);
    return gpu.device;
  }

  /** Runs GPU jobs one at a time: two jobs never interleave their submissions. */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private model(): Loaded {
    if (!this.loaded) throw new Error('No model is loaded yet.');
    return this.loaded;
  }

  async gpuInfo(): Promise<GpuProbe> {
    const gpu = await this.device();
    return gpu.kind === 'webgpu'
      ? { kind: 'webgpu', info: gpu.info }
      : { kind: 'unavailable', reason: gpu.reason, detail: gpu.detail };
  }

  load(req: LoadRequest, ctx: JobContext): Promise<LoadedModel> {
    return this.serial(() => this.loadNow(req, ctx));
  }

  private async loadNow(req: LoadRequest, ctx: JobContext): Promise<LoadedModel> {
    // A load replaced by a newer one before its turn came is skipped, not run in vain.
    const stopIfCancelled = () => {
      if (ctx.signal.aborted) throw new JobCancelled('The load');
    };
    stopIfCancelled();
    const t0 = performance.now();
    const ortBuild = await this.ensureOrt(req.ortWasmBase);
    ctx.onProgress?.({ text: 'Downloading the model pack…', fraction: 0 });
    const files = await fetchPackFiles(
      req.packUrl,
      (p) => {
        const total = p.bytesTotal ?? 0;
        ctx.onProgress?.({
          text: `${p.filesDone} of ${p.filesTotal} files, ${formatBytes(p.bytesDone)}${total ? ` of ${formatBytes(total)}` : ''}`,
          fraction: total ? p.bytesDone / total : p.filesDone / Math.max(1, p.filesTotal),
          files: p.files.map((f) => ({
            name: f.name,
            status: f.status,
            bytesDone: f.bytesDone,
            bytesTotal: f.bytesTotal,
          })),
        });
      },
      (text) => this.events.onNotice(text),
    );
    stopIfCancelled();
    ctx.onProgress?.({ text: 'Checking the model pack…', fraction: 1 });
    const pack = await validatePack(files);
    stopIfCancelled();
    const enginePack = enginePackFrom(pack);
    // The previous model's sessions and buffers go before the new ones are made.
    const previous = this.loaded;
    this.loaded = null;
    this.prefill = null;
    await previous?.backend.dispose();
    let backend: AnyBackend | null = null;
    let adapter = 'CPU (WebAssembly)';
    let fallbackReason: string | null = null;
    let measurement: BackendMeasurement | null = null;
    if (req.prefer === 'auto') {
      ({ backend, adapter, measurement } = await this.measureBackends(req, pack, enginePack, ctx));
    } else if (req.prefer === 'webgpu') {
      const gpu = await this.device();
      if (gpu.kind === 'webgpu' && !this.lost) {
        ctx.onProgress?.({ text: 'Building the GPU kernels…', fraction: 1 });
        const built = await this.buildGpu(gpu, enginePack, req.densePath);
        backend = built.backend;
        fallbackReason = built.fallbackReason;
        if (backend) adapter = adapterLabel(gpu);
      } else {
        fallbackReason = gpu.kind === 'webgpu' ? `the GPU device was lost` : gpu.reason;
      }
    }
    backend ??= (await CpuBackend.create(enginePack)) as AnyBackend;
    ctx.onProgress?.({ text: 'Checking the model against its golden outputs…', fraction: 1 });
    try {
      await proveModel(backend, enginePack, pack.golden.prompts[0]);
    } catch (err) {
      await backend.dispose();
      throw err;
    }
    this.loaded = { pack, enginePack, backend };
    return {
      backend: backend.kind,
      densePath: densePathOf(backend),
      graphCapture: graphCaptureOf(backend),
      adapter,
      config: pack.config,
      loadMs: performance.now() - t0,
      knobs: backend.knobs,
      examples: Object.entries(pack.evalSets).flatMap(([skill, list]) =>
        list[0] ? [{ skill, prompt: list[0].prompt, expected: list[0].expected }] : [],
      ),
      evalSets: pack.evalSets,
      fallbackReason,
      f16Weights: backend.f16Weights,
      ortBuild,
      measurement,
    };
  }

  /** The WebGPU backend on the dense path asked for (ORT's when ours cannot run), or why none. */
  private async buildGpu(
    gpu: Extract<GpuStatus, { kind: 'webgpu' }>,
    enginePack: EnginePack,
    densePath: DensePath | undefined,
  ): Promise<{ backend: AnyBackend | null; fallbackReason: string | null }> {
    let backend: AnyBackend | null = null;
    let fallbackReason: string | null = null;
    if (densePath === 'wgsl') {
      try {
        backend = await WgslBackend.create(gpu.device, enginePack);
      } catch (err) {
        fallbackReason = `our WGSL dense path could not run this model (${message(err)}); onnxruntime-web runs the dense parts`;
      }
    }
    if (!backend)
      try {
        backend = (await GpuBackend.create(gpu.device, enginePack)) as AnyBackend;
      } catch (err) {
        // The captured decode graphs are the newer part: without them every step runs the
        // pack's own graphs, said in the status line.
        try {
          backend = (await GpuBackend.create(gpu.device, enginePack, undefined, {
            graphCapture: false,
          })) as AnyBackend;
          fallbackReason = `onnxruntime-web could not capture the decode graphs (${message(err)}); every step runs the pack's own graphs`;
        } catch {
          fallbackReason = `WebGPU could not run this model (${message(err)})`;
        }
      }
    return { backend, fallbackReason };
  }

  /**
   * "Best available": builds the CPU path and, where a device exists, the WebGPU path on the
   * dense path asked for; times each one's decode steps after a warm-up (backendProbe.ts) and
   * keeps the faster, freeing the other. A WebGPU path that fails to build or run (a lost device
   * included) is reported in the measurement and the CPU path is kept.
   */
  private async measureBackends(
    req: LoadRequest,
    pack: ModelPack,
    enginePack: EnginePack,
    ctx: JobContext,
  ): Promise<{ backend: AnyBackend; adapter: string; measurement: BackendMeasurement }> {
    const cancelled = () => ctx.signal.aborted;
    const prompt = pack.golden.prompts[0]?.text ?? 'a';
    const batch = Math.max(1, Math.floor(req.probeBatch ?? 1));
    const steps = `a warm-up, then ${PROBE_DECODE_STEPS} decode steps`;
    const densePath = req.densePath ?? 'ort';
    ctx.onProgress?.({ text: `Best available: timing wasm (${steps})…`, fraction: 1 });
    const cpu = (await CpuBackend.create(enginePack)) as AnyBackend;
    let gpuBackend: AnyBackend | null = null;
    try {
      const cpuTiming = await timeDecode(cpu, enginePack, prompt, batch, cancelled);
      const gpu = await this.device();
      let webgpu: PathTiming | null = null;
      let adapter = 'CPU (WebAssembly)';
      if (gpu.kind === 'webgpu' && !this.lost) {
        ctx.onProgress?.({ text: 'Best available: building the WebGPU path…', fraction: 1 });
        const built = await this.buildGpu(gpu, enginePack, densePath);
        gpuBackend = built.backend;
        if (!gpuBackend || (densePath === 'wgsl' && !runsWholeSteps(gpuBackend))) {
          webgpu = { error: built.fallbackReason ?? 'it could not be built' };
        } else {
          ctx.onProgress?.({ text: `Best available: timing WebGPU (${steps})…`, fraction: 1 });
          try {
            webgpu = await timeDecode(gpuBackend, enginePack, prompt, batch, cancelled);
          } catch (err) {
            if (err instanceof ProbeCancelled) throw err;
            webgpu = {
              error: this.lost ? `the GPU device was lost (${this.lost})` : message(err),
            };
          }
        }
        adapter = adapterLabel(gpu);
      }
      const measurement: BackendMeasurement = { densePath, batch, cpu: cpuTiming, webgpu };
      const { choice } = chooseBackend(measurement);
      const keep = choice === 'webgpu' && gpuBackend ? gpuBackend : cpu;
      const drop = keep === cpu ? gpuBackend : cpu;
      gpuBackend = null;
      // A backend on a lost device may fail to free itself: that must not fail the load.
      await drop?.dispose().catch(() => undefined);
      return {
        backend: keep,
        adapter: keep === cpu ? 'CPU (WebAssembly)' : adapter,
        measurement,
      };
    } catch (err) {
      await cpu.dispose();
      await gpuBackend?.dispose();
      if (err instanceof ProbeCancelled) throw new JobCancelled('The load');
      throw err;
    }
  }

  /** Applies knobs (clamped here too: the worker trusts no caller) and returns what now runs. */
  setKnobs(knobs: Knobs): Promise<Knobs> {
    return this.serial(async () => {
      const { backend, pack } = this.model();
      const { knobs: safe } = clampKnobs(knobs, pack.config.experts, {
        f16: backend.f16Weights,
      });
      await backend.setKnobs(safe);
      return backend.knobs;
    });
  }

  generate(req: GenerationRequest, ctx: JobContext): Promise<GenerationDone> {
    return this.serial(async () => {
      const { backend, enginePack, pack } = this.model();
      const run = ++this.runs;
      const counted = backend.kind === 'webgpu' && countingGpu();
      takeGpuCounts();
      const result = await generate(backend, enginePack.codec, pack.config.maxContext, req, {
        isCancelled: () => ctx.signal.aborted,
        onToken: ctx.onToken,
        onStep: (trace) => {
          // Everything submitted since the last step ended belongs to this one.
          const c = counted ? takeGpuCounts() : null;
          const withCounts = {
            ...trace,
            gpuDispatches: c?.dispatches ?? null,
            gpuSubmits: c?.submits ?? null,
          };
          ctx.onStep?.(this.keepPrefill(run, withCounts));
        },
      });
      return {
        texts: result.texts,
        reason: result.reason,
        metrics: result.metrics,
        perToken: result.perToken,
        notices: result.notices,
        knobs: backend.knobs,
      };
    });
  }

  /**
   * The prefill's layer inputs stay here for the virtual GPUs; the page gets the trace without
   * them (they are [T, D] per layer, and only the engine re-runs layers).
   */
  private keepPrefill(run: number, trace: StepTrace): StepTrace {
    const first = trace.layers[0];
    if (trace.phase === 'prefill' && first?.moeInput && first.moeResidual) {
      this.prefill = {
        run,
        T: first.T,
        k: first.k,
        rowSeq: first.rowSeq,
        xs: trace.layers.map((l) => l.moeInput!),
        residuals: trace.layers.map((l) => l.moeResidual!),
        counts: trace.layers.map((l) => l.counts),
      };
    }
    return {
      ...trace,
      layers: trace.layers.map(({ moeInput: _x, moeResidual: _r, ...rest }) => rest),
    };
  }

  evaluate(req: EvaluateRequest, ctx: JobContext): Promise<Evaluation> {
    return this.serial(async () => {
      const { backend, enginePack, pack } = this.model();
      const t0 = performance.now();
      const { scores, specialisation } = await evaluateSkills(
        backend,
        enginePack.codec,
        pack.config.maxContext,
        pack.evalSets,
        Math.max(1, Math.floor(req.perSkill)),
        () => ctx.signal.aborted,
        { specialisation: req.specialisation === true },
      );
      if (ctx.signal.aborted) throw new JobCancelled('The evaluation');
      return {
        scores,
        ms: performance.now() - t0,
        knobs: backend.knobs,
        ...(specialisation ? { specialisation } : {}),
      };
    });
  }

  /**
   * The exporter's golden outputs were made with the model as trained: check at those knobs, or
   * with only the experts' precision changed (what that precision costs against the exporter).
   */
  checkGolden(req: GoldenRequest | null = null): Promise<GoldenReport> {
    return this.serial(async () => {
      const { backend, enginePack, pack } = this.model();
      const knobs = backend.knobs;
      const { knobs: at } = clampKnobs(
        { ...defaultKnobs(pack.config), expertPrecision: req?.expertPrecision ?? 'f32' },
        pack.config.experts,
        { f16: backend.f16Weights },
      );
      await backend.setKnobs(at);
      try {
        const checks = [];
        for (const g of pack.golden.prompts)
          checks.push(await checkGolden(backend, enginePack.codec, pack.config.maxContext, g));
        return {
          checks,
          backend: backend.kind,
          densePath: densePathOf(backend),
          expertPrecision: precisionOf(at),
        };
      } finally {
        await backend.setKnobs(knobs);
      }
    });
  }

  selfTest(): Promise<SelfTestResult> {
    return this.serial(async () => runSelfTest(await this.liveDevice('The GPU self-test')));
  }

  /** What one dispatch and one submission cost on this device (the Latency view's floor). */
  dispatchCosts(): Promise<DispatchCosts> {
    return this.serial(async () => {
      const device = await this.liveDevice('The dispatch-cost probe');
      const gpu = await this.device();
      const name = gpu.kind === 'webgpu' ? adapterLabel(gpu) : 'this GPU';
      return measureDispatchCosts(device, name);
    });
  }

  kernelCheck(): Promise<DeviceCheckRow[]> {
    return this.serial(async () => runDeviceChecks(await this.liveDevice('The kernel check')));
  }

  virtualRun(req: VirtualRunRequest): Promise<VirtualRunResult> {
    return this.serial(async () => {
      const device = await this.liveDevice('The virtual GPUs');
      let built;
      let fromRun: number | null = null;
      if (req.source === 'model') {
        const { pack, enginePack } = this.model();
        if (!this.prefill)
          throw new Error('The trained model has no traced run yet: run a prompt first.');
        const c = pack.config;
        const weights = Array.from({ length: c.layers }, (_, l) => enginePack.moeWeights(l));
        built = recordedWorkload(c, kernelConfig(c), weights, this.prefill, req.layer);
        fromRun = this.prefill.run;
      } else {
        built = randomWorkload(req.random);
      }
      for (const r of built.repairs) this.events.onNotice(`Virtual GPUs: ${r}.`);
      const report = await runVirtualGpus(device, req.spec, built.input);
      return { ...report, fromRun };
    });
  }

  /** Installs onnxruntime-web's build once (JSPI where it loads, else asyncify), then its paths. */
  private async ensureOrt(base: string): Promise<{ build: OrtBuild; reason: string | null }> {
    this.ortChoice ??= installPreferredOrtBuild(base);
    const choice = await this.ortChoice;
    configureOrt(base);
    return choice;
  }

  bench(req: BenchRequest, ctx: JobContext): Promise<BenchReport> {
    return this.serial(async () => {
      await this.ensureOrt(req.ortWasmBase);
      const gpu = await this.device();
      const { runBenchmark } = await import('../bench/runBench');
      return runBenchmark(req, gpu, {
        signal: ctx.signal,
        onProgress: (p) => ctx.onProgress?.({ text: p.message, fraction: p.fraction }),
      });
    });
  }

  /** Diagnostics: destroy the device, as a driver reset would. */
  async loseDevice(): Promise<void> {
    const gpu = await this.device();
    if (gpu.kind === 'webgpu') gpu.device.destroy();
  }
}
