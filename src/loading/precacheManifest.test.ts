import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildPrecacheManifest, isHashedAsset, shouldPrecache } from './precacheManifest';

const digest = (s: string) => createHash('sha256').update(s).digest('hex');
const files = [
  { fileName: 'index.html', contentHash: 'aaaa' },
  { fileName: 'assets/index-th5VcoXX.js', contentHash: 'bbbb' },
  { fileName: 'assets/index-BzfOGlGz.css', contentHash: 'cccc' },
  { fileName: 'ort/ort-wasm-simd-threaded.asyncify.wasm', contentHash: 'dddd' },
  { fileName: 'sw.js', contentHash: 'eeee' },
  { fileName: 'assets/index-th5VcoXX.js.map', contentHash: 'ffff' },
  { fileName: 'models/tiny/moe.safetensors', contentHash: '1111' },
  { fileName: 'models/family.json', contentHash: '3333' },
];

describe('precache manifest', () => {
  it('keeps the shell, hashed assets, the ORT runtime and the lesson’s family results; not the worker, maps or model packs', () => {
    const m = buildPrecacheManifest(files, digest);
    expect(m.entries.map((e) => e.url)).toEqual([
      'assets/index-BzfOGlGz.css',
      'assets/index-th5VcoXX.js',
      'index.html',
      'models/family.json',
      'ort/ort-wasm-simd-threaded.asyncify.wasm',
    ]);
    expect(m.version).toMatch(/^[0-9a-f]{12}$/);
    expect(shouldPrecache('favicon.svg')).toBe(false);
    expect(shouldPrecache('ort/ort-wasm-simd-threaded.jspi.wasm')).toBe(false);
  });

  it('changes version when any precached byte changes, and only then', () => {
    const a = buildPrecacheManifest(files, digest).version;
    const sameShell = files.map((f) =>
      f.fileName.startsWith('models/tiny/') ? { ...f, contentHash: '2222' } : f,
    );
    expect(buildPrecacheManifest(sameShell, digest).version).toBe(a);
    const newHtml = files.map((f) =>
      f.fileName === 'index.html' ? { ...f, contentHash: 'abab' } : f,
    );
    expect(buildPrecacheManifest(newHtml, digest).version).not.toBe(a);
    // Order of the input does not matter.
    expect(buildPrecacheManifest([...files].reverse(), digest).version).toBe(a);
  });

  it('stores identical files once, answering the other names from it', () => {
    const m = buildPrecacheManifest(
      [
        ...files,
        { fileName: 'assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm', contentHash: 'dddd' },
      ],
      digest,
    );
    const wasm = m.entries.filter((e) => e.url.endsWith('.wasm'));
    expect(wasm).toEqual([
      {
        url: 'ort/ort-wasm-simd-threaded.asyncify.wasm',
        revision: 'dddd',
        aliases: ['assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm'],
      },
    ]);
    expect(m.version).not.toBe(buildPrecacheManifest(files, digest).version);
  });

  it('refuses a build without index.html', () => {
    expect(() => buildPrecacheManifest(files.slice(1), digest)).toThrow(/index\.html/);
  });

  it('tells hashed assets from fixed names', () => {
    expect(isHashedAsset('assets/DevicePanel-B5lkW2Nw.js')).toBe(true);
    expect(isHashedAsset('/moe-lab/assets/index-BzfOGlGz.css')).toBe(true);
    expect(isHashedAsset('ort/ort-wasm-simd-threaded.asyncify.wasm')).toBe(false);
    expect(isHashedAsset('index.html')).toBe(false);
  });
});
