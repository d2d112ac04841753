// Model packs in the Cache API: one cache per storage version (`moe-lab-models-v1`), older versions
// removed, every entry stamped with its size and sha256 so that a pack updated on the server, or a
// cached copy damaged on disk, is noticed and fetched again instead of silently used.
import type { CacheLike, CacheStorageLike } from './cacheStorage';
import { canHash, normalizeSha256, sha256Hex } from './sha256';

export const MODEL_CACHE_PREFIX = 'moe-lab-models-v';
/** Bump when the way packs are stored changes; the next load then drops every older cache. */
export const MODEL_CACHE_VERSION = 1;

const SHA_HEADER = 'x-moe-lab-sha256';
const BYTES_HEADER = 'x-moe-lab-bytes';

export function modelCacheName(version: number = MODEL_CACHE_VERSION): string {
  return `${MODEL_CACHE_PREFIX}${version}`;
}

/** "moe-lab-models-v3" → { prefix: "moe-lab-models-v", version: 3 }; otherwise null. */
export function parseVersionedCacheName(name: string): { prefix: string; version: number } | null {
  const m = /^(.+-v)(\d{1,9})$/.exec(name);
  return m ? { prefix: m[1]!, version: Number(m[2]) } : null;
}

/** Caches of the same family as `current` but of another version: those are to be removed. */
export function staleCacheNames(existing: readonly string[], current: string): string[] {
  const cur = parseVersionedCacheName(current);
  if (!cur) return [];
  return existing.filter((name) => {
    const p = parseVersionedCacheName(name);
    return p !== null && p.prefix === cur.prefix && p.version !== cur.version;
  });
}

/** Deletes the other versions of `current`'s family; returns their names. */
export async function removeStaleCaches(
  caches: CacheStorageLike,
  current: string,
): Promise<string[]> {
  const stale = staleCacheNames(await caches.keys(), current);
  await Promise.all(stale.map((name) => caches.delete(name)));
  return stale;
}

export type Expected = { bytes?: number | undefined; sha256?: string | undefined };

export type CachedLookup =
  | { status: 'hit'; data: ArrayBuffer; sha256: string | null }
  | { status: 'miss' }
  /** The entry is intact but is another version of the file than the one asked for. */
  | { status: 'outdated'; reason: string }
  /** The entry does not match its own stamp or the expected checksum: damaged. */
  | { status: 'corrupt'; reason: string };

/**
 * Looks `key` up and checks it before anyone uses it. An outdated or damaged entry is deleted,
 * so the caller just downloads the file again.
 */
export async function readCachedFile(
  cache: CacheLike,
  key: string,
  expected: Expected,
): Promise<CachedLookup> {
  let res: Response | undefined;
  try {
    res = await cache.match(key);
  } catch {
    return { status: 'miss' };
  }
  if (!res) return { status: 'miss' };
  const stampSha = normalizeSha256(res.headers.get(SHA_HEADER));
  const stampBytesRaw = Number(res.headers.get(BYTES_HEADER) ?? NaN);
  const stampBytes = Number.isSafeInteger(stampBytesRaw) ? stampBytesRaw : null;
  const wantSha = normalizeSha256(expected.sha256);
  const drop = async <T>(result: T): Promise<T> => {
    await cache.delete(key).catch(() => false);
    return result;
  };

  if (wantSha && stampSha && wantSha !== stampSha)
    return drop({ status: 'outdated', reason: 'the pack lists a different checksum' });
  if (expected.bytes !== undefined && stampBytes !== null && expected.bytes !== stampBytes)
    return drop({ status: 'outdated', reason: 'the pack lists a different size' });

  let data: ArrayBuffer;
  try {
    data = await res.arrayBuffer();
  } catch (err) {
    return drop({ status: 'corrupt', reason: `it could not be read (${String(err)})` });
  }
  const wantBytes = expected.bytes ?? stampBytes;
  if (wantBytes !== null && data.byteLength !== wantBytes)
    return drop({
      status: 'corrupt',
      reason: `it holds ${data.byteLength} bytes instead of ${wantBytes}`,
    });
  const sha = wantSha ?? stampSha;
  if (sha && canHash()) {
    const got = await sha256Hex(data);
    if (got !== sha) return drop({ status: 'corrupt', reason: 'its sha256 does not match' });
  }
  return { status: 'hit', data, sha256: sha };
}

/** Stores a verified file with its stamp. */
export async function writeCachedFile(
  cache: CacheLike,
  key: string,
  data: ArrayBuffer,
  sha256: string | null,
  contentType = 'application/octet-stream',
): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(data.byteLength),
    [BYTES_HEADER]: String(data.byteLength),
  };
  if (sha256) headers[SHA_HEADER] = sha256;
  await cache.put(key, new Response(data, { status: 200, headers }));
}

/** Forgets every cached pack file (a "clear downloaded models" button). */
export async function clearModelCaches(caches: CacheStorageLike): Promise<string[]> {
  const names = (await caches.keys()).filter((n) => n.startsWith(MODEL_CACHE_PREFIX));
  await Promise.all(names.map((n) => caches.delete(n)));
  return names;
}
