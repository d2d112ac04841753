// The engine worker's transport, apart from the worker global so it can also serve an engine in
// the same thread (tests, Node): each job message is handed to the Engine, and its reply, streams
// or error are posted back under the job's id.
import { Engine, JobCancelled, type JobContext } from './engine';
import type { FromWorker, JobMessage, ToWorker } from './protocol';

export function serveEngine(
  post: (msg: FromWorker) => void,
  gpuSource?: () => GPU | undefined,
): (msg: ToWorker) => void {
  const engine = new Engine(
    {
      onDeviceLost: (reason) => post({ type: 'deviceLost', reason }),
      onNotice: (text) => post({ type: 'notice', text }),
    },
    gpuSource,
  );
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
        return engine.checkGolden(msg.req);
      case 'selfTest':
        return engine.selfTest();
      case 'kernelCheck':
        return engine.kernelCheck();
      case 'dispatchCosts':
        return engine.dispatchCosts();
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

  return (msg) => {
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
}
