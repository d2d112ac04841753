// The prompt formats a pack's model was trained on, read from the pack's own held-out prompts
// (eval.json): what every prompt of a skill starts and ends with, and which characters and
// lengths come between. From them, a gentle hint for a free-form prompt that fits none — the tiny
// model only ever saw these formats, so anything else gets junk. Pure, so it is unit-tested.

export type PromptExample = { prompt: string; expected: string };

export type PromptFormat = {
  /** The skill's name as the pack gives it. */
  skill: string;
  /** What every prompt of the skill starts with, e.g. "add: " or "story: ". */
  lead: string;
  /** What every prompt ends with, e.g. "=" or " -> "; null when one example cannot tell. */
  ending: string | null;
  /** A real held-out prompt of the skill and its expected answer. */
  example: PromptExample;
  /** Held-out prompts the format was read from. */
  examples: number;
  /** Characters between lead and ending over all examples (null with one example). */
  bodyChars: ReadonlySet<string> | null;
  /** Shortest and longest body over all examples (null with one example). */
  bodyLength: { min: number; max: number } | null;
};

function commonPrefix(texts: readonly string[]): string {
  let p = texts[0] ?? '';
  for (const t of texts) while (!t.startsWith(p)) p = p.slice(0, -1);
  return p;
}

function commonSuffix(texts: readonly string[]): string {
  let s = texts[0] ?? '';
  for (const t of texts) while (!t.endsWith(s)) s = s.slice(1);
  return s;
}

/** The lead: the shared start up to its tag's colon and the space after it, if any. */
function leadOf(prefix: string): string {
  const colon = prefix.indexOf(':');
  if (colon < 0) return prefix;
  return prefix.slice(0, colon + 1) + (prefix[colon + 1] === ' ' ? ' ' : '');
}

/** The ending: the shared end, from its first space when it has one (" -> ", not "? -> "). */
function endingOf(suffix: string): string {
  const space = suffix.indexOf(' ');
  return space > 0 ? suffix.slice(space) : suffix;
}

/** The word before the tag's colon ("story" for "story: "). */
export function tagWord(lead: string): string {
  return lead.replace(/:?\s*$/, '');
}

/**
 * One format per skill, in the pack's skill order, from its held-out prompts. A skill with one
 * example (the engine's list, when the eval set could not be read) yields its lead only.
 */
export function formatsFromEvalSets(
  sets: Readonly<Record<string, readonly PromptExample[]>>,
  skills: readonly string[] = Object.keys(sets),
): PromptFormat[] {
  return skills.flatMap((skill) => {
    const items = sets[skill] ?? [];
    const first = items[0];
    if (!first) return [];
    const prompts = items.map((i) => i.prompt);
    const several = prompts.length > 1;
    const lead = leadOf(several ? commonPrefix(prompts) : first.prompt);
    const minLen = Math.min(...prompts.map((p) => p.length));
    // The ending may not eat into the lead of the shortest prompt.
    const room = minLen - lead.length;
    const ending = several ? endingOf(room > 0 ? commonSuffix(prompts).slice(-room) : '') : null;
    let bodyChars: Set<string> | null = null;
    let bodyLength: { min: number; max: number } | null = null;
    if (ending !== null) {
      bodyChars = new Set();
      let min = Infinity;
      let max = 0;
      for (const p of prompts) {
        const body = p.slice(lead.length, p.length - ending.length);
        for (const ch of body) bodyChars.add(ch);
        min = Math.min(min, body.length);
        max = Math.max(max, body.length);
      }
      bodyLength = { min, max };
    }
    return [
      {
        skill,
        lead,
        ending,
        example: { prompt: first.prompt, expected: first.expected },
        examples: items.length,
        bodyChars,
        bodyLength,
      },
    ];
  });
}

const quoted = (s: string) => `“${s}”`;

