// The loader against a real HTTP server on 127.0.0.1 that cuts connections, stalls, ignores
// ranges and fails on cue; the Cache API is the in-memory stand-in (Node has none).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCacheStorage } from './cacheStorage';
import { downloadFiles, type DownloadProgress, type FileSpec } from './downloadFiles';
import { DownloadError } from './downloadError';
import { ADVICE } from './fetchWithRetry';
import { fakeBytes, startFlakyServer, type FlakyServer } from './flakyServer.testing';
import { modelCacheName, writeCachedFile } from './modelCache';
import { sha256Hex } from './sha256';
import { IO_TIMEOUT_MS } from '../model/testing/timeouts';

let srv: FlakyServer;
beforeAll(async () => {
  srv = await startFlakyServer();
});
afterAll(() => srv.close());
beforeEach(() => {
  srv.routes.clear();
  srv.log.length = 0;
});

// Short backoff; a stall limit generous enough that a busy test machine never trips it by accident.
const FAST = { retryDelayMs: 1, stallTimeoutMs: 5000 };

async function spec(path: string, body: Uint8Array, extra: Partial<FileSpec> = {}) {
  return {
    url: srv.url(path),
    name: path.split('/').pop()!,
    bytes: body.length,
    sha256: await sha256Hex(body),
    ...extra,
  };
}

/** The DownloadError a load ends with (fails the test if it succeeds). */
async function failureOf(p: Promise<unknown>): Promise<DownloadError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DownloadError);
  return err as DownloadError;
}

const same = (a: ArrayBuffer | undefined, b: Uint8Array) =>
  a !== undefined && Buffer.from(a).equals(Buffer.from(b));

