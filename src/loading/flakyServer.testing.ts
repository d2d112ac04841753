// A real HTTP server on 127.0.0.1 for the loader's tests: it serves byte buffers, honours (or
// ignores) Range requests, and misbehaves on cue — cuts the connection after N bytes, stalls,
// answers an error status — the way a train's Wi-Fi or an overloaded host does. Test-only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = {
  body: Uint8Array;
  /** Honour `Range: bytes=N-` with 206 (default true). */
  ranges?: boolean;
  etag?: string;
  /** One entry per request, in order: cut the connection after this many body bytes. */
  cutAfter?: (number | null)[];
  /** One entry per request, in order: stop sending (without closing) after this many bytes. */
  stallAfter?: (number | null)[];
  /** One entry per request, in order: answer this status with no body instead. */
  status?: (number | null)[];
};

export type LoggedRequest = { path: string; range: string | null; ifRange: string | null };

export type FlakyServer = {
  origin: string;
  url: (path: string) => string;
  routes: Map<string, Route>;
  log: LoggedRequest[];
  close: () => Promise<void>;
};

export async function startFlakyServer(): Promise<FlakyServer> {
  const routes = new Map<string, Route>();
  const log: LoggedRequest[] = [];
  const counts = new Map<string, number>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const range = req.headers.range ?? null;
    const ifRange = (req.headers['if-range'] as string | undefined) ?? null;
    log.push({ path, range, ifRange });
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const n = counts.get(path) ?? 0;
    counts.set(path, n + 1);
    const status = route.status?.[n] ?? null;
    if (status !== null) {
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`status ${status}`);
      return;
    }
    const total = route.body.length;
    let start = 0;
    const headers: Record<string, string | number> = { 'Content-Type': 'application/octet-stream' };
    if (route.etag) headers['ETag'] = route.etag;
    const ranges = route.ranges ?? true;
    if (ranges) headers['Accept-Ranges'] = 'bytes';
    const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
    const validatorOk = !ifRange || ifRange === route.etag;
    if (ranges && m && validatorOk) {
      start = Number(m[1]);
      if (start >= total) {
        res.writeHead(416, { 'Content-Range': `bytes */${total}` }).end();
        return;
      }
      headers['Content-Range'] = `bytes ${start}-${total - 1}/${total}`;
    }
    const body = route.body.subarray(start);
    headers['Content-Length'] = body.length;
    res.writeHead(start > 0 || headers['Content-Range'] ? 206 : 200, headers);
    const cut = route.cutAfter?.[n] ?? null;
    const stall = route.stallAfter?.[n] ?? null;
    if (cut !== null) {
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 10));
      return;
    }
    if (stall !== null) {
      res.write(body.subarray(0, stall)); // and never another byte; closed when the client gives up
      return;
    }
    // In a few writes, so a reader sees several chunks.
    const step = Math.max(1, Math.ceil(body.length / 4));
    for (let i = 0; i < body.length; i += step) res.write(body.subarray(i, i + step));
    res.end();
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (p) => `${origin}${p}`,
    routes,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Deterministic pseudo-random bytes (the content of a fake model file). */
export function fakeBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
