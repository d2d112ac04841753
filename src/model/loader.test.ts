import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fetchModelIndex, loadPack, type FetchLike } from './loader';
import { MODELS_DIR } from './testing/diskPack';
import { MODEL_RUN_TIMEOUT_MS } from './testing/timeouts';

// A fetch that serves public/models/ from disk under http://lab.test/models/.
const diskFetch =
  (tamper?: (name: string, b: Uint8Array) => Uint8Array | null): FetchLike =>
  async (url) => {
    const rel = url.replace('http://lab.test/models/', '');
    let bytes: Uint8Array | null;
    try {
      bytes = new Uint8Array(readFileSync(MODELS_DIR + rel));
    } catch {
      bytes = null;
    }
    if (bytes && tamper) bytes = tamper(rel, bytes);
    return bytes
      ? new Response(bytes as Uint8Array<ArrayBuffer>)
      : new Response('not found', { status: 404 });
  };

describe('loadPack (fetch by URL, then validate)', { timeout: MODEL_RUN_TIMEOUT_MS }, () => {
  it('loads every pack listed in index.json', async () => {
    const index = await fetchModelIndex('http://lab.test/models/index.json', {
      fetch: diskFetch(),
    });
    for (const m of index.models) {
      const seen: string[] = [];
      const pack = await loadPack(`http://lab.test/models/${m.path}`, {
        fetch: diskFetch(),
        onFile: (name) => seen.push(name),
      });
      expect(pack.config.id).toBe(m.id);
      expect(seen.sort()).toEqual(pack.config.files.map((f) => f.name).sort());
    }
  });

  it('names the file when a fetch fails or a file arrives truncated', async () => {
    const missing = diskFetch((name, b) => (name.endsWith('head.onnx') ? null : b));
    await expect(loadPack('http://lab.test/models/dense', { fetch: missing })).rejects.toThrow(
      'head.onnx: could not be fetched from http://lab.test/models/dense/head.onnx (HTTP 404)',
    );
    const cut = diskFetch((name, b) =>
      name.endsWith('moe.safetensors') ? b.subarray(0, 1000) : b,
    );
    await expect(loadPack('http://lab.test/models/dense/', { fetch: cut })).rejects.toThrow(
      /^moe\.safetensors: size is 1000 bytes, config\.json says \d+ \(truncated\?\)$/,
    );
  });
});