describe('downloadFiles over a real connection', { timeout: IO_TIMEOUT_MS }, () => {
  it('downloads several files, reports overall and per-file progress, and verifies them', async () => {
    const a = fakeBytes(300_000, 1);
    const b = fakeBytes(1234, 2);
    srv.routes.set('/m/a.bin', { body: a });
    srv.routes.set('/m/b.json', { body: b });
    const seen: DownloadProgress[] = [];
    const out = await downloadFiles([await spec('/m/a.bin', a), await spec('/m/b.json', b)], {
      cacheName: null,
      onProgress: (p) => seen.push(p),
      progressIntervalMs: 0,
      retry: FAST,
    });
    expect(same(out.get('a.bin'), a)).toBe(true);
    expect(same(out.get('b.json'), b)).toBe(true);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ bytesDone: a.length + b.length, bytesTotal: a.length + b.length });
    expect(last.filesDone).toBe(2);
    expect(last.files.map((f) => f.status)).toEqual(['done', 'done']);
    // Progress never goes backwards and never passes the total.
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone);
    expect(seen.every((p) => p.bytesDone <= p.bytesTotal!)).toBe(true);
    expect(seen.some((p) => p.files[0]!.bytesDone > 0 && p.files[0]!.bytesDone < a.length)).toBe(
      true,
    );
  });

  it('resumes an interrupted download with a Range request', async () => {
    const body = fakeBytes(3_400_000, 3);
    srv.routes.set('/m/moe.safetensors', { body, etag: '"v1"', cutAfter: [1_200_000, 2_000_000] });
    const out = await downloadFiles([await spec('/m/moe.safetensors', body)], {
      cacheName: null,
      retry: FAST,
    });
    expect(same(out.get('moe.safetensors'), body)).toBe(true);
    const ranges = srv.log.map((r) => r.range);
    expect(ranges[0]).toBeNull();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(/=(\d+)/.exec(ranges[1]!)![1])).toBeGreaterThanOrEqual(1_000_000);
    expect(srv.log[1]!.ifRange).toBe('"v1"');
    expect(srv.log).toHaveLength(3);
  });

  it('says a retry happened only once the file has arrived, never a stale "retrying"', async () => {
    const body = fakeBytes(800_000, 13);
    srv.routes.set('/m/cut.bin', { body, etag: '"v1"', cutAfter: [300_000] });
    const notices: string[] = [];
    const statuses: string[] = [];
    await downloadFiles([await spec('/m/cut.bin', body)], {
      cacheName: null,
      retry: FAST,
      onNotice: (m) => notices.push(m),
      onProgress: (p) => statuses.push(p.files[0]!.status),
    });
    // While it happens, the retry is the file's status; afterwards one notice tells the outcome.
    expect(statuses).toContain('retrying');
    expect(statuses.at(-1)).toBe('done');
    expect(notices).toEqual([
      expect.stringMatching(
        /^m\/cut\.bin: the download was interrupted \(connection lost after .+\); retried once and it arrived complete and verified\.$/,
      ),
    ]);
  });

  it("names only what a load-error screen offers: no 'press Retry' without a Retry button", () => {
    // The Model view's load error has a "Load the model again" button; reloading is the browser's.
    for (const [kind, advice] of Object.entries(ADVICE)) {
      expect(advice, kind).not.toMatch(/\bpress\b|\bRetry\b|\bclick\b/i);
      expect(advice, kind).toMatch(/load the model again|reload the page/);
    }
  });

  it('starts over when the server does not do ranges', async () => {
    const body = fakeBytes(500_000, 4);
    srv.routes.set('/m/x.onnx', { body, ranges: false, cutAfter: [200_000] });
    const out = await downloadFiles([await spec('/m/x.onnx', body)], {
      cacheName: null,
      retry: FAST,
    });
    expect(same(out.get('x.onnx'), body)).toBe(true);
    expect(srv.log).toHaveLength(2);
  });

  it('starts over when the file changed between attempts (If-Range)', async () => {
    const body = fakeBytes(400_000, 5);
    const route = { body, etag: '"old"', cutAfter: [100_000] };
    srv.routes.set('/m/c.bin', route);
    // The ETag the client saw is no longer the server's: it must get the whole file again.
    const out = downloadFiles([await spec('/m/c.bin', body)], {
      cacheName: null,
      retry: FAST,
      fetch: async (input, init) => {
        const r = await fetch(input, init);
        route.etag = '"new"';
        return r;
      },
    });
    expect(same((await out).get('c.bin'), body)).toBe(true);
    expect(srv.log[1]!.range).not.toBeNull();
  });

  it('gives up after the retries with a message saying what happened and what was tried', async () => {
    const body = fakeBytes(3_400_000, 6);
    srv.routes.set('/models/mixtral-style/moe.safetensors', {
      body,
      cutAfter: [1_200_000, 0, 0, 0],
    });
    const err = await failureOf(
      downloadFiles([await spec('/models/mixtral-style/moe.safetensors', body)], {
        cacheName: null,
        retry: FAST,
      }),
    );
    expect(err).toBeInstanceOf(DownloadError);
    const msg = (err as Error).message;
    expect(msg).toMatch(
      /^models\/mixtral-style\/moe\.safetensors: connection lost after 1\.\d MB of 3\.4 MB;/,
    );
    expect(msg).toMatch(
      /; retried 3 times \(resumed from 1\.\d MB\); check your connection, then load the model again$/,
    );
    expect((err as DownloadError).retryable).toBe(true);
  });

  it('treats a stalled connection as lost, then resumes', async () => {
    const body = fakeBytes(200_000, 7);
    srv.routes.set('/m/s.bin', { body, stallAfter: [50_000] });
    const out = await downloadFiles([await spec('/m/s.bin', body)], {
      cacheName: null,
      retry: { ...FAST, stallTimeoutMs: 300 },
    });
    expect(same(out.get('s.bin'), body)).toBe(true);
    expect(srv.log[1]!.range).toMatch(/^bytes=\d+-$/);
  });

  it('retries a 503 and does not retry a 404', async () => {
    const body = fakeBytes(1000, 8);
    srv.routes.set('/m/busy.json', { body, status: [503, 503] });
    const out = await downloadFiles([await spec('/m/busy.json', body)], {
      cacheName: null,
      retry: FAST,
    });
    expect(same(out.get('busy.json'), body)).toBe(true);

    const err = await failureOf(
      downloadFiles([{ url: srv.url('/m/missing.onnx'), name: 'missing' }], {
        cacheName: null,
        retry: FAST,
      }),
    );
    expect(err.failure).toBe('http');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(
      /^m\/missing\.onnx: the server answered HTTP 404.*not retried; the file is missing/,
    );
    expect(srv.log.filter((r) => r.path === '/m/missing.onnx')).toHaveLength(1);
  });

  it('refuses a file whose checksum is wrong, after downloading it again', async () => {
    const body = fakeBytes(10_000, 9);
    srv.routes.set('/m/bad.bin', { body });
    const err = await failureOf(
      downloadFiles([await spec('/m/bad.bin', body, { sha256: 'ab'.repeat(32) })], {
        cacheName: null,
        retry: { ...FAST, retries: 1 },
      }),
    );
    expect(err.failure).toBe('checksum');
    expect(err.message).toMatch(
      /sha256 mismatch \(expected abababababab…, got [0-9a-f]{12}…\); retried 1 time;/,
    );
    expect(srv.log).toHaveLength(2);
  });

  it('refuses a file the server has in another size than the pack says, without retrying', async () => {
    const body = fakeBytes(10_000, 10);
    srv.routes.set('/m/short.bin', { body });
    const err = await failureOf(
      downloadFiles([await spec('/m/short.bin', body, { bytes: 20_000 })], {
        cacheName: null,
        retry: FAST,
      }),
    );
    expect(err.failure).toBe('size');
    expect(err.message).toContain("the server's file is 10.0 kB but the pack lists 20.0 kB");
    expect(srv.log).toHaveLength(1);
  });

  it('can be cancelled', async () => {
    const body = fakeBytes(100_000, 11);
    srv.routes.set('/m/slow.bin', { body, stallAfter: [10_000] });
    const ctl = new AbortController();
    const p = downloadFiles([await spec('/m/slow.bin', body)], {
      cacheName: null,
      signal: ctl.signal,
      progressIntervalMs: 0,
      retry: { ...FAST, stallTimeoutMs: 10_000 },
      onProgress: (pr) => {
        if (pr.bytesDone > 0) ctl.abort();
      },
    });
    const err = await failureOf(p);
    expect(err.failure).toBe('cancelled');
    expect(err.message).toMatch(/cancelled after/);
  });
});

