// The static server sends the build's CSP as a header on every file, so the engine's Web Worker —
// which a <meta> policy does not govern — runs under the same policy as the page (issue 24).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";

let dir = '';
let server: ChildProcess | null = null;
let origin = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serve-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8" />\n<meta http-equiv="Content-Security-Policy" content="${POLICY.replace(/'/g, '&#39;')}" /><title>t</title>`,
  );
  writeFileSync(join(dir, 'assets', 'engine.worker-abc.js'), 'self.onmessage = () => {};');
  server = spawn(process.execPath, [
    'scripts/serve-static.mjs',
    '--dir',
    dir,
    '--prefix',
    '/lab/',
    '--port',
    '0',
  ]);
  origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    server!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve(m[1]!);
    });
    server!.on('exit', (code) => reject(new Error(`serve-static exited (${code}): ${out}`)));
  });
}, 120_000);

afterAll(() => {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('scripts/serve-static.mjs', () => {
  it('sends the CSP of index.html as a header on the page and on worker scripts', async () => {
    for (const path of ['/lab/', '/lab/assets/engine.worker-abc.js']) {
      const res = await fetch(origin + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toBe(POLICY);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  }, 120_000);
});
