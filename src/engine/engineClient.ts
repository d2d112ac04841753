// The page's handle on the engine's Web Worker: promise-based load, streamed generation,
// cancel, and knob changes. The worker owns every GPU object; the page only gets plain data.
import type { Backend, FromWorker, GenerationRequest, Knobs, ToWorker } from './protocol';
import type { StepTrace } from './trace';

export type Loaded = Extract<FromWorker, { type: 'loaded' }>;
export type Done = Extract<FromWorker, { type: 'done' }>;
export type Evaluated = Extract<FromWorker, { type: 'evaluated' }>;
export type GoldenChecked = Extract<FromWorker, { type: 'goldenChecked' }>;

type RunHandlers = {
  onToken?: (seq: number, token: number, text: string, atMs: number) => void;
  onStep?: (trace: StepTrace) => void;
};

type Reply = Done | Evaluated | GoldenChecked;

/** A request in flight: its final reply settles it; a run also streams tokens and steps. */
type Pending = RunHandlers & { resolve: (reply: Reply) => void; reject: (e: Error) => void };

export class EngineClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private loadWaiter: { resolve: (l: Loaded) => void; reject: (e: Error) => void } | null = null;
  onProgress: ((p: Extract<FromWorker, { type: 'progress' }>) => void) | null = null;
  /** Errors that belong to no request (a knob change that failed, say). */
  onError: ((message: string) => void) | null = null;
  onKnobsApplied: ((knobs: Knobs) => void) | null = null;
  onDeviceLost: ((reason: string) => void) | null = null;
  onNotice: ((text: string) => void) | null = null;

  constructor(worker?: Worker) {
    this.worker =
      worker ?? new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) =>
      this.failAll(new Error(`The engine worker crashed: ${e.message || 'unknown error'}`));
  }

  private send(msg: ToWorker) {
    this.worker.postMessage(msg);
  }

  private failAll(err: Error) {
    this.loadWaiter?.reject(err);
    this.loadWaiter = null;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private receive(msg: FromWorker) {
    switch (msg.type) {
      case 'loaded':
        this.loadWaiter?.resolve(msg);
        this.loadWaiter = null;
        break;
      case 'progress':
        this.onProgress?.(msg);
        break;
      case 'token':
        this.pending.get(msg.id)?.onToken?.(msg.seq, msg.token, msg.text, msg.atMs);
        break;
      case 'step':
        this.pending.get(msg.id)?.onStep?.(msg.trace);
        break;
      case 'done':
      case 'evaluated':
      case 'goldenChecked':
        this.pending.get(msg.id)?.resolve(msg);
        this.pending.delete(msg.id);
        break;
      case 'notice':
        this.onNotice?.(msg.text);
        break;
      case 'deviceLost':
        this.onDeviceLost?.(msg.reason);
        break;
      case 'knobsApplied':
        this.onKnobsApplied?.(msg.knobs);
        break;
      case 'error': {
        const err = new Error(msg.message);
        if (msg.id === null) {
          if (this.loadWaiter) this.loadWaiter.reject(err);
          else this.onError?.(msg.message);
          this.loadWaiter = null;
        } else {
          this.pending.get(msg.id)?.reject(err);
          this.pending.delete(msg.id);
        }
        break;
      }
    }
  }

  load(packUrl: string, ortWasmBase: string, prefer: Backend): Promise<Loaded> {
    this.loadWaiter?.reject(new Error('A newer load replaced this one.'));
    return new Promise((resolve, reject) => {
      this.loadWaiter = { resolve, reject };
      this.send({ type: 'load', packUrl, ortWasmBase, prefer });
    });
  }

  /** Sends a request under a fresh id; the promise settles with its reply (or its error). */
  private request<T extends Reply>(
    make: (id: number) => ToWorker,
    handlers: RunHandlers = {},
  ): { id: number; done: Promise<T> } {
    const id = this.nextId++;
    const done = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { ...handlers, resolve: resolve as (r: Reply) => void, reject });
    });
    this.send(make(id));
    return { id, done };
  }

  generate(request: GenerationRequest, handlers: RunHandlers = {}) {
    return this.request<Done>((id) => ({ type: 'generate', id, request }), handlers);
  }

  evaluate(perSkill: number) {
    return this.request<Evaluated>((id) => ({ type: 'evaluate', id, perSkill }));
  }

  checkGolden(): Promise<GoldenChecked> {
    return this.request<GoldenChecked>((id) => ({ type: 'checkGolden', id })).done;
  }

  loseDevice() {
    this.send({ type: 'loseDevice' });
  }

  cancel(id: number) {
    this.send({ type: 'cancel', id });
  }

  setKnobs(knobs: Knobs) {
    this.send({ type: 'knobs', knobs });
  }

  terminate() {
    this.worker.terminate();
    this.failAll(new Error('The engine was stopped.'));
  }
}
