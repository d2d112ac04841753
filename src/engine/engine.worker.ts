/// <reference lib="webworker" />
// The engine's Web Worker: transport only. Each message names a job of the engine's interface;
// the worker hands it to the one Engine (the only owner of the GPU device) and posts back the
// reply, the job's streams (tokens, traces, progress) or its error.
import { Engine, JobCancelled, type JobContext } from './engine';
import type { FromWorker, JobMessage, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

function post(msg: FromWorker) {
  self.postMessage(msg);
}

const engine = new Engine({
  onDeviceLost: (reason) => post({ type: 'deviceLost', reason }),
  onNotice: (text) => post({ type: 'notice', text }),
});

const running = new Map<number, AbortController>();

function dispatch(msg: JobMessage, ctx: JobContext): Promise<unknown> {
  switch (msg.job) {
    case 'gpuInfo':
      return engine.gpuInfo();
    case 'load':
      return engine.load(msg.req, ctx);
    case 'setKnobs':
      return engine.setKnobs(msg.req);
    case 'generate':
      return engine.generate(msg.req, ctx);
    case 'evaluate':
      return engine.evaluate(msg.req, ctx);
    case 'checkGolden':
      return engine.checkGolden();
    case 'selfTest':
      return engine.selfTest();
    case 'kernelCheck':
      return engine.kernelCheck();
    case 'virtualRun':
      return engine.virtualRun(msg.req);
    case 'bench':
      return engine.bench(msg.req, ctx);
  }
}

function start(msg: JobMessage) {
  const { id } = msg;
  const abort = new AbortController();
  running.set(id, abort);
  const ctx: JobContext = {
    signal: abort.signal,
    onToken: (seq, token, text, atMs) => post({ type: 'token', id, seq, token, text, atMs }),
    onStep: (trace) => post({ type: 'step', id, trace }),
    onProgress: (p) => post({ type: 'progress', id, ...p }),
  };
  dispatch(msg, ctx)
    .finally(() => running.delete(id))
    .then(
      (reply) => post({ type: 'reply', id, job: msg.job, reply } as FromWorker),
      (err: unknown) =>
        post({
          type: 'error',
          id,
          message: err instanceof Error ? err.message : String(err),
          cancelled:
            abort.signal.aborted ||
            err instanceof JobCancelled ||
            (err instanceof Error && err.name === 'BenchCancelled'),
        }),
    );
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'job':
      start(msg);
      break;
    case 'cancel':
      running.get(msg.id)?.abort();
      break;
    case 'loseDevice':
      void engine.loseDevice();
      break;
  }
};
