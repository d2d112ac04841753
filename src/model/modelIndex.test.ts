// models/index.json is untrusted (issue 24, class 4): an entry that is null, a number, a string or
// `{"id": 5}` must be refused with the file and field named, never handed to the Model view.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PackError } from './config';
import { fetchModelIndex, type FetchLike } from './loader';
import { parseModelIndex } from './modelIndex';
import { MODELS_DIR } from './testing/diskPack';

const committed = JSON.parse(readFileSync(`${MODELS_DIR}index.json`, 'utf8')) as {
  models: unknown[];
} & Record<string, unknown>;

const serving =
  (json: unknown): FetchLike =>
  async () =>
    new Response(JSON.stringify(json));

describe('models/index.json', () => {
  it('reads the committed index', async () => {
    const index = await fetchModelIndex('http://lab.test/models/index.json', {
      fetch: serving(committed),
    });
    expect(index.models.map((m) => m.id)).toContain(index.default);
    expect(index.models.every((m) => m.path === `${m.id}/`)).toBe(true);
  });

  it('refuses malformed entries, naming the file and the field', async () => {
    const cases: [unknown, string][] = [
      [null, 'index.json: models[1] must be an object describing a model pack (got null)'],
      [5, 'index.json: models[1] must be an object describing a model pack (got 5)'],
      ['dense', 'index.json: models[1] must be an object describing a model pack (got "dense")'],
      [{ id: 5 }, 'index.json: models[1].id must be a pack name (got 5)'],
      [
        { ...(committed.models[1] as object), id: '../../evil' },
        'index.json: models[1].id must be a pack name',
      ],
      [
        { ...(committed.models[1] as object), path: 'https://evil.example/' },
        "index.json: models[1].path must be the pack's folder",
      ],
      [
        { ...(committed.models[1] as object), experts: 'many' },
        'index.json: models[1].experts must be a positive integer (got "many")',
      ],
      [
        { ...(committed.models[0] as object) },
        'index.json: models[1].id mixtral-style is listed twice',
      ],
    ];
    for (const [entry, message] of cases) {
      const models = [...committed.models];
      models[1] = entry;
      const err = await fetchModelIndex('http://lab.test/models/index.json', {
        fetch: serving({ ...committed, models }),
      }).catch((e: unknown) => e);
      expect(err, message).toBeInstanceOf(PackError);
      expect((err as PackError).message).toContain(message);
    }
  });

  it('refuses a file that is not an index', () => {
    expect(() => parseModelIndex('{')).toThrow(/^index\.json: not valid JSON/);
    expect(() => parseModelIndex('null')).toThrow('index.json: must be a JSON object');
    expect(() => parseModelIndex({ ...committed, models: 'all' })).toThrow(
      /^index\.json: models must be a list of model packs/,
    );
    expect(() => parseModelIndex({ ...committed, default: 'nope' })).toThrow(
      'index.json: default nope is not one of the listed models',
    );
  });
});
