import { describe, expect, it } from 'vitest';
import { PackError, parseConfig } from './config';
import { loadPack, type FetchLike } from './loader';
import { packFileUrl } from './packUrl';
import { rawConfig, readPackFiles } from './testing/diskPack';

// Names a hostile config.json could list to send the engine to another host, another scheme or
// a folder outside the pack (issue 24, class 1).
const HOSTILE_NAMES = [
  'https:evil.example',
  'https:\\\\evil.example\\x',
  '//evil.example/x',
  '\\\\evil.example\\x',
  '/etc/passwd',
  '../other-pack/moe.safetensors',
  '..',
  '.',
  '..\\secret',
  '%2e%2e%2fsecret',
  '%2F%2Fevil.example',
  'a%2fb',
  'javascript:alert(1)',
  'data:text/plain,x',
  'blob:https://evil.example/x',
  'C:\\pack\\x',
  'x?y=1',
  'x#frag',
  ' moe.safetensors',
  'moe.safetensors\n',
  'moe\u2215safetensors', // division slash, not a slash but not a plain name either
  'ｈｔｔｐｓ:evil.example',
  '',
  'a'.repeat(101),
];

const files = readPackFiles('dense');
const configWithName = (name: string) => {
  const c = rawConfig(files);
  c.files[0]!.name = name;
  return c;
};

describe('pack file names and URLs', () => {
  it('config.json refuses every hostile file name, naming the field', () => {
    for (const name of HOSTILE_NAMES) {
      let err: unknown = null;
      try {
        parseConfig(configWithName(name));
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(name)).toBeInstanceOf(PackError);
      expect((err as PackError).field, JSON.stringify(name)).toBe('files[0].name');
      expect((err as PackError).message).toMatch(/^config\.json: files\[0\]\.name must be a plain/);
    }
  });

  it('builds every URL inside the pack folder, with or without the trailing slash', () => {
    for (const base of [
      'https://lab.test/moe-lab/models/dense',
      'https://lab.test/moe-lab/models/dense/',
    ]) {
      expect(packFileUrl(base, 'moe.safetensors')).toBe(
        'https://lab.test/moe-lab/models/dense/moe.safetensors',
      );
      expect(packFileUrl(base, 'attn_0.onnx', 'https://lab.test')).toBe(
        'https://lab.test/moe-lab/models/dense/attn_0.onnx',
      );
    }
  });

  it('refuses a hostile name before any URL is built, naming that file', () => {
    for (const name of HOSTILE_NAMES) {
      expect(() => packFileUrl('https://lab.test/moe-lab/models/dense/', name), name).toThrow(
        PackError,
      );
      try {
        packFileUrl('https://lab.test/moe-lab/models/dense/', name);
      } catch (e) {
        expect((e as PackError).file).toContain(JSON.stringify(name).slice(1, 20));
      }
    }
  });

  it('refuses a pack folder on another origin or scheme than the lab', () => {
    expect(() =>
      packFileUrl('https://evil.example/models/dense/', 'config.json', 'https://lab.test'),
    ).toThrow(/on another site than the lab/);
    expect(() => packFileUrl('file:///etc/', 'passwd')).toThrow(/not an http\(s\) URL/);
    expect(() => packFileUrl('not a url', 'config.json')).toThrow(/not a valid URL/);
  });

  it('loadPack fetches nothing at all when config.json lists a hostile name', async () => {
    const requested: string[] = [];
    const config = new TextEncoder().encode(JSON.stringify(configWithName('https:evil.example')));
    const fetchSpy: FetchLike = async (url) => {
      requested.push(url);
      return new Response(config as Uint8Array<ArrayBuffer>);
    };
    await expect(loadPack('https://lab.test/models/dense/', { fetch: fetchSpy })).rejects.toThrow(
      /^config\.json: files\[0\]\.name must be a plain file name/,
    );
    expect(requested).toEqual(['https://lab.test/models/dense/config.json']);
  });
});
