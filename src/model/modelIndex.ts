// `models/index.json`: the list of model packs the site serves (written by tools/train). The Model
// view draws it as a picker, so every entry is checked — an entry that is `null`, a number or
// `{"id": 5}` is an error naming the file and the field, never a crash in the view.
import * as v from 'valibot';
import { parseFile, parseJsonText, shown } from '../loading/fileSchema';
import { finiteNumber, list, nonNegativeInt, positiveInt, text } from '../loading/fieldSchemas';
import { PackError, packError } from './config';

export const INDEX_FILE = 'index.json';

/** A pack id doubles as its folder name: a plain name, nothing a URL could read as a path. */
const PACK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const packId = v.pipe(
  v.string((i) => `must be a pack name (got ${shown(i.input)})`),
  v.regex(
    PACK_ID,
    (i) => `must be a pack name: letters, digits, "_" and "-" (got ${shown(i.input)})`,
  ),
);

const ModelIndexEntrySchema = v.object(
  {
    id: packId,
    path: v.pipe(
      v.string((i) => `must be the pack's folder, "<id>/" (got ${shown(i.input)})`),
      v.regex(
        /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\/$/,
        (i) => `must be the pack's folder, "<id>/" (got ${shown(i.input)})`,
      ),
    ),
    description: v.optional(text(10_000), ''),
    bytes: nonNegativeInt(),
    experts: positiveInt(512),
    top_k: positiveInt(16),
    shared_ffn: nonNegativeInt(),
    layers: positiveInt(1024),
    hidden: positiveInt(1 << 16),
    mean_accuracy: v.optional(v.nullable(finiteNumber()), null),
    val_loss: v.optional(v.nullable(finiteNumber()), null),
  },
  (i) => `must be an object describing a model pack (got ${shown(i.input)})`,
);

export const ModelIndexSchema = v.object(
  {
    format_version: positiveInt(1000),
    default: packId,
    models: list(ModelIndexEntrySchema, 'a list of model packs', 1000),
  },
  'must be a JSON object',
);

export type ModelIndex = v.InferOutput<typeof ModelIndexSchema>;
export type ModelIndexEntry = ModelIndex['models'][number];

/** Parses index.json (text or parsed JSON); every pack is listed once and the default is one. */
export function parseModelIndex(input: string | unknown): ModelIndex {
  const raw = typeof input === 'string' ? parseJsonText(input, INDEX_FILE, packError) : input;
  const index = parseFile(ModelIndexSchema, raw, INDEX_FILE, { makeError: packError });
  const ids = new Set<string>();
  index.models.forEach((m, i) => {
    if (ids.has(m.id))
      throw new PackError(INDEX_FILE, `models[${i}].id ${m.id} is listed twice`, `models[${i}].id`);
    ids.add(m.id);
  });
  if (!ids.has(index.default))
    throw new PackError(
      INDEX_FILE,
      `default ${index.default} is not one of the listed models`,
      'default',
    );
  return index;
}
