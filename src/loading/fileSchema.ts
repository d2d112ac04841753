// Checking an untrusted file (a model pack's JSON, models/index.json, a benchmark result) against
// its valibot schema. The first problem found becomes one error that names the file and the
// field, e.g. `config.json: files[3].name must be a plain file name`, so the person at the
// keyboard knows what to fix and the view never receives data of the wrong shape.
import * as v from 'valibot';

/** A file whose content does not have the shape its schema requires. */
export class FileFormatError extends Error {
  readonly file: string;
  /** The offending field as a path (`models[2].id`), or null for the file as a whole. */
  readonly field: string | null;
  constructor(file: string, message: string, field: string | null = null) {
    super(`${file}: ${message}`);
    this.name = 'FileFormatError';
    this.file = file;
    this.field = field;
  }
}

type PathItem = { key: unknown };

const OBJECT_TYPES = new Set(['object', 'loose_object', 'strict_object', 'object_with_rest']);

/** `skills.sort[3].prompt` from valibot's issue path. */
export function fieldPath(path: readonly PathItem[] | undefined): string {
  let out = '';
  for (const item of path ?? []) {
    const key = item.key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** JSON-ish text of a rejected value for a message, short enough to read. */
export function shown(value: unknown): string {
  let s: string;
  try {
    s = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export type MakeFileError = (file: string, message: string, field: string | null) => Error;

const formatError: MakeFileError = (file, message, field) =>
  new FileFormatError(file, message, field);

export type ParseFileOptions = {
  /** The error to throw (default FileFormatError; pack files throw PackError). */
  makeError?: MakeFileError;
  /** Where `input` sits in the file, put before every field path (`layers.0.router.weight`). */
  at?: string;
};

/**
 * `input` as the schema's output type, or an error for the first problem: the schema's message
 * (written without the field's name, e.g. "must be a positive integer") after the field's path.
 */
export function parseFile<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  file: string,
  options: ParseFileOptions = {},
): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const inner = fieldPath(issue.path as PathItem[] | undefined);
  const field =
    options.at === undefined
      ? inner
      : inner === ''
        ? options.at
        : inner.startsWith('[')
          ? options.at + inner
          : `${options.at}.${inner}`;
  // valibot reports a missing key with the enclosing object's message; say what happened instead.
  const missing = OBJECT_TYPES.has(issue.type) && inner !== '' && issue.input === undefined;
  const said = missing ? 'is missing' : issue.message;
  const message = field ? `${field} ${said}` : said;
  throw (options.makeError ?? formatError)(file, message, field || null);
}

/** JSON text to a value, or an error naming the file. */
export function parseJsonText(
  text: string,
  file: string,
  makeError: MakeFileError = formatError,
): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw makeError(
      file,
      `not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      null,
    );
  }
}
