// A tiny static file server for the built site, mounted under a sub-path, the way a GitHub
// Pages project page serves it. Used by the e2e tests; no dependencies.
//   node scripts/serve-static.mjs [--dir dist] [--prefix /moe-lab/] [--port 4173]
// Every response carries the build's Content-Security-Policy as a header (a <meta> policy does
// not govern Web Workers: a worker takes the policy of its own script's response), plus the
// headers docs/hosting.md recommends for any host that can set them.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? def : args[i + 1];
};
const root = resolve(opt('dir', 'dist'));
const prefix = opt('prefix', '/moe-lab/');
const port = Number(opt('port', '4173'));

/** The policy of the build's index.html <meta>, so header and meta never disagree. */
function buildPolicy(dir) {
  let html = '';
  try {
    html = readFileSync(join(dir, 'index.html'), 'utf8');
  } catch {
    return null;
  }
  const meta = /<meta\s[^>]*http-equiv=["']Content-Security-Policy["'][^>]*>/i.exec(html);
  const content = meta && /content="([^"]*)"/i.exec(meta[0]);
  return content ? content[1].replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"') : null;
}

const policy = buildPolicy(root);
const SECURITY_HEADERS = {
  ...(policy ? { 'Content-Security-Policy': policy } : {}),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === prefix.replace(/\/$/, '')) {
      res.writeHead(301, { ...SECURITY_HEADERS, Location: prefix }).end();
      return;
    }
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = await readFile(file);
    const hashed = /\/assets\//.test(file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.listen(port, '127.0.0.1', () =>
  console.log(
    `serving ${root} at http://127.0.0.1:${server.address().port}${prefix}${policy ? ' with its CSP header' : ' (no CSP found in index.html)'}`,
  ),
);
