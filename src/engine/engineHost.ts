// The page's one engine: a client of the engine worker, made on first use and replaced only when
// its GPU device is lost (a lost device cannot be revived; a new worker asks for a new one).
// Everything on the page that needs the GPU asks through here — there is no second device.
import type { GpuProbe } from '../gpu/gpuInfo';
import { siteUrl } from '../loading/siteUrl';
import { EngineClient, engineWorker, type EnginePort } from './engineClient';

/** Where the engine runs and where it fetches from: the site's worker and files by default. */
export type EngineHostConfig = {
  makePort: () => EnginePort;
  packUrl: (modelId: string) => string;
  ortWasmBase: () => string;
};

export const hostConfig: EngineHostConfig = {
  makePort: engineWorker,
  packUrl: (modelId) => siteUrl(`models/${modelId}/`),
  ortWasmBase: () => siteUrl('ort/'),
};

/** Tests and Node: serve the engine elsewhere (in this thread) and fetch from another origin. */
export function configureEngineHost(config: Partial<EngineHostConfig>): void {
  Object.assign(hostConfig, config);
}

let client: EngineClient | null = null;
let probe: Promise<GpuProbe> | null = null;
const lostHandlers = new Set<(reason: string) => void>();
const noticeHandlers = new Set<(text: string) => void>();

export function engine(): EngineClient {
  if (client) return client;
  const made = new EngineClient(hostConfig.makePort());
  made.onDeviceLost = (reason) => {
    // The old engine's GPU objects are gone with its device: stop it before anyone uses it again.
    if (client === made) {
      client = null;
      probe = null;
      made.terminate();
    }
    for (const h of lostHandlers) h(reason);
  };
  made.onNotice = (text) => {
    for (const h of noticeHandlers) h(text);
  };
  client = made;
  return made;
}

/** The engine's GPU (adapter, features, limits), or why it has none; asked once per engine. */
export function gpuProbe(): Promise<GpuProbe> {
  probe ??= engine()
    .gpuInfo()
    .catch((err: unknown): GpuProbe => ({
      kind: 'unavailable',
      reason: 'The engine could not look for a GPU.',
      detail: err instanceof Error ? err.message : String(err),
    }));
  return probe;
}

export function onDeviceLost(handler: (reason: string) => void): () => void {
  lostHandlers.add(handler);
  return () => lostHandlers.delete(handler);
}

export function onEngineNotice(handler: (text: string) => void): () => void {
  noticeHandlers.add(handler);
  return () => noticeHandlers.delete(handler);
}

/** Stops the engine and its worker (a model switch keeps it; only tests and losses need this). */
export function stopEngine(): void {
  client?.terminate();
  client = null;
  probe = null;
}
