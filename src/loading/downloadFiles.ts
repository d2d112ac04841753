// Loads a set of files (a model pack): each one from the Cache API when a verified copy is there,
// otherwise from the network (streamed, retried, resumed, verified) and then stored. Progress is
// reported overall and per file (a retry shows there while it happens); anything the user should
// know but that did not stop the load (a download that was interrupted and then completed, a
// damaged cached copy fetched again, a cache that is full) is reported as a notice once it is over.
import { browserCaches, type CacheLike, type CacheStorageLike } from './cacheStorage';
import { DownloadError, isAbort } from './downloadError';
import { ADVICE, fetchWithRetry, type RetryPolicy } from './fetchWithRetry';
import { fileLabel } from './format';
import { readCachedFile, removeStaleCaches, writeCachedFile } from './modelCache';

export type FileSpec = {
  /** Where to get it: absolute, or relative to `baseUrl` (default: the page). */
  url: string;
  /** The key of the result map. */
  name: string;
  /** Expected size in bytes, when the pack says. */
  bytes?: number | undefined;
  /** Expected sha256 (hex), when the pack says. */
  sha256?: string | undefined;
};

export type FileStatus =
  | 'queued'
  | 'downloading'
  | 'retrying'
  | 'verifying'
  | 'cached' // done, from the cache
  | 'done' // done, from the network
  | 'failed';

export type FileProgress = {
  name: string;
  url: string;
  status: FileStatus;
  bytesDone: number;
  /** Undefined while neither the pack nor the server has said. */
  bytesTotal: number | undefined;
  /** Retries so far. */
  retries: number;
  /** Why it is retrying (status 'retrying'), or why it failed. */
  problem?: string | undefined;
};

export type DownloadProgress = {
  bytesDone: number;
  /** Sum of the files' sizes; undefined while any of them is unknown. */
  bytesTotal: number | undefined;
  filesDone: number;
  filesTotal: number;
  files: readonly FileProgress[];
};

export type DownloadOptions = {
  /** Cache API cache to keep files in (e.g. modelCacheName()); null: do not cache. */
  cacheName: string | null;
  onProgress?: (p: DownloadProgress) => void;
  onNotice?: (message: string) => void;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Default: the browser's `caches`, or none outside secure contexts. */
  caches?: CacheStorageLike | null;
  /** Resolves relative URLs; default: the page's (or worker's) location. */
  baseUrl?: string;
  /** Files fetched at once (default 3). */
  concurrency?: number;
  /** Minimum time between two byte-progress reports (default 50 ms; status changes always). */
  progressIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
};

function resolveUrl(url: string, base: string | undefined): string {
  try {
    return new URL(url, base).href;
  } catch {
    throw new DownloadError(
      `${url}: not a valid address; the pack's file list is malformed`,
      url,
      'http',
      false,
    );
  }
}

