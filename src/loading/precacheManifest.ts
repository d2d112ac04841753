// What the service worker keeps for offline use, decided at build time from the emitted files.
// Pure: the Vite plugin (build/hosting.ts) feeds it names and content hashes; tested in Vitest.

export type PrecacheEntry = {
  /** Relative to the service worker (= the site's root folder): "assets/index-AbC123.js". */
  url: string;
  /** Content hash, so an unchanged file (the 27 MB ORT wasm) is copied, not downloaded again. */
  revision: string;
  /** Other URLs with the very same bytes, answered from this entry (stored once). */
  aliases?: string[];
};

export type PrecacheManifest = { version: string; entries: PrecacheEntry[] };

/**
 * Files the shell needs; model packs (public/models) are the loader's business, not this one's —
 * except the lesson's measured family results (8 KB, no pack), which chapter 1 draws offline too.
 */
export function shouldPrecache(fileName: string): boolean {
  if (fileName === 'sw.js' || fileName.endsWith('.map')) return false;
  if (fileName === 'models/family.json') return true;
  // onnxruntime-web's JSPI runtime (17 MB) is the engine's online choice; offline it falls back to
  // the precached asyncify one (src/engine/ortBuilds.ts), so the JSPI pair is not kept.
  if (fileName.startsWith('ort/') && fileName.includes('.jspi.')) return false;
  if (fileName.startsWith('models/') || fileName.startsWith('.')) return false;
  return fileName === 'index.html' || fileName.startsWith('assets/') || fileName.startsWith('ort/');
}

/** Vite's hashed names ("assets/DevicePanel-B5lkW2Nw.js") never change content: cache forever. */
export function isHashedAsset(path: string): boolean {
  return /(^|\/)assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(path);
}

/**
 * `files`: every emitted file with a hash of its content. `digest` hashes a string (sha256 hex in
 * the plugin). The version changes whenever any precached byte does, which makes the browser
 * install the new worker.
 */
export function buildPrecacheManifest(
  files: readonly { fileName: string; contentHash: string }[],
  digest: (s: string) => string,
): PrecacheManifest {
  const byUrl = (a: { fileName: string }, b: { fileName: string }) =>
    a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0;
  // Identical bytes under two names (Vite also emits onnxruntime-web's 27 MB wasm as a hashed
  // asset when the runtime's code points at it) are downloaded and stored once: the fixed name
  // is kept, the others become aliases.
  const groups = new Map<string, { fileName: string; contentHash: string }[]>();
  for (const f of [...files].filter((f) => shouldPrecache(f.fileName)).sort(byUrl)) {
    const g = groups.get(f.contentHash);
    if (g) g.push(f);
    else groups.set(f.contentHash, [f]);
  }
  const entries: PrecacheEntry[] = [...groups.values()]
    .map((g) => {
      const main = g.find((f) => !isHashedAsset(f.fileName)) ?? g[0]!;
      const aliases = g.filter((f) => f !== main).map((f) => f.fileName);
      const entry: PrecacheEntry = { url: main.fileName, revision: main.contentHash.slice(0, 16) };
      if (aliases.length) entry.aliases = aliases;
      return entry;
    })
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  if (!entries.some((e) => e.url === 'index.html'))
    throw new Error('precache manifest: the build emitted no index.html');
  const version = digest(
    entries.map((e) => `${e.url} ${e.revision} ${(e.aliases ?? []).join(' ')}`).join('\n'),
  ).slice(0, 12);
  return { version, entries };
}
