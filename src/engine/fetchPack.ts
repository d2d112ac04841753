// Fetches a model pack's files for the engine: config.json network-first (a new deployment may
// change it; the kept copy serves offline), then every file it lists through the loader's
// verified, resumable, cached download (progress per file and in bytes). Every URL is built from
// the pack's folder and checked to stay inside it, on the lab's own origin, before any fetch.
import { browserCaches } from '../loading/cacheStorage';
import { downloadFiles, type DownloadProgress } from '../loading/downloadFiles';
import { modelCacheName, removeStaleCaches } from '../loading/modelCache';
import { parseConfig } from '../model/config';
import { packFileUrl } from '../model/packUrl';

export type PackProgress = (p: DownloadProgress) => void;

async function fetchConfig(url: string): Promise<Uint8Array> {
  const caches = browserCaches();
  const cache = caches ? await caches.open(modelCacheName()) : null;
  try {
    const res = await fetch(url, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    await cache?.put(url, new Response(bytes.slice())).catch(() => undefined);
    return bytes;
  } catch (err) {
    const kept = await cache?.match(url);
    if (kept) return new Uint8Array(await kept.arrayBuffer());
    throw new Error(
      `config.json could not be fetched from ${url} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

export async function fetchPackFiles(
  packUrl: string,
  onProgress: PackProgress,
  onNotice: (message: string) => void,
): Promise<Map<string, Uint8Array>> {
  const caches = browserCaches();
  if (caches) await removeStaleCaches(caches, modelCacheName()).catch(() => []);
  // The worker's own origin is the lab's: a pack elsewhere is refused, whatever asked for it.
  const siteOrigin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const configBytes = await fetchConfig(packFileUrl(packUrl, 'config.json', siteOrigin));
  const config = parseConfig(new TextDecoder().decode(configBytes));
  const urls = config.files.map((f) => packFileUrl(packUrl, f.name, siteOrigin));
  const got = await downloadFiles(
    config.files.map((f, i) => ({
      url: urls[i]!,
      name: f.name,
      bytes: f.bytes,
      sha256: f.sha256,
    })),
    { cacheName: modelCacheName(), onProgress, onNotice },
  );
  const files = new Map<string, Uint8Array>([['config.json', configBytes]]);
  for (const [name, data] of got) files.set(name, new Uint8Array(data));
  return files;
}
