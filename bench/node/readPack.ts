// Reads a model pack from a folder of packs (public/models/ by default) and validates it the way
// the browser does, hashes included. Node only: the bench CLI.
import { readFileSync } from 'node:fs';
import { validatePack, type ModelPack } from '../../src/model/pack';

type IndexJson = { default: string; models: { id: string; path: string }[] };

/** `id` absent: the index's default model. */
export async function readPack(
  modelsDir: string,
  id?: string,
): Promise<{ id: string; pack: ModelPack }> {
  const dir = modelsDir.endsWith('/') ? modelsDir : `${modelsDir}/`;
  const index = JSON.parse(readFileSync(`${dir}index.json`, 'utf8')) as IndexJson;
  const want = id ?? index.default;
  const entry = index.models.find((m) => m.id === want);
  if (!entry)
    throw new Error(
      `no model "${want}" in ${dir}index.json (has ${index.models.map((m) => m.id).join(', ')})`,
    );
  const packDir = `${dir}${entry.path.endsWith('/') ? entry.path : `${entry.path}/`}`;
  const cfgBytes = new Uint8Array(readFileSync(`${packDir}config.json`));
  const cfg = JSON.parse(new TextDecoder().decode(cfgBytes)) as { files: { name: string }[] };
  const files = new Map<string, Uint8Array>([['config.json', cfgBytes]]);
  for (const f of cfg.files) files.set(f.name, new Uint8Array(readFileSync(`${packDir}${f.name}`)));
  return { id: want, pack: await validatePack(files) };
}
