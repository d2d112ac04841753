// The page's side of the engine: implements the engine's interface by sending each call to the
// engine worker and settling with its reply. It holds no GPU object — the worker's engine owns
// the only device — and it is the only place that knows messages exist.
import type { BenchReport, BenchRequest } from '../bench/types';
import type { GpuProbe } from '../gpu/gpuInfo';
import type { SelfTestResult } from '../gpu/selfTest';
import type { DeviceCheckRow } from '../kernels/deviceCheck';
import type { DispatchCosts } from '../viz/dispatchFloor';
import type {
  EngineApi,
  Evaluation,
  FromWorker,
  EvaluateRequest,
  GenerationDone,
  GoldenReport,
  GoldenRequest,
  JobHooks,
  JobName,
  Jobs,
  LoadRequest,
  LoadedModel,
  ToWorker,
  VirtualRunRequest,
  VirtualRunResult,
} from './protocol';
import type { GenerationRequest, Knobs } from './types';

/** The rejection of a call that was cancelled (by its signal, or by the engine stopping). */
export class EngineCancelled extends Error {
  constructor(message = 'Cancelled.') {
    super(message);
    this.name = 'EngineCancelled';
  }
}

type Pending = JobHooks & { resolve: (reply: unknown) => void; reject: (e: Error) => void };

/** The engine's end of the line: a Worker, or an engine served in this thread (tests, Node). */
export type EnginePort = {
  postMessage(msg: ToWorker): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
};

export function engineWorker(): EnginePort {
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
}

export class EngineClient implements EngineApi {
  private readonly worker: EnginePort;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopped = false;
  /** The GPU device was lost: the engine is unusable; the owner starts a new one. */
  onDeviceLost: ((reason: string) => void) | null = null;
  onNotice: ((text: string) => void) | null = null;

  constructor(worker: EnginePort = engineWorker()) {
    this.worker = worker;
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) =>
      this.failAll(new Error(`The engine worker crashed: ${e.message || 'unknown error'}`));
  }

  private failAll(err: Error) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private receive(msg: FromWorker) {
    switch (msg.type) {
      case 'reply':
        this.pending.get(msg.id)?.resolve(msg.reply);
        this.pending.delete(msg.id);
        break;
      case 'error': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.reject(msg.cancelled ? new EngineCancelled(msg.message) : new Error(msg.message));
        break;
      }
      case 'token':
        this.pending.get(msg.id)?.onToken?.(msg.seq, msg.token, msg.text, msg.atMs);
        break;
      case 'step':
        this.pending.get(msg.id)?.onStep?.(msg.trace);
        break;
      case 'progress': {
        const { type: _t, id, ...progress } = msg;
        this.pending.get(id)?.onProgress?.(progress);
        break;
      }
      case 'notice':
        this.onNotice?.(msg.text);
        break;
      case 'deviceLost':
        this.onDeviceLost?.(msg.reason);
        break;
    }
  }

  /** Sends one job; its reply settles the promise, its streams go to `hooks`. */
  private call<K extends JobName>(
    job: K,
    req: Jobs[K]['req'],
    hooks: JobHooks = {},
  ): Promise<Jobs[K]['reply']> {
    if (this.stopped) return Promise.reject(new EngineCancelled('The engine was stopped.'));
    if (hooks.signal?.aborted) return Promise.reject(new EngineCancelled());
    const id = this.nextId++;
    return new Promise<Jobs[K]['reply']>((resolve, reject) => {
      this.pending.set(id, {
        ...hooks,
        resolve: resolve as (reply: unknown) => void,
        reject,
      });
      hooks.signal?.addEventListener('abort', () => this.send({ type: 'cancel', id }), {
        once: true,
      });
      this.send({ type: 'job', id, job, req } as ToWorker);
    });
  }

  private send(msg: ToWorker) {
    if (!this.stopped) this.worker.postMessage(msg);
  }

  gpuInfo(): Promise<GpuProbe> {
    return this.call('gpuInfo', null);
  }
  load(req: LoadRequest, hooks?: JobHooks): Promise<LoadedModel> {
    return this.call('load', req, hooks);
  }
  setKnobs(knobs: Knobs): Promise<Knobs> {
    return this.call('setKnobs', knobs);
  }
  generate(req: GenerationRequest, hooks?: JobHooks): Promise<GenerationDone> {
    return this.call('generate', req, hooks);
  }
  evaluate(req: EvaluateRequest, hooks?: JobHooks): Promise<Evaluation> {
    return this.call('evaluate', req, hooks);
  }
  checkGolden(req: GoldenRequest | null = null, hooks?: JobHooks): Promise<GoldenReport> {
    return this.call('checkGolden', req, hooks);
  }
  selfTest(): Promise<SelfTestResult> {
    return this.call('selfTest', null);
  }
  kernelCheck(): Promise<DeviceCheckRow[]> {
    return this.call('kernelCheck', null);
  }
  dispatchCosts(): Promise<DispatchCosts> {
    return this.call('dispatchCosts', null);
  }
  virtualRun(req: VirtualRunRequest, hooks?: JobHooks): Promise<VirtualRunResult> {
    return this.call('virtualRun', req, hooks);
  }
  bench(req: BenchRequest, hooks?: JobHooks): Promise<BenchReport> {
    return this.call('bench', req, hooks);
  }

  /** Diagnostics: make the engine's GPU device be lost, as a driver reset would. */
  loseDevice(): void {
    this.send({ type: 'loseDevice' });
  }

  /** Ends the worker; every call in flight rejects as cancelled. */
  terminate(): void {
    this.stopped = true;
    this.worker.terminate();
    this.failAll(new EngineCancelled('The engine was stopped.'));
  }
}
