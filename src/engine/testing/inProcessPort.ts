// The engine served in this thread, behind the same message interface the worker has: every
// message is structured-cloned as postMessage would, so the page side and the engine run exactly
// as in the browser, minus the thread. For Node tests of the whole data path.
import type { EnginePort } from '../engineClient';
import type { FromWorker, ToWorker } from '../protocol';
import { serveEngine } from '../serveEngine';

export function inProcessPort(gpuSource?: () => GPU | undefined): EnginePort {
  let alive = true;
  const port: EnginePort = {
    onmessage: null,
    onerror: null,
    postMessage(msg: ToWorker) {
      const copy = structuredClone(msg);
      setTimeout(() => alive && handle(copy), 0);
    },
    terminate() {
      // A worker's jobs die with it; here they run on, but nothing they say is heard.
      alive = false;
    },
  };
  const handle = serveEngine((msg: FromWorker) => {
    if (!alive) return;
    const copy = structuredClone(msg);
    setTimeout(() => alive && port.onmessage?.({ data: copy } as MessageEvent<FromWorker>), 0);
  }, gpuSource);
  return port;
}
