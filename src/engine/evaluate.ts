// Per-skill accuracy on the pack's held-out evaluation sets: greedy completion of every prompt
// (all of them batched together, as a serving engine would), exact match with the expected text.
// Optionally the same pass tallies which experts each skill and character was routed to
// (src/viz/specialisation.ts), so specialisation is measured on the whole evaluation set.
import {
  routingOnly,
  tallySpecialisation,
  type RoutingStep,
  type Specialisation,
} from '../viz/specialisation';
import type { AnyBackend } from './backend';
import { generate, type TextCodec } from './generate';
import type { SkillScore } from './types';

export type EvalSets = Record<string, { prompt: string; expected: string }[]>;

export async function evaluateSkills<A>(
  backend: AnyBackend<A>,
  codec: TextCodec,
  maxContext: number,
  sets: EvalSets,
  perSkill: number,
  isCancelled: () => boolean = () => false,
  opts: { specialisation?: boolean } = {},
): Promise<{ scores: SkillScore[]; specialisation: Specialisation | null }> {
  const items = Object.entries(sets).flatMap(([skill, list]) =>
    list.slice(0, perSkill).map((it) => ({ skill, ...it })),
  );
  if (items.length === 0) return { scores: [], specialisation: null };
  const routing: RoutingStep[] = [];
  const maxTokens = Math.max(...items.map((it) => codec.encode(it.expected).length)) + 1;
  const result = await generate(
    backend,
    codec,
    maxContext,
    {
      prompts: items.map((it) => it.prompt),
      maxTokens,
      temperature: 0,
      topP: 1,
      stops: [],
      seed: 0,
      trace: opts.specialisation === true,
    },
    {
      isCancelled,
      traceInputs: false,
      onStep: opts.specialisation ? (t) => routing.push(routingOnly(t)) : undefined,
    },
  );
  const bySkill = new Map<string, SkillScore>();
  items.forEach((it, i) => {
    const score = bySkill.get(it.skill) ?? { skill: it.skill, correct: 0, total: 0, examples: [] };
    const got = result.texts[i] ?? '';
    score.total++;
    if (got === it.expected) score.correct++;
    if (score.examples.length < 3)
      score.examples.push({ prompt: it.prompt, expected: it.expected, got });
    bySkill.set(it.skill, score);
  });
  const specialisation = opts.specialisation
    ? tallySpecialisation(
        routing,
        items.map((it) => it.skill),
        items.map((it) => it.prompt),
        result.tokens,
      )
    : null;
  return { scores: [...bySkill.values()], specialisation };
}
