import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../model/config';
import { parseEvalSets } from '../../model/pack';
import {
  describeChars,
  formatsFromEvalSets,
  promptHint,
  tagWord,
  trainedOnLine,
  type PromptFormat,
} from './promptFormats';

/** The default pack's own evaluation set, as the engine parses it. */
function packFormats(pack = 'mixtral-style'): PromptFormat[] {
  const dir = new URL(`../../../public/models/${pack}/`, import.meta.url);
  const config = parseConfig(readFileSync(new URL('config.json', dir), 'utf8'));
  const evalJson: unknown = JSON.parse(readFileSync(new URL('eval.json', dir), 'utf8'));
  return formatsFromEvalSets(parseEvalSets(evalJson, config.skills), config.skills);
}

describe('formats read from a pack', () => {
  const formats = packFormats();
  const bySkill = (s: string) => formats.find((f) => f.skill === s)!;

  it('one per skill of the pack, in its order, each from a real held-out prompt', () => {
    const dir = new URL('../../../public/models/mixtral-style/', import.meta.url);
    const config = parseConfig(readFileSync(new URL('config.json', dir), 'utf8'));
    expect(formats.map((f) => f.skill)).toEqual(config.skills);
    const evalJson = JSON.parse(readFileSync(new URL('eval.json', dir), 'utf8')) as {
      skills: Record<string, { prompt: string }[]>;
    };
    for (const f of formats) expect(f.example.prompt).toBe(evalJson.skills[f.skill]![0]!.prompt);
  });

  it('find each skill’s tag and ending, whatever the skill is called', () => {
    expect([bySkill('add').lead, bySkill('add').ending]).toEqual(['add: ', '=']);
    expect([bySkill('sort').lead, bySkill('sort').ending]).toEqual(['sort: ', ' -> ']);
    // The skills whose tag is not their name: the chips must say both.
    expect(tagWord(bySkill('english').lead)).toBe('story');
    expect(tagWord(bySkill('brackets').lead)).toBe('close');
    expect(tagWord(bySkill('dates').lead)).toBe('date');
    // "? -> " is shared by every story prompt; the ending starts at its space.
    expect(bySkill('english').ending).toBe(' -> ');
  });

  it('know which characters and lengths each skill’s text holds', () => {
    expect(describeChars(bySkill('sort').bodyChars!)).toBe('lowercase letters');
    expect(describeChars(bySkill('add').bodyChars!)).toBe('digits and “+”');
    expect(bySkill('add').bodyLength).toEqual({ min: 3, max: 5 });
  });

  it('the line on what it was trained on names every skill and the odd tags', () => {
    const line = trainedOnLine(formats);
    expect(line).toContain(`${formats.length} skills`);
    for (const f of formats) expect(line).toContain(f.skill);
    expect(line).toContain('english (“story:”)');
    expect(line).not.toContain('add (“add:”)');
  });

  it('every held-out prompt of the pack matches its own format', () => {
    const dir = new URL('../../../public/models/mixtral-style/', import.meta.url);
    const evalJson = JSON.parse(readFileSync(new URL('eval.json', dir), 'utf8')) as {
      skills: Record<string, { prompt: string }[]>;
    };
    for (const [skill, items] of Object.entries(evalJson.skills))
      for (const { prompt } of items) {
        const hint = promptHint(prompt, formats);
        expect(hint?.kind, prompt).toBe('match');
        expect(hint?.format?.skill, prompt).toBe(skill);
      }
  });

  it('every pack yields its formats', () => {
    for (const pack of ['fine-grained', 'shared-expert', 'dense'])
      expect(packFormats(pack).length, pack).toBeGreaterThan(0);
  });
});

describe('promptHint', () => {
  const formats = packFormats();

  it('is silent for an empty prompt', () => {
    expect(promptHint('', formats)).toBeNull();
    expect(promptHint('  ', formats)).toBeNull();
  });

  it('the issue’s "sort: 5 3 9 1": no ending, and characters sort never saw', () => {
    const h = promptHint('sort: 5 3 9 1', formats)!;
    expect(h.kind).toBe('off-format');
    if (h.kind !== 'off-format') return;
    expect(h.problems).toHaveLength(2);
    expect(h.text).toContain('“ -> ”');
    expect(h.text).toContain('lowercase letters');
    expect(h.text).toContain('“5”');
    expect(h.text).toContain('“sort: ags -> ”');
  });

  it('an ending typed without its space is named as such', () => {
    const h = promptHint('sort: dcba ->', formats)!;
    expect(h.kind).toBe('off-format');
    expect(h.text).toContain('needs the space after “->”');
    if (h.kind === 'off-format') expect(h.problems).toHaveLength(1);
  });

  it('a text longer than any the skill saw', () => {
    const h = promptHint('add: 1234+5678=', formats)!;
    expect(h.kind).toBe('off-format');
    expect(h.text).toContain('3–5 characters');
    expect(h.text).toContain('holds 9');
  });

  it('a skill named by its name or in capitals points at its real tag', () => {
    expect(promptHint('english: tom has a dog', formats)).toMatchObject({
      kind: 'no-format',
      format: { skill: 'english' },
    });
    expect(promptHint('english: tom has a dog', formats)!.text).toContain('“story: ”');
    expect(promptHint('Add: 2+3=', formats)!.text).toContain('“add: ”');
  });

  it('free text gets a hint listing every format, and no verdict on a skill', () => {
    const h = promptHint('What is a mixture of experts?', formats)!;
    expect(h).toMatchObject({ kind: 'no-format', format: null });
    for (const f of formats) expect(h.text).toContain(`“${f.lead.trim()}”`);
  });

  it('with one example per skill only, checks the tag alone', () => {
    const one = formatsFromEvalSets({ add: [{ prompt: 'add: 1+2=', expected: '3' }] });
    expect(one[0]).toMatchObject({ lead: 'add: ', ending: null, bodyChars: null });
    expect(promptHint('add: 40+2=', one)?.kind).toBe('match');
    expect(promptHint('mul: 4*2=', one)?.kind).toBe('no-format');
  });
});