describe('downloadFiles with the Cache API', { timeout: IO_TIMEOUT_MS }, () => {
  it('keeps files, loads them again from the cache without a request, and drops old versions', async () => {
    const body = fakeBytes(50_000, 12);
    srv.routes.set('/p/w.bin', { body });
    const caches = new MemoryCacheStorage();
    await caches.open(modelCacheName(0));
    await caches.open('someone-elses-cache');
    const notices: string[] = [];
    const files = [await spec('/p/w.bin', body)];
    await downloadFiles(files, {
      cacheName: modelCacheName(1),
      caches,
      onNotice: (m) => notices.push(m),
    });
    expect(await caches.keys()).toEqual(['someone-elses-cache', modelCacheName(1)]);
    expect(notices[0]).toContain('older version');
    expect(srv.log).toHaveLength(1);

    let last: DownloadProgress | undefined;
    const again = await downloadFiles(files, {
      cacheName: modelCacheName(1),
      caches,
      onProgress: (p) => (last = p),
    });
    expect(same(again.get('w.bin'), body)).toBe(true);
    expect(srv.log).toHaveLength(1);
    expect(last!.files[0]!.status).toBe('cached');
  });

  it('detects a damaged cached file, says so, and downloads it again', async () => {
    const body = fakeBytes(50_000, 13);
    srv.routes.set('/p/d.bin', { body });
    const caches = new MemoryCacheStorage();
    const name = modelCacheName();
    const files = [await spec('/p/d.bin', body)];
    await downloadFiles(files, { cacheName: name, caches });
    // Flip bytes on "disk", keeping the stamp: only the checksum can tell.
    const damaged = body.slice();
    damaged[100] = damaged[100]! ^ 0xff;
    await writeCachedFile(await caches.open(name), files[0]!.url, damaged.buffer, files[0]!.sha256);
    const notices: string[] = [];
    const out = await downloadFiles(files, {
      cacheName: name,
      caches,
      onNotice: (m) => notices.push(m),
    });
    expect(same(out.get('d.bin'), body)).toBe(true);
    expect(notices.join('\n')).toMatch(
      /p\/d\.bin: the copy kept in this browser was damaged \(its sha256 does not match\); downloading it again/,
    );
    expect(srv.log).toHaveLength(2);
    // And the fresh copy replaced the damaged one.
    await downloadFiles(files, { cacheName: name, caches });
    expect(srv.log).toHaveLength(2);
  });

  it('fetches a file again when the pack lists a new checksum for it', async () => {
    const v1 = fakeBytes(5000, 14);
    const v2 = fakeBytes(5000, 15);
    const caches = new MemoryCacheStorage();
    srv.routes.set('/p/u.json', { body: v1 });
    await downloadFiles([await spec('/p/u.json', v1)], { cacheName: 'moe-lab-models-v1', caches });
    srv.routes.set('/p/u.json', { body: v2 });
    const out = await downloadFiles([await spec('/p/u.json', v2)], {
      cacheName: 'moe-lab-models-v1',
      caches,
    });
    expect(same(out.get('u.json'), v2)).toBe(true);
    expect(srv.log).toHaveLength(2);
  });

  it('still loads when the cache refuses to store (quota), with a notice', async () => {
    const body = fakeBytes(2000, 16);
    srv.routes.set('/p/q.bin', { body });
    const caches = new MemoryCacheStorage();
    const cache = await caches.open('moe-lab-models-v1');
    cache.put = async () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const notices: string[] = [];
    const out = await downloadFiles([await spec('/p/q.bin', body)], {
      cacheName: 'moe-lab-models-v1',
      caches,
      onNotice: (m) => notices.push(m),
    });
    expect(same(out.get('q.bin'), body)).toBe(true);
    expect(notices[0]).toMatch(/Could not keep p\/q\.bin in this browser \(QuotaExceededError\)/);
  });
});
