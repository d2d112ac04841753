// Downloads one file, streaming it through a reader so progress is known byte by byte. A failed
// or interrupted attempt is retried after an exponential backoff; when bytes were already received
// the next attempt asks for the rest with `Range: bytes=N-` (guarded by `If-Range` so a file that
// changed on the server is not stitched together from two versions). A server that answers 200
// instead of 206 does not do ranges: the download starts over.
import { ByteSink } from './byteSink';
import { DownloadError, type DownloadFailure } from './downloadError';
import { fileLabel, formatBytes, formatOf, plural } from './format';
import { canHash, normalizeSha256, sha256Hex } from './sha256';

export type RetryPolicy = {
  /** Tries after the first one (default 3). */
  retries: number;
  /** First backoff; doubled each retry, capped at 8× (default 500 ms). */
  retryDelayMs: number;
  /** An attempt with no byte for this long counts as a lost connection (default 30 s). */
  stallTimeoutMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  retryDelayMs: 500,
  stallTimeoutMs: 30_000,
};

export type FileEvent =
  | { type: 'start'; bytesTotal: number | undefined }
  | { type: 'bytes'; bytesDone: number; bytesTotal: number | undefined }
  | { type: 'retry'; attempt: number; delayMs: number; problem: string }
  | { type: 'verifying' };

export type FetchOneInput = {
  url: string;
  /** The URL as shown in messages. */
  label?: string;
  bytes?: number | undefined;
  sha256?: string | undefined;
  fetch: typeof fetch;
  signal?: AbortSignal | undefined;
  policy?: Partial<RetryPolicy>;
  onEvent?: (e: FileEvent) => void;
};

export type FetchOneResult = { data: ArrayBuffer; sha256: string | null; contentType: string };

/** 2^attempt backoff: 500, 1000, 2000, 4000, 4000 … ms for base 500. */
export function backoffMs(retry: number, base: number): number {
  return base * 2 ** Math.min(Math.max(retry - 1, 0), 3);
}

