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

type Waiter<T> = { resolve: (value: T) => void; reject: (e: Error) => void };

type Pending = RunHandlers & { resolve: (d: Done) => void; reject: (e: Error) => void };

export class EngineClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly runs = new Map<number, Pending>();
  private loadWaiter: { resolve: (l: Loaded) => void; reject: (e: Error) => void } | null = null;
  private readonly evals = new Map<number, Waiter<Evaluated>>();
  private readonly goldens = new Map<number, Waiter<GoldenChecked>>();
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
    for (const run of [...this.runs.values(), ...this.evals.values(), ...this.goldens.values()])
      run.reject(err);
    this.runs.clear();
    this.evals.clear();
    this.goldens.clear();
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
        this.runs.get(msg.id)?.onToken?.(msg.seq, msg.token, msg.text, msg.atMs);
        break;
      case 'step':
        this.runs.get(msg.id)?.onStep?.(msg.trace);
        break;
      case 'done':
        this.runs.get(msg.id)?.resolve(msg);
        this.runs.delete(msg.id);
        break;
      case 'evaluated':
        this.evals.get(msg.id)?.resolve(msg);
        this.evals.delete(msg.id);
        break;
      case 'goldenChecked':
        this.goldens.get(msg.id)?.resolve(msg);
        this.goldens.delete(msg.id);
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
          (this.runs.get(msg.id) ?? this.evals.get(msg.id) ?? this.goldens.get(msg.id))?.reject(
            err,
          );
          this.runs.delete(msg.id);
          this.evals.delete(msg.id);
          this.goldens.delete(msg.id);
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

  generate(
    request: GenerationRequest,
    handlers: RunHandlers = {},
  ): { id: number; done: Promise<Done> } {
    const id = this.nextId++;
    const done = new Promise<Done>((resolve, reject) => {
      this.runs.set(id, { ...handlers, resolve, reject });
    });
    this.send({ type: 'generate', id, request });
    return { id, done };
  }

  evaluate(perSkill: number): { id: number; done: Promise<Evaluated> } {
    const id = this.nextId++;
    const done = new Promise<Evaluated>((resolve, reject) =>
      this.evals.set(id, { resolve, reject }),
    );
    this.send({ type: 'evaluate', id, perSkill });
    return { id, done };
  }

  checkGolden(): Promise<GoldenChecked> {
    const id = this.nextId++;
    const done = new Promise<GoldenChecked>((resolve, reject) =>
      this.goldens.set(id, { resolve, reject }),
    );
    this.send({ type: 'checkGolden', id });
    return done;
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
