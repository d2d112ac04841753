// Test helpers: read committed packs from public/models/ and rewrite pack files consistently.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MODELS_DIR = fileURLToPath(new URL('../../../public/models/', import.meta.url));

export type IndexJson = { default: string; models: { id: string; path: string; bytes: number }[] };

export function readIndex(): IndexJson {
  return JSON.parse(readFileSync(`${MODELS_DIR}index.json`, 'utf8')) as IndexJson;
}

export function packDir(id: string): string {
  return `${MODELS_DIR}${id}/`;
}

export function hasPack(id: string): boolean {
  return existsSync(`${packDir(id)}config.json`);
}

/** config.json plus every file it lists, as bytes. */
export function readPackFiles(id: string): Map<string, Uint8Array> {
  const dir = packDir(id);
  const cfgBytes = new Uint8Array(readFileSync(`${dir}config.json`));
  const cfg = JSON.parse(new TextDecoder().decode(cfgBytes)) as { files: { name: string }[] };
  const files = new Map<string, Uint8Array>([['config.json', cfgBytes]]);
  for (const f of cfg.files) files.set(f.name, new Uint8Array(readFileSync(`${dir}${f.name}`)));
  return files;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type RawConfig = Record<string, unknown> & {
  files: { name: string; bytes: number; sha256: string }[];
};

export function rawConfig(files: Map<string, Uint8Array>): RawConfig {
  return JSON.parse(new TextDecoder().decode(files.get('config.json'))) as RawConfig;
}

/** A copy of the pack with config.json replaced (edited by `edit`). */
export function withConfig(
  files: Map<string, Uint8Array>,
  edit: (c: RawConfig) => void,
): Map<string, Uint8Array> {
  const c = rawConfig(files);
  edit(c);
  const out = new Map(files);
  out.set('config.json', new TextEncoder().encode(JSON.stringify(c)));
  return out;
}

/** A copy of the pack with `name` replaced, and config.json's size and sha256 updated to match. */
export function withFile(
  files: Map<string, Uint8Array>,
  name: string,
  bytes: Uint8Array,
): Map<string, Uint8Array> {
  const out = withConfig(files, (c) => {
    const e = c.files.find((f) => f.name === name);
    if (!e) throw new Error(`no ${name} in config`);
    e.bytes = bytes.byteLength;
    e.sha256 = sha256(bytes);
  });
  out.set(name, bytes);
  return out;
}

/** Builds an F32 safetensors file. */
export function buildSafetensors(
  tensors: { name: string; shape: number[]; data: Float32Array }[],
): Uint8Array {
  const header: Record<string, unknown> = {};
  let off = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [off, off + t.data.byteLength] };
    off += t.data.byteLength;
  }
  let hb = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (hb.byteLength % 8)) % 8;
  if (pad) hb = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + hb.byteLength + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.byteLength), true);
  out.set(hb, 8);
  let p = 8 + hb.byteLength;
  for (const t of tensors) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), p);
    p += t.data.byteLength;
  }
  return out;
}

export function json(v: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(v));
}