/** Parses "bytes 100-199/1000" → { start: 100, end: 199, total: 1000 } (total may be unknown). */
export function parseContentRange(
  h: string | null,
): { start: number; end: number; total: number | undefined } | null {
  const m = h ? /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(h) : null;
  if (!m) return null;
  const total = m[3] === '*' ? undefined : Number(m[3]);
  return { start: Number(m[1]), end: Number(m[2]), total };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

class Stalled extends Error {}

/** reader.read() that gives up after `ms` without data, or at once when cancelled. */
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Stalled()), ms);
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([reader.read(), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * What the person can do about it, in words that name only what every screen showing a load error
 * offers: the Model view's "Load the model again" button, and the browser's own reload.
 */
export const ADVICE: Record<'network' | 'server' | 'missing' | 'mismatch' | 'cancelled', string> = {
  network: 'check your connection, then load the model again',
  server: 'the server is having trouble; load the model again in a moment',
  missing:
    'the file is missing from the site: the model pack is incomplete or the page is out of date (reload the page)',
  mismatch:
    "the file on the server does not match the pack's config.json: the pack is damaged or was updated while loading; reload the page",
  cancelled: 'load the model again to continue',
};

function adviceFor(failure: DownloadFailure, status?: number): string {
  switch (failure) {
    case 'network':
      return ADVICE.network;
    case 'http':
      return status === 404 || status === 410 ? ADVICE.missing : ADVICE.server;
    case 'size':
    case 'checksum':
      return ADVICE.mismatch;
    case 'cancelled':
      return ADVICE.cancelled;
  }
}

export async function fetchWithRetry(input: FetchOneInput): Promise<FetchOneResult> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...input.policy };
  const label = input.label ?? fileLabel(input.url);
  const { signal, onEvent } = input;
  const wantSha = normalizeSha256(input.sha256);
  const sink = new ByteSink(input.bytes ?? 0);
  let total = input.bytes;
  let validator: string | null = null; // ETag or Last-Modified of what `sink` holds
  let contentType = 'application/octet-stream';
  const resumedFrom: number[] = [];
  let restarts = 0;
  let retriesUsed = 0;
  let last: { failure: DownloadFailure; problem: string; status?: number } | null = null;

  const fail = (failure: DownloadFailure, problem: string, status?: number): DownloadError => {
    const tried: string[] = [];
    if (retriesUsed === 0) tried.push(failure === 'cancelled' ? 'cancelled' : 'not retried');
    else {
      let s = `retried ${plural(retriesUsed, 'time')}`;
      if (resumedFrom.length)
        s += ` (resumed from ${[...new Set(resumedFrom)].map(formatBytes).join(', ')})`;
      tried.push(s);
    }
    if (restarts) tried.push(`restarted from zero ${plural(restarts, 'time')}`);
    const retryable =
      failure !== 'cancelled' &&
      !(failure === 'http' && status !== undefined && !RETRYABLE_STATUS.has(status));
    return new DownloadError(
      `${label}: ${problem}; ${tried.join(', ')}; ${adviceFor(failure, status)}`,
      label,
      failure,
      failure === 'cancelled' ? true : retryable,
      status,
    );
  };

  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      if (attempt > policy.retries || !last) break;
      const delayMs = backoffMs(attempt, policy.retryDelayMs);
      onEvent?.({ type: 'retry', attempt, delayMs, problem: last.problem });
      try {
        await sleep(delayMs, signal);
      } catch {
        throw fail('cancelled', `cancelled after ${formatOf(sink.length, total)}`);
      }
      retriesUsed = attempt;
    }
    if (signal?.aborted) throw fail('cancelled', `cancelled after ${formatOf(sink.length, total)}`);

    const headers: Record<string, string> = {};
    const resumeAt = sink.length;
    if (resumeAt > 0) {
      headers['Range'] = `bytes=${resumeAt}-`;
      if (validator) headers['If-Range'] = validator;
    }
    let res: Response;
    try {
      res = await input.fetch(input.url, { signal, headers });
    } catch (err) {
      if (signal?.aborted)
        throw fail('cancelled', `cancelled after ${formatOf(sink.length, total)}`);
      last = {
        failure: 'network',
        problem:
          sink.length > 0
            ? `connection lost after ${formatOf(sink.length, total)}`
            : `could not connect (${err instanceof Error ? err.message : String(err)})`,
      };
      continue;
    }

    if (!res.ok) {
      void res.body?.cancel().catch(() => undefined);
      const problem = `the server answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      if (res.status === 416 && resumeAt > 0) {
        // The range no longer fits the file: it changed; start over.
        sink.truncate(0);
        validator = null;
        restarts++;
        last = { failure: 'http', problem, status: res.status };
        continue;
      }
      last = { failure: 'http', problem, status: res.status };
      if (!RETRYABLE_STATUS.has(res.status)) throw fail('http', problem, res.status);
      continue;
    }

    const range = res.status === 206 ? parseContentRange(res.headers.get('content-range')) : null;
    if (resumeAt > 0) {
      if (range && range.start === resumeAt) {
        resumedFrom.push(resumeAt);
        if (total === undefined) total = range.total;
      } else {
        // 200 (ranges not supported, or If-Range said the file changed) or a range we did not
        // ask for: keep nothing and read this answer from its first byte.
        sink.truncate(0);
        restarts++;
        if (res.status === 206 && (!range || range.start !== 0)) {
          void res.body?.cancel().catch(() => undefined);
          last = {
            failure: 'network',
            problem: 'the server sent a byte range that was not asked for',
          };
          continue;
        }
      }
    }
    const serverTotal = range
      ? range.total
      : res.status === 200
        ? Number(res.headers.get('content-length') ?? NaN)
        : NaN;
    if (
      input.bytes !== undefined &&
      serverTotal !== undefined &&
      Number.isSafeInteger(serverTotal) &&
      serverTotal !== input.bytes
    ) {
      // The server's copy is another size than the pack says: retrying cannot fix that.
      void res.body?.cancel().catch(() => undefined);
      throw fail(
        'size',
        `the server's file is ${formatBytes(serverTotal)} but the pack lists ${formatBytes(input.bytes)}`,
      );
    }
    if (sink.length === 0) {
      validator = res.headers.get('etag') ?? res.headers.get('last-modified');
      contentType = res.headers.get('content-type') ?? contentType;
      const len = Number(res.headers.get('content-length') ?? NaN);
      if (total === undefined && res.status === 200 && Number.isSafeInteger(len)) total = len;
      if (total === undefined && range?.total !== undefined) total = range.total;
    }
    onEvent?.({ type: 'start', bytesTotal: total });
    if (!res.body) {
      last = { failure: 'network', problem: 'the server sent no body' };
      continue;
    }

    const reader = res.body.getReader();
    let problem: string | null = null;
    try {
      for (;;) {
        const { done, value } = await readWithin(reader, policy.stallTimeoutMs, signal);
        if (done) break;
        sink.append(value);
        if (input.bytes !== undefined && sink.length > input.bytes) {
          problem = `the server sent more than the ${formatBytes(input.bytes)} the pack lists`;
          break;
        }
        onEvent?.({ type: 'bytes', bytesDone: sink.length, bytesTotal: total });
      }
    } catch (err) {
      if (signal?.aborted)
        throw fail('cancelled', `cancelled after ${formatOf(sink.length, total)}`);
      problem =
        err instanceof Stalled
          ? `no data for ${Math.round(policy.stallTimeoutMs / 1000)} s after ${formatOf(sink.length, total)}`
          : `connection lost after ${formatOf(sink.length, total)}`;
    } finally {
      void reader.cancel().catch(() => undefined);
    }
    if (problem?.startsWith('the server sent more')) {
      sink.truncate(0);
      last = { failure: 'size', problem };
      continue;
    }
    if (problem) {
      last = { failure: 'network', problem };
      continue;
    }
    if (total !== undefined && sink.length < total) {
      last = {
        failure: 'network',
        problem: `connection closed early after ${formatOf(sink.length, total)}`,
      };
      continue;
    }

    onEvent?.({ type: 'verifying' });
    const data = sink.toArrayBuffer();
    const got = canHash() ? await sha256Hex(data) : null;
    if (wantSha && got !== null && got !== wantSha) {
      sink.truncate(0);
      validator = null;
      last = {
        failure: 'checksum',
        problem: `sha256 mismatch (expected ${wantSha.slice(0, 12)}…, got ${got.slice(0, 12)}…)`,
      };
      continue;
    }
    return { data, sha256: got, contentType };
  }
  const l = last ?? { failure: 'network' as const, problem: 'the download failed' };
  throw fail(l.failure, l.problem, l.status);
}