export async function downloadFiles(
  files: readonly FileSpec[],
  opts: DownloadOptions,
): Promise<Map<string, ArrayBuffer>> {
  const fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const storage = opts.caches === undefined ? browserCaches() : opts.caches;
  const base = opts.baseUrl ?? (globalThis as { location?: { href: string } }).location?.href;
  const interval = opts.progressIntervalMs ?? 50;
  const { signal } = opts;

  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.name)) throw new Error(`downloadFiles: two files are named "${f.name}"`);
    names.add(f.name);
  }
  const urls = files.map((f) => resolveUrl(f.url, base));
  const state: FileProgress[] = files.map((f) => ({
    name: f.name,
    url: f.url,
    status: 'queued',
    bytesDone: 0,
    bytesTotal: f.bytes,
    retries: 0,
  }));

  let lastEmit = 0;
  const emit = (force: boolean) => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastEmit < interval) return;
    lastEmit = now;
    let bytesDone = 0;
    let bytesTotal: number | undefined = 0;
    let filesDone = 0;
    for (const s of state) {
      bytesDone += s.bytesDone;
      bytesTotal =
        s.bytesTotal === undefined || bytesTotal === undefined
          ? undefined
          : bytesTotal + s.bytesTotal;
      if (s.status === 'done' || s.status === 'cached') filesDone++;
    }
    opts.onProgress({
      bytesDone,
      bytesTotal,
      filesDone,
      filesTotal: state.length,
      files: state.map((s) => ({ ...s })),
    });
  };
  const notice = (m: string) => opts.onNotice?.(m);

  let cache: CacheLike | null = null;
  if (storage && opts.cacheName) {
    try {
      const removed = await removeStaleCaches(storage, opts.cacheName);
      if (removed.length)
        notice(`Removed model files kept by an older version of the lab (${removed.join(', ')}).`);
      cache = await storage.open(opts.cacheName);
    } catch (err) {
      notice(
        `The browser cache cannot be used (${String(err)}): model files will be downloaded every time.`,
      );
    }
  }
  emit(true);

  const result = new Map<string, ArrayBuffer>();
  let cacheFullNoticed = false;

  const loadOne = async (i: number) => {
    const spec = files[i]!;
    const url = urls[i]!;
    const s = state[i]!;
    const label = fileLabel(spec.url);
    if (cache) {
      const hit = await readCachedFile(cache, url, spec);
      if (hit.status === 'hit') {
        s.status = 'cached';
        s.bytesDone = s.bytesTotal = hit.data.byteLength;
        result.set(spec.name, hit.data);
        emit(true);
        return;
      }
      if (hit.status === 'corrupt')
        notice(
          `${label}: the copy kept in this browser was damaged (${hit.reason}); downloading it again.`,
        );
    }
    s.status = 'downloading';
    emit(true);
    let lastProblem = '';
    const got = await fetchWithRetry({
      url,
      label,
      bytes: spec.bytes,
      sha256: spec.sha256,
      fetch: fetchFn,
      signal,
      policy: opts.retry,
      onEvent: (e) => {
        if (e.type === 'bytes' || e.type === 'start') {
          s.status = 'downloading';
          s.problem = undefined;
          if (e.type === 'bytes') s.bytesDone = e.bytesDone;
          s.bytesTotal = e.bytesTotal;
          emit(e.type === 'start');
        } else if (e.type === 'retry') {
          s.status = 'retrying';
          s.retries = e.attempt;
          s.problem = e.problem;
          lastProblem = e.problem;
          emit(true);
        } else {
          s.status = 'verifying';
          emit(true);
        }
      },
    });
    s.status = 'done';
    s.bytesDone = s.bytesTotal = got.data.byteLength;
    result.set(spec.name, got.data);
    emit(true);
    // Said once the outcome is known, so no notice claims a retry that has already succeeded.
    if (s.retries > 0)
      notice(
        `${label}: the download was interrupted (${lastProblem}); retried ${s.retries === 1 ? 'once' : `${s.retries} times`} and it arrived complete${spec.sha256 ? ' and verified' : ''}.`,
      );
    if (cache) {
      try {
        await writeCachedFile(cache, url, got.data, got.sha256, got.contentType);
      } catch (err) {
        if (!cacheFullNoticed)
          notice(
            `Could not keep ${label} in this browser (${err instanceof Error ? err.name : String(err)}): it will be downloaded again next time.`,
          );
        cacheFullNoticed = true;
      }
    }
  };

  // A small pool: a few files at once keeps the connection busy without starving the big one.
  let next = 0;
  let firstError: unknown = null;
  const worker = async () => {
    while (next < files.length && firstError === null) {
      const i = next++;
      try {
        await loadOne(i);
      } catch (err) {
        state[i]!.status = 'failed';
        state[i]!.problem = err instanceof Error ? err.message : String(err);
        firstError ??= err;
        emit(true);
      }
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 3, files.length));
  await Promise.all(Array.from({ length: n }, worker));
  if (firstError !== null) {
    if (isAbort(firstError, signal) && !(firstError instanceof DownloadError))
      throw new DownloadError(`download cancelled; ${ADVICE.cancelled}`, '', 'cancelled', true);
    throw firstError;
  }
  // In the order the files were listed, whatever order they finished in.
  return new Map(files.map((f) => [f.name, result.get(f.name)!]));
}
