// Fetches a model pack by URL (browser or Node's fetch) and hands the bytes to validatePack.
// Parsing lives in pack.ts, so tests can read pack files from disk instead.
import { PackError, parseConfig } from './config';
import { INDEX_FILE, parseModelIndex, type ModelIndex } from './modelIndex';
import { validatePack, type ModelPack, type ValidateOptions } from './pack';
import { packFileUrl } from './packUrl';

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export type { ModelIndex, ModelIndexEntry } from './modelIndex';

export type LoadPackOptions = ValidateOptions & {
  fetch?: FetchLike;
  signal?: AbortSignal;
  /** Called after each file arrives. */
  onFile?: (name: string, bytes: number, done: number, total: number) => void;
};

async function fetchBytes(
  f: FetchLike,
  url: string,
  file: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await f(url, signal ? { signal } : undefined);
  } catch (err) {
    throw new PackError(
      file,
      `could not be fetched from ${url} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (!res.ok) throw new PackError(file, `could not be fetched from ${url} (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

/** `public/models/index.json` (or any URL serving one). */
export async function fetchModelIndex(
  url: string,
  options: { fetch?: FetchLike } = {},
): Promise<ModelIndex> {
  const f = options.fetch ?? ((u: string, i?: { signal?: AbortSignal }) => fetch(u, i));
  const bytes = await fetchBytes(f, url, INDEX_FILE);
  return parseModelIndex(new TextDecoder().decode(bytes));
}

/**
 * Fetches config.json from the pack folder `baseUrl`, then every file it lists — each URL checked
 * to stay inside that folder first (packUrl.ts) — and validates the pack.
 */
export async function loadPack(baseUrl: string, options: LoadPackOptions = {}): Promise<ModelPack> {
  const f = options.fetch ?? ((u: string, i?: { signal?: AbortSignal }) => fetch(u, i));
  const cfgBytes = await fetchBytes(
    f,
    packFileUrl(baseUrl, 'config.json'),
    'config.json',
    options.signal,
  );
  const config = parseConfig(new TextDecoder().decode(cfgBytes));
  const files = new Map<string, Uint8Array>([['config.json', cfgBytes]]);
  // Every URL is checked before the first request, so a hostile name fetches nothing at all.
  const urls = config.files.map((entry) => packFileUrl(baseUrl, entry.name));
  let done = 0;
  await Promise.all(
    config.files.map(async (entry, i) => {
      const b = await fetchBytes(f, urls[i]!, entry.name, options.signal);
      files.set(entry.name, b);
      done++;
      options.onFile?.(entry.name, b.byteLength, done, config.files.length);
    }),
  );
  return validatePack(files, options);
}
