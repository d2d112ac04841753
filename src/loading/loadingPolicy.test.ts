// The loader's pure rules: cache names and versions, backoff, byte ranges, sizes in messages.
import { describe, expect, it } from 'vitest';
import { backoffMs, parseContentRange } from './fetchWithRetry';
import { fileLabel, formatBytes, formatOf } from './format';
import {
  MODEL_CACHE_PREFIX,
  modelCacheName,
  parseVersionedCacheName,
  removeStaleCaches,
  staleCacheNames,
} from './modelCache';
import { MemoryCacheStorage } from './cacheStorage';
import { normalizeSha256 } from './sha256';

describe('versioned cache names', () => {
  it('names and parses versions', () => {
    expect(modelCacheName(3)).toBe(`${MODEL_CACHE_PREFIX}3`);
    expect(parseVersionedCacheName('moe-lab-models-v12')).toEqual({
      prefix: 'moe-lab-models-v',
      version: 12,
    });
    expect(parseVersionedCacheName('moe-lab-models')).toBeNull();
    expect(parseVersionedCacheName('moe-lab-models-vX')).toBeNull();
  });

  it('marks only other versions of the same family as stale', () => {
    const existing = [
      'moe-lab-models-v1',
      'moe-lab-models-v2',
      'moe-lab-models-v10',
      'moe-lab-shell-abc',
      'other-app-v1',
      'moe-lab-models',
    ];
    expect(staleCacheNames(existing, 'moe-lab-models-v2')).toEqual([
      'moe-lab-models-v1',
      'moe-lab-models-v10',
    ]);
    expect(staleCacheNames(existing, 'not-versioned')).toEqual([]);
  });

  it('removes them from a cache storage', async () => {
    const s = new MemoryCacheStorage();
    for (const n of ['moe-lab-models-v1', 'moe-lab-models-v2', 'x']) await s.open(n);
    expect(await removeStaleCaches(s, 'moe-lab-models-v2')).toEqual(['moe-lab-models-v1']);
    expect(await s.keys()).toEqual(['moe-lab-models-v2', 'x']);
  });
});

describe('retry arithmetic', () => {
  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4, 5, 9].map((r) => backoffMs(r, 500))).toEqual([
      500, 1000, 2000, 4000, 4000, 4000,
    ]);
  });

  it('parses Content-Range', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, end: 199, total: 1000 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9, total: undefined });
    expect(parseContentRange('bytes */1000')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
    expect(parseContentRange('items 1-2/3')).toBeNull();
  });
});

describe('messages', () => {
  it('formats sizes the way browsers do (decimal)', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1200)).toBe('1.2 kB');
    expect(formatBytes(1_200_000)).toBe('1.2 MB');
    expect(formatBytes(3_400_000_000)).toBe('3.4 GB');
    expect(formatBytes(250_000_000)).toBe('250 MB');
    expect(formatBytes(NaN)).toBe('? B');
    expect(formatOf(1_200_000, 3_400_000)).toBe('1.2 MB of 3.4 MB');
    expect(formatOf(1_200_000, undefined)).toBe('1.2 MB');
  });

  it('labels files without the host', () => {
    expect(fileLabel('models/a/moe.safetensors')).toBe('models/a/moe.safetensors');
    expect(fileLabel('./models/a/x.onnx')).toBe('models/a/x.onnx');
    expect(fileLabel('https://example.org/moe-lab/models/a/x.onnx')).toBe(
      'moe-lab/models/a/x.onnx',
    );
  });

  it('normalises checksums', () => {
    const h = 'AB'.repeat(32);
    expect(normalizeSha256(h)).toBe('ab'.repeat(32));
    expect(normalizeSha256(`sha256-${h}`)).toBe('ab'.repeat(32));
    expect(normalizeSha256('abc')).toBeNull();
    expect(normalizeSha256(undefined)).toBeNull();
  });
});
