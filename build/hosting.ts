// Build-time pieces of issue 11 (hosting and robustness):
// - contentSecurityPolicy(): a strict CSP <meta> in the built index.html. Only in the build: the
//   dev server injects inline scripts (React Refresh) that such a policy would rightly block.
// - serviceWorker(): writes dist/sw.js from src/loading/serviceWorker.template.js with the list of
//   this build's files (shell, hashed assets, onnxruntime-web runtime) so the lab works offline.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { buildPrecacheManifest } from '../src/loading/precacheManifest.ts';

/**
 * Everything from the site itself; `'wasm-unsafe-eval'` lets onnxruntime-web compile its wasm
 * (it allows WebAssembly compilation only, not `eval`). `frame-ancestors` and `sandbox` are
 * ignored in a <meta> policy: a host that can set headers should send them (docs/hosting.md).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "media-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export function contentSecurityPolicy(policy = CONTENT_SECURITY_POLICY): Plugin {
  return {
    name: 'moe-lab-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      // Right after <meta charset>: a <meta> policy governs only what follows it, and the
      // charset must stay within the first bytes of the file.
      handler(html) {
        const tag = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
        const charset = /<meta charset="[^"]*"\s*\/?>/i;
        if (charset.test(html)) return html.replace(charset, (m) => `${m}\n    ${tag}`);
        return html.replace(/<head>/i, (m) => `${m}\n    ${tag}`);
      },
    },
  };
}

const TEMPLATE = resolve(import.meta.dirname, '../src/loading/serviceWorker.template.js');
const FAMILY = resolve(import.meta.dirname, '../public/models/family.json');
const PLACEHOLDER = /\/\* __MOE_LAB_PRECACHE_MANIFEST__ \*\/ \{[^}]*\}/;
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export function serviceWorker(): Plugin {
  return {
    name: 'moe-lab-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.values(bundle).map((f) => ({
        fileName: f.fileName,
        contentHash: sha256(f.type === 'chunk' ? f.code : f.source),
      }));
      // public/ is copied beside the bundle, not through it: the one public file the shell keeps
      // (the lesson's measured family, shouldPrecache) is hashed here.
      if (existsSync(FAMILY))
        files.push({ fileName: 'models/family.json', contentHash: sha256(readFileSync(FAMILY)) });
      const manifest = buildPrecacheManifest(files, sha256);
      const template = readFileSync(TEMPLATE, 'utf8');
      if (!PLACEHOLDER.test(template)) this.error(`${TEMPLATE}: manifest placeholder not found`);
      const source = template.replace(PLACEHOLDER, () => JSON.stringify(manifest));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

/** Both, for one line in vite.config.ts: `plugins: [react(), ortAssets(), ...hosting()]`. */
export function hosting(): Plugin[] {
  return [contentSecurityPolicy(), serviceWorker()];
}
