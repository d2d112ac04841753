// Fetches a model pack by URL (browser or Node's fetch) and hands the bytes to validatePack.
// Parsing lives in pack.ts, so tests can read pack files from disk instead.
import { PackError, parseConfig } from './config';
import { validatePack, type ModelPack, type ValidateOptions } from './pack';

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export type ModelIndexEntry = {
  id: string;
  path: string;
  description: string;
  bytes: number;
  experts: number;
  top_k: number;
  shared_ffn: number;
  layers: number;
  hidden: number;
  mean_accuracy: number | null;
  val_loss: number | null;
};
export type ModelIndex = { format_version: number; default: string; models: ModelIndexEntry[] };

export type LoadPackOptions = ValidateOptions & {
  fetch?: FetchLike;
  signal?: AbortSignal;
  /** Called after each file arrives. */
  onFile?: (name: string, bytes: number, done: number, total: number) => void;
};

function joinUrl(base: string, name: string): string {
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

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
  const bytes = await fetchBytes(f, url, 'index.json');
  const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof json !== 'object' || json === null || !Array.isArray((json as ModelIndex).models)) {
    throw new PackError('index.json', 'models must be a list', 'models');
  }
  return json as ModelIndex;
}

/** Fetches config.json from `baseUrl`, then every file it lists, and validates the pack. */
export async function loadPack(baseUrl: string, options: LoadPackOptions = {}): Promise<ModelPack> {
  const f = options.fetch ?? ((u: string, i?: { signal?: AbortSignal }) => fetch(u, i));
  const cfgBytes = await fetchBytes(
    f,
    joinUrl(baseUrl, 'config.json'),
    'config.json',
    options.signal,
  );
  const config = parseConfig(new TextDecoder().decode(cfgBytes));
  const files = new Map<string, Uint8Array>([['config.json', cfgBytes]]);
  let done = 0;
  await Promise.all(
    config.files.map(async (entry) => {
      const b = await fetchBytes(f, joinUrl(baseUrl, entry.name), entry.name, options.signal);
      files.set(entry.name, b);
      done++;
      options.onFile?.(entry.name, b.byteLength, done, config.files.length);
    }),
  );
  return validatePack(files, options);
}
