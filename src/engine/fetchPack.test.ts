// The engine's pack download never leaves the pack folder (issue 24, class 1): a hostile file name
// in config.json, or a pack on another origin than the lab, is refused before any file is fetched.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchPackFiles } from './fetchPack';
import { MODELS_DIR } from '../model/testing/diskPack';

const config = JSON.parse(readFileSync(`${MODELS_DIR}dense/config.json`, 'utf8')) as {
  files: { name: string; bytes: number; sha256: string }[];
};

function serveConfig(files: typeof config.files) {
  const requested: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(String(url));
    return new Response(JSON.stringify({ ...config, files }));
  });
  return requested;
}

afterEach(() => vi.unstubAllGlobals());

describe('fetchPackFiles', () => {
  it('fetches nothing but config.json when it lists a file name that could leave the folder', async () => {
    for (const name of ['https:evil.example', '..\\secret', '%2e%2e%2fx', '//evil.example/x']) {
      const requested = serveConfig([...config.files, { ...config.files[0]!, name }]);
      await expect(
        fetchPackFiles(
          'https://lab.test/moe-lab/models/dense/',
          () => undefined,
          () => undefined,
        ),
      ).rejects.toThrow(/^config\.json: files\[\d+\]\.name must be a plain file name/);
      expect(requested).toEqual(['https://lab.test/moe-lab/models/dense/config.json']);
    }
  });

  it('refuses a pack on another origin than the lab before any request', async () => {
    vi.stubGlobal('location', { origin: 'https://lab.test', href: 'https://lab.test/moe-lab/' });
    const requested = serveConfig(config.files);
    await expect(
      fetchPackFiles(
        'https://evil.example/models/dense/',
        () => undefined,
        () => undefined,
      ),
    ).rejects.toThrow(/on another site than the lab/);
    expect(requested).toEqual([]);
  });
});