/** A set of characters in words: letter and digit classes, then the others themselves. */
export function describeChars(chars: ReadonlySet<string>): string {
  const all = [...chars];
  const parts: string[] = [];
  if (all.some((c) => /[a-z]/.test(c))) parts.push('lowercase letters');
  if (all.some((c) => /[A-Z]/.test(c))) parts.push('capital letters');
  if (all.some((c) => /[0-9]/.test(c))) parts.push('digits');
  if (chars.has(' ')) parts.push('spaces');
  const others = all.filter((c) => !/[a-zA-Z0-9 ]/.test(c)).sort();
  if (others.length > 0) parts.push(others.map((c) => quoted(c)).join(' '));
  if (parts.length <= 1) return parts[0] ?? 'nothing';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

const shownChar = (c: string) => (c === ' ' ? 'a space' : quoted(c));

/** One sentence on what the model was trained on, from its formats. */
export function trainedOnLine(formats: readonly PromptFormat[]): string {
  if (formats.length === 0) return '';
  const names = formats.map((f) =>
    tagWord(f.lead) === f.skill ? f.skill : `${f.skill} (${quoted(f.lead.trim())})`,
  );
  const list =
    names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  return `This model was trained on ${formats.length} skill${formats.length === 1 ? '' : 's'} only — ${list} — each with its own prompt format; anything else it has never seen.`;
}

export type PromptHint =
  | { kind: 'match'; format: PromptFormat; text: string }
  | { kind: 'off-format'; format: PromptFormat; problems: string[]; text: string }
  | { kind: 'no-format'; format: PromptFormat | null; text: string };

/**
 * How a prompt sits against the formats: null for an empty prompt, 'match' when it has a
 * format's lead, ending, characters and length, 'off-format' when it has a lead but breaks the
 * rest, 'no-format' when it starts like none (with the nearest format when its first word names
 * one, ignoring case, by tag or by skill).
 */
export function promptHint(prompt: string, formats: readonly PromptFormat[]): PromptHint | null {
  if (prompt.trim() === '' || formats.length === 0) return null;
  const format = formats.find((f) => prompt.startsWith(f.lead));
  if (format) {
    const problems: string[] = [];
    const { ending, bodyChars, bodyLength } = format;
    const hasEnding = ending === null || prompt.endsWith(ending);
    // An ending typed without its trailing space still marks where the text stops.
    const trimmedEnd = ending?.trimEnd() ?? '';
    const missingSpace = !hasEnding && trimmedEnd !== ending && prompt.endsWith(trimmedEnd);
    if (!hasEnding)
      problems.push(
        missingSpace
          ? `it needs the space after ${quoted(trimmedEnd.trim())}: they end with ${quoted(ending!)}`
          : `they end with ${quoted(ending!)}, after which the model writes its answer`,
      );
    if (ending !== null && bodyChars && bodyLength) {
      const cut = hasEnding ? ending.length : missingSpace ? trimmedEnd.length : 0;
      const body = prompt.slice(format.lead.length, prompt.length - cut);
      const unseen = [...new Set(body)].filter((c) => !bodyChars.has(c));
      if (unseen.length > 0)
        problems.push(
          `in its ${format.examples} held-out prompts they hold only ${describeChars(bodyChars)}, never ${unseen.slice(0, 4).map(shownChar).join(', ')}`,
        );
      const n = body.trimEnd().length;
      if (cut > 0 && (n < bodyLength.min || n > bodyLength.max))
        problems.push(
          `they hold ${bodyLength.min === bodyLength.max ? bodyLength.min : `${bodyLength.min}–${bodyLength.max}`} characters between ${quoted(format.lead)} and ${quoted(ending)}; this one holds ${n}`,
        );
    }
    if (problems.length === 0)
      return { kind: 'match', format, text: `Matches the ${format.skill} format.` };
    return {
      kind: 'off-format',
      format,
      problems,
      text: `Starts like the ${format.skill} prompts, but ${problems.join('; ')}. Expect a poor answer — the model only knows the trained format, e.g. ${quoted(format.example.prompt)}.`,
    };
  }
  const first = /^\s*([^\s:]+)/.exec(prompt)?.[1]?.toLowerCase() ?? '';
  const near =
    formats.find((f) => tagWord(f.lead).toLowerCase() === first) ??
    formats.find((f) => f.skill.toLowerCase() === first) ??
    null;
  if (near)
    return {
      kind: 'no-format',
      format: near,
      text: `The ${near.skill} prompts it was trained on start with ${quoted(near.lead)} exactly, e.g. ${quoted(near.example.prompt)}.`,
    };
  return {
    kind: 'no-format',
    format: null,
    text: `This prompt fits none of the ${formats.length} formats the model was trained on (${formats.map((f) => quoted(f.lead.trim())).join(' ')}), so expect junk: it has never seen free text. Pick a skill below for a real example.`,
  };
}
