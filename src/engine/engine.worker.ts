/// <reference lib="webworker" />
// The engine's Web Worker: transport only. It serves the one Engine (the only owner of the GPU
// device) to the page's EngineClient; see serveEngine.ts.
import type { ToWorker } from './protocol';
import { serveEngine } from './serveEngine';

declare const self: DedicatedWorkerGlobalScope;

const handle = serveEngine((msg) => self.postMessage(msg));
self.onmessage = (e: MessageEvent<ToWorker>) => handle(e.data);
