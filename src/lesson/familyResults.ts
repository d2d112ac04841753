// `models/family.json` (tools/train/family_card.py): measured results of trained models whose
// packs are not in the lab — an equal-compute family (E = 1 … 32 experts, the same active FFN
// width and the same training steps, two seeds each) and three E = 8 runs that differ only in
// load balancing. Pure: parsing (a malformed file is an error naming the field, never a crash),
// chart data, and the sentences the lesson shows, every number computed from the file — if the
// data goes against the expected effect, the sentence says so.
import * as v from 'valibot';
import { formatNumber } from '../charts/format';
import { FileFormatError, parseFile, parseJsonText } from '../loading/fileSchema';
import {
  finiteNumber,
  list,
  nonEmptyList,
  nonNegativeInt,
  positiveInt,
  text,
} from '../loading/fieldSchemas';

export const FAMILY_FILE = 'family.json';

const share = () =>
  v.pipe(
    v.number('must be a share between 0 and 1'),
    v.finite('must be a share between 0 and 1'),
    v.minValue(0, 'must be a share between 0 and 1'),
    v.maxValue(1, 'must be a share between 0 and 1'),
  );

const SeedSchema = v.object(
  {
    seed: nonNegativeInt(),
    run: v.optional(text(200), ''),
    val_loss: v.pipe(finiteNumber(), v.minValue(0, 'must not be negative')),
    val_loss_skills10: v.optional(v.nullable(finiteNumber()), null),
    fact_accuracy: v.optional(v.nullable(share()), null),
    mean_accuracy_skills10: v.optional(v.nullable(share()), null),
  },
  'must be an object with a seed and its val_loss',
);

const MemberSchema = v.object(
  {
    experts: positiveInt(4096),
    top_k: positiveInt(64),
    expert_ffn: v.optional(positiveInt(), 0),
    params: v.object(
      { total: positiveInt(), active: positiveInt() },
      'must be an object {total, active}',
    ),
    seeds: nonEmptyList(SeedSchema, 'a list of seeds'),
  },
  'must be an object describing one family member',
);

const BALANCINGS = ['none', 'aux_loss', 'bias'] as const;
export type Balancing = (typeof BALANCINGS)[number];

const BalanceRunSchema = v.object(
  {
    run: text(200),
    experts: positiveInt(4096),
    top_k: positiveInt(64),
    balancing: v.picklist(BALANCINGS, 'must be "none", "aux_loss" or "bias"'),
    balancing_label: v.optional(text(200), ''),
    aux_coef: v.optional(finiteNumber(), 0),
    bias_gamma: v.optional(finiteNumber(), 0),
    load: nonEmptyList(nonEmptyList(share(), 'a list of expert shares'), 'a list of layers'),
    max_over_mean_per_layer: v.optional(list(finiteNumber()), []),
    dead_experts_per_layer: v.optional(list(nonNegativeInt()), []),
    tokens: v.optional(nonNegativeInt(), 0),
    val_loss: v.optional(v.nullable(finiteNumber()), null),
    fact_accuracy: v.optional(v.nullable(share()), null),
    mean_accuracy_skills10: v.optional(v.nullable(share()), null),
  },
  'must be an object describing one balance run',
);

/** A second run with a bigger fact table and more steps: does the fact skill need capacity? */
const CapacityRunSchema = v.object(
  {
    name: v.optional(text(200), ''),
    date: v.optional(v.nullable(text(40)), null),
    device: v.optional(v.nullable(text(200)), null),
    steps: positiveInt(),
    batch: v.optional(positiveInt(), 1),
    facts: positiveInt(),
    fact_share: v.optional(share(), 0),
    fact_eval: v.optional(nonNegativeInt(), 0),
    exposures_per_fact: v.optional(v.nullable(finiteNumber()), null),
    sizes: nonEmptyList(
      v.object(
        {
          experts: positiveInt(4096),
          params: v.object(
            { total: positiveInt(), active: positiveInt() },
            'must be an object {total, active}',
          ),
          seeds: nonEmptyList(
            v.object(
              {
                seed: nonNegativeInt(),
                fact_accuracy: share(),
                mean_accuracy_skills10: v.optional(v.nullable(share()), null),
                val_loss: v.optional(v.nullable(finiteNumber()), null),
              },
              'must be an object with a seed and its fact_accuracy',
            ),
            'a list of seeds',
          ),
        },
        'must be an object describing one size',
      ),
      'a list of sizes',
      64,
    ),
  },
  'must be an object describing the capacity run',
);

const FamilyFileSchema = v.object(
  {
    format_version: positiveInt(1000),
    source: v.object(
      {
        name: v.optional(text(200), ''),
        description: v.optional(text(5000), ''),
        date: v.optional(v.nullable(text(40)), null),
        device: v.optional(v.nullable(text(200)), null),
        steps: v.optional(v.union([positiveInt(), list(positiveInt())]), 0),
        batch: v.optional(positiveInt(), 1),
        facts: v.optional(nonNegativeInt(), 0),
        fact_eval: v.optional(nonNegativeInt(), 0),
      },
      'must be an object describing the training run',
    ),
    family: nonEmptyList(MemberSchema, 'a list of family members', 64),
    balance: v.optional(list(BalanceRunSchema, 'a list of balance runs', 64), []),
    capacity: v.optional(v.nullable(CapacityRunSchema), null),
  },
  'must be a JSON object',
);

export type FamilyResults = v.InferOutput<typeof FamilyFileSchema>;
export type FamilyMember = FamilyResults['family'][number];
export type BalanceRun = FamilyResults['balance'][number];

/** A file the lab reads in one version only. */
export const FAMILY_FORMAT_VERSION = 1;

const fail = (message: string, field: string | null = null) =>
  new FileFormatError(FAMILY_FILE, message, field);

/** family.json (text or parsed JSON) checked field by field; sizes listed once, in order of E. */
export function parseFamilyResults(input: string | unknown): FamilyResults {
  const raw = typeof input === 'string' ? parseJsonText(input, FAMILY_FILE) : input;
  const data = parseFile(FamilyFileSchema, raw, FAMILY_FILE);
  if (data.format_version !== FAMILY_FORMAT_VERSION)
    throw fail(
      `format_version ${data.format_version} is not one this lab reads (${FAMILY_FORMAT_VERSION})`,
      'format_version',
    );
  data.family.forEach((m, i) => {
    if (i > 0 && m.experts <= data.family[i - 1]!.experts)
      throw fail(
        `family[${i}].experts ${m.experts} must be larger than the size before it (${data.family[i - 1]!.experts})`,
        `family[${i}].experts`,
      );
    if (m.top_k > m.experts)
      throw fail(`family[${i}].top_k ${m.top_k} is more than its ${m.experts} experts`);
    if (m.params.active > m.params.total)
      throw fail(
        `family[${i}].params.active is more than params.total`,
        `family[${i}].params.active`,
      );
  });
  data.balance.forEach((b, i) => {
    b.load.forEach((layer, l) => {
      if (layer.length !== b.experts)
        throw fail(
          `balance[${i}].load[${l}] has ${layer.length} shares for ${b.experts} experts`,
          `balance[${i}].load[${l}]`,
        );
    });
  });
  return data;
}

/** Fetches family.json (browser or Node fetch); a failed request is an error naming the file. */
export async function fetchFamilyResults(
  url: string,
  options: { fetch?: (url: string) => Promise<Response> } = {},
): Promise<FamilyResults> {
  const f = options.fetch ?? ((u: string) => fetch(u));
  let res: Response;
  try {
    res = await f(url);
  } catch (err) {
    throw fail(
      `could not be fetched from ${url} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (!res.ok) throw fail(`could not be fetched from ${url} (HTTP ${res.status})`);
  return parseFamilyResults(await res.text());
}

// ---- numbers --------------------------------------------------------------------------------

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const loss3 = (x: number) => x.toFixed(3);
const pct1 = (x: number) => `${(100 * x).toFixed(1)} %`;
const WORDS = [
  'no',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];
const word = (n: number) => WORDS[n] ?? String(n);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "dense" for E = 1, else "32 experts". */
export function sizeName(experts: number): string {
  return experts === 1 ? 'dense' : `${experts} experts`;
}

export type FamilyAxis = 'experts' | 'params';

export type FamilyPoint = {
  experts: number;
  topK: number;
  /** Where the point sits on the x axis: E, or total parameters. */
  x: number;
  totalParams: number;
  activeParams: number;
  mean: number;
  min: number;
  max: number;
  seeds: { seed: number; valLoss: number }[];
};

/** Validation loss per size: the mean over seeds and the seeds' min–max, at x = E or total params. */
export function familyChartData(data: FamilyResults, axis: FamilyAxis): FamilyPoint[] {
  return data.family.map((m) => {
    const losses = m.seeds.map((s) => s.val_loss);
    return {
      experts: m.experts,
      topK: m.top_k,
      x: axis === 'experts' ? m.experts : m.params.total,
      totalParams: m.params.total,
      activeParams: m.params.active,
      mean: mean(losses),
      min: Math.min(...losses),
      max: Math.max(...losses),
      seeds: m.seeds.map((s) => ({ seed: s.seed, valLoss: s.val_loss })),
    };
  });
}

/** The y range to draw: every seed inside, with a margin; it does not start at 0 (said in words). */
export function familyLossDomain(points: readonly FamilyPoint[]): [number, number] {
  const lo = Math.min(...points.map((p) => p.min));
  const hi = Math.max(...points.map((p) => p.max));
  const pad = Math.max((hi - lo) * 0.15, 0.002);
  return [lo - pad, hi + pad];
}

type Spread = { gap: number; spread: number; first: number; last: number };

/** Means of the smallest and largest size, and the largest seed-to-seed difference of any size. */
function compare(data: FamilyResults, pick: (s: FamilyMember['seeds'][number]) => number | null) {
  const per = data.family.map((m) => m.seeds.map(pick).filter((x): x is number => x !== null));
  if (per[0]!.length === 0 || per[per.length - 1]!.length === 0) return null;
  const first = mean(per[0]!);
  const last = mean(per[per.length - 1]!);
  const spread = Math.max(
    ...per.filter((p) => p.length).map((p) => Math.max(...p) - Math.min(...p)),
  );
  return { gap: first - last, spread, first, last } satisfies Spread;
}

/** The sentence chapter 1 shows under the family chart. */
export function familySentence(data: FamilyResults): string {
  const fam = data.family;
  const small = fam[0]!;
  const large = fam[fam.length - 1]!;
  const nSeeds = Math.min(...fam.map((m) => m.seeds.length));
  const seedsWord = nSeeds === 2 ? 'the two seeds' : `the ${word(nSeeds)} seeds`;
  const loss = compare(data, (s) => s.val_loss)!;
  const parts: string[] = [];
  const active = fam.map((m) => m.params.active);
  const [aLo, aHi] = [Math.min(...active), Math.max(...active)];
  const lead =
    aHi === aLo
      ? `At the same active parameters and the same training steps, validation loss`
      : aHi / aLo <= 1.05
        ? `At nearly the same active parameters (${formatNumber(aLo)} to ${formatNumber(aHi)} a token: only the router grows with E) and the same training steps, validation loss`
        : `With active parameters from ${formatNumber(aLo)} to ${formatNumber(aHi)} a token (not equal compute) and the same training steps, validation loss`;
  if (fam.length === 1) {
    return `Only one size (${sizeName(small.experts)}) was measured: validation loss ${loss3(loss.first)}.`;
  }
  // The gap as a reader computes it from the two numbers shown.
  const shownGap = Number(loss3(loss.first)) - Number(loss3(loss.last));
  if (loss.gap > 0) {
    parts.push(
      `${lead} falls from ${loss3(loss.first)} (${sizeName(small.experts)}) to ${loss3(loss.last)} with ${sizeName(large.experts)}`,
    );
    const spreadText =
      nSeeds > 1
        ? `${seedsWord} of one size differ by at most ${loss3(loss.spread)}`
        : 'with one seed per size there is no run-to-run spread to compare';
    if (nSeeds > 1 && loss.gap > loss.spread)
      parts.push(`; ${spreadText}, so the gap (${loss3(shownGap)}) is larger than the seed noise.`);
    else if (nSeeds > 1)
      parts.push(`; but ${spreadText}, so this gap (${loss3(shownGap)}) is within the seed noise.`);
    else parts.push(`; ${spreadText}.`);
  } else {
    parts.push(
      `${lead} does not fall with more experts here: ${loss3(loss.first)} (${sizeName(small.experts)}) against ${loss3(loss.last)} with ${sizeName(large.experts)} — the opposite of the expected effect`,
    );
    parts.push(
      nSeeds > 1 ? ` (${seedsWord} of one size differ by at most ${loss3(loss.spread)}).` : '.',
    );
  }
  // Where adding experts did not lower the loss (at the precision shown).
  const means = fam.map((m) => mean(m.seeds.map((s) => s.val_loss)));
  const flat: string[] = [];
  for (let i = 1; i < fam.length; i++) {
    if (loss.gap > 0 && Number(loss3(means[i]!)) >= Number(loss3(means[i - 1]!)))
      flat.push(
        `${loss3(means[i - 1]!)} with ${sizeName(fam[i - 1]!.experts)}, ${loss3(means[i]!)} with ${fam[i]!.experts}`,
      );
  }
  if (flat.length) parts.push(` It does not fall at every step (${flat.join('; ')}).`);
  const fact = compare(data, (s) => s.fact_accuracy);
  if (fact) {
    const points = (x: number) => `${Math.abs(x).toFixed(1)} points`;
    const p1 = (x: number) => Number((100 * x).toFixed(1));
    const gapPoints = p1(fact.first) - p1(fact.last);
    const spreadPoints = 100 * fact.spread;
    const range = (m: FamilyMember) => {
      const f = m.seeds.map((s) => s.fact_accuracy).filter((x): x is number => x !== null);
      if (f.length < 2) return '';
      const [lo, hi] = [Math.min(...f), Math.max(...f)];
      return lo === hi
        ? ` (every seed)`
        : ` (seeds ${(100 * lo).toFixed(1)}–${(100 * hi).toFixed(1)} %)`;
    };
    const facts = data.source.fact_eval
      ? `${data.source.fact_eval} sampled trained facts`
      : 'facts';
    const both = `${sizeName(small.experts)} recalls ${pct1(fact.first)} of the ${facts}${range(small)}, ${sizeName(large.experts)} ${pct1(fact.last)}${range(large)}`;
    if (-fact.gap > fact.spread && nSeeds > 1)
      parts.push(
        ` The fact skill separates the sizes: ${both}, a gap of ${points(gapPoints)}, more than the ${points(spreadPoints)} between seeds.`,
      );
    else if (fact.gap > fact.spread)
      parts.push(
        ` The fact skill goes the other way here: ${both} — fewer experts recall more, against the expected effect.`,
      );
    else
      parts.push(
        ` The fact skill does not separate here: ${both}, a gap of ${points(gapPoints)}, ${nSeeds > 1 ? `no more than the ${points(spreadPoints)} between two seeds of one size` : 'with no seed spread to compare'}.`,
      );
  }
  return parts.join('');
}

// ---- balance --------------------------------------------------------------------------------

export type BalanceRow = {
  run: string;
  balancing: Balancing;
  label: string;
  /** Share of the layer's routing choices per expert (sums to 1). */
  shares: number[];
  /** Busiest expert's share over the even share 1/E (1 = balanced). */
  maxOverMean: number;
  /** Experts under 10 % of the even share. */
  dead: number[];
  valLoss: number | null;
};

/** Below this fraction of the even share an expert counts as dead (as train.py counts it). */
export const DEAD_BELOW = 0.1;

/** Per-expert load of one layer for every balance run, in the file's order. */
export function balanceRows(data: FamilyResults, layer = 0): BalanceRow[] {
  return data.balance
    .filter((b) => b.load.length > layer)
    .map((b) => {
      const raw = b.load[layer]!;
      const total = raw.reduce((a, c) => a + c, 0) || 1;
      const shares = raw.map((x) => x / total);
      const even = 1 / shares.length;
      return {
        run: b.run,
        balancing: b.balancing,
        label: balancingName(b),
        shares,
        maxOverMean: Math.max(...shares) / even,
        dead: shares.flatMap((s, e) => (s < DEAD_BELOW * even ? [e] : [])),
        valLoss: b.val_loss,
      };
    });
}

export function balancingName(b: Pick<BalanceRun, 'balancing' | 'aux_coef' | 'bias_gamma'>) {
  if (b.balancing === 'none') return 'no balancing loss';
  if (b.balancing === 'aux_loss') return `auxiliary loss (coefficient ${b.aux_coef})`;
  return `DeepSeek-V3's bias (γ = ${b.bias_gamma}, no auxiliary loss)`;
}

const WITH: Record<Balancing, string> = {
  none: 'without balancing',
  aux_loss: 'with the auxiliary loss',
  bias: 'with the bias',
};

/** The sentence chapter 5 shows under the three runs' loads. */
export function balanceSentence(data: FamilyResults, layer = 0): string {
  const rows = balanceRows(data, layer);
  if (rows.length === 0) return 'No balance runs were measured.';
  const E = rows[0]!.shares.length;
  const even = pct1(1 / E);
  const parts: string[] = [];
  const none = rows.find((r) => r.balancing === 'none');
  const others = rows.filter((r) => r !== none);
  if (none) {
    const busiest = Math.max(...none.shares);
    if (none.dead.length)
      parts.push(
        `Without a balancing loss ${word(none.dead.length)} of ${word(E)} experts of layer ${layer} get almost no tokens (${none.dead.map((e) => `expert ${e}: ${pct1(none.shares[e]!)}`).join(', ')} of the choices, against ${even} each if even), and the busiest gets ${pct1(busiest)}, ${none.maxOverMean.toFixed(2)}× its even share.`,
      );
    else
      parts.push(
        `Without a balancing loss no expert of layer ${layer} is left idle here; the busiest gets ${pct1(busiest)}, ${none.maxOverMean.toFixed(2)}× its even share of ${even}.`,
      );
  }
  for (const r of others) {
    const lo = Math.min(...r.shares);
    const hi = Math.max(...r.shares);
    parts.push(
      `With ${r.balancing === 'aux_loss' ? 'the ' : ''}${r.label} the loads are ${pct1(lo)}–${pct1(hi)} (busiest ${r.maxOverMean.toFixed(2)}× even)${r.dead.length ? `, ${word(r.dead.length)} dead` : ''}.`,
    );
  }
  if (none && others.length && others.some((o) => o.maxOverMean >= none.maxOverMean))
    parts.push(
      'Here balancing did not make every run flatter than the run without it — against the expected effect.',
    );
  const withLoss = rows.filter((r) => r.valLoss !== null);
  if (withLoss.length > 1)
    parts.push(
      `Validation loss: ${withLoss.map((r) => `${loss3(r.valLoss!)} ${WITH[r.balancing]}`).join(', ')}.`,
    );
  return capital(parts.join(' '));
}

export type CapacityPoint = {
  experts: number;
  totalParams: number;
  activeParams: number;
  /** Fact recall, a share of the sampled facts (0–1): the mean over seeds, and their min–max. */
  mean: number;
  min: number;
  max: number;
  /** max − min: how far the seeds of this size are apart. */
  spread: number;
  seeds: { seed: number; recall: number }[];
};

/** The capacity chart: one point per size in order of E, or why there is nothing to draw. */
export type CapacityChart =
  | {
      status: 'ready';
      points: CapacityPoint[];
      /** The most seeds any size has (the legend says "mean of N seeds"). */
      seedCount: number;
      /** Every seed of any size, in order: a seed keeps its mark from size to size. */
      seedIds: number[];
      /** The largest seed-to-seed difference of any size, and that size. */
      maxSpread: { experts: number; spread: number };
      /** How many trained facts each recall was measured on (0: not stated). */
      factEval: number;
    }
  | { status: 'missing'; message: string };

/**
 * Fact recall against the number of experts, from the capacity run (a bigger fact table, more
 * steps): per size the mean over seeds, the seeds' min–max, and every seed. Without the run, or
 * with fewer than two sizes, a plain reason instead of a chart.
 */
export function capacityChartData(data: FamilyResults): CapacityChart {
  const c = data.capacity;
  if (!c)
    return {
      status: 'missing',
      message:
        'The capacity run (fact recall against the number of experts) is not in models/family.json, so there is no chart of it.',
    };
  if (c.sizes.length < 2)
    return {
      status: 'missing',
      message: `The capacity run measured one size only (${sizeName(c.sizes[0]!.experts)}), so there is no chart of fact recall against the number of experts.`,
    };
  const points = [...c.sizes]
    .sort((a, b) => a.experts - b.experts)
    .map((m): CapacityPoint => {
      const f = m.seeds.map((s) => s.fact_accuracy);
      const [lo, hi] = [Math.min(...f), Math.max(...f)];
      return {
        experts: m.experts,
        totalParams: m.params.total,
        activeParams: m.params.active,
        mean: mean(f),
        min: lo,
        max: hi,
        spread: hi - lo,
        seeds: m.seeds.map((s) => ({ seed: s.seed, recall: s.fact_accuracy })),
      };
    });
  const widest = points.reduce((a, p) => (p.spread > a.spread ? p : a), points[0]!);
  return {
    status: 'ready',
    points,
    seedCount: Math.max(...points.map((p) => p.seeds.length)),
    seedIds: [...new Set(points.flatMap((p) => p.seeds.map((s) => s.seed)))].sort((a, b) => a - b),
    maxSpread: { experts: widest.experts, spread: widest.spread },
    factEval: c.fact_eval,
  };
}

/**
 * The capacity run's sentence (null without one): the smallest and the largest size's fact
 * recall, each over its seeds, whether their gap is larger than the seeds' spread, and the sizes
 * between — whether recall rose at every step up in experts. Its numbers are the chart's
 * (capacityChartData).
 */
export function capacitySentence(data: FamilyResults): string | null {
  const c = data.capacity;
  const chart = capacityChartData(data);
  if (!c || chart.status !== 'ready') return null;
  const sizes = chart.points;
  const a = sizes[0]!;
  const b = sizes[sizes.length - 1]!;
  const spread = Math.max(a.spread, b.spread);
  const range = (x: { min: number; max: number }) =>
    x.min === x.max ? ' (every seed)' : ` (seeds ${pct1(x.min)}–${pct1(x.max)})`;
  const setting = `With a bigger table — ${c.facts.toLocaleString('en')} six-digit facts, ${c.steps} steps${c.exposures_per_fact ? `, each fact seen about ${Math.round(c.exposures_per_fact)} times` : ''} —`;
  const both = `${sizeName(a.experts)} recalls ${pct1(a.mean)}${range(a)} and ${sizeName(b.experts)} ${pct1(b.mean)}${range(b)}, at nearly the same active parameters`;
  const gap = 100 * (b.mean - a.mean);
  const noise = 100 * spread;
  const between = sizes.slice(1, -1);
  const means = sizes.map((m) => m.mean);
  const rising = means.every((x, i) => i === 0 || x > means[i - 1]!);
  const midSpread = 100 * Math.max(0, ...between.map((m) => m.spread));
  const middle =
    between.length === 0
      ? ''
      : ` In between: ${between.map((m) => `${sizeName(m.experts)} ${pct1(m.mean)}`).join(', ')}${
          midSpread > noise ? ` (their seeds differ by up to ${midSpread.toFixed(1)} points)` : ''
        }${
          rising
            ? ' — recall rose at every step up in experts.'
            : ' — recall did not rise at every step up in experts.'
        }`;
  if (gap > noise)
    return `${setting} the fact skill needs the experts' parameters: ${both}; a gap of ${gap.toFixed(1)} points against ${noise.toFixed(1)} between seeds.${middle}`;
  if (-gap > noise)
    return `${setting} the fact skill goes the other way: ${both} — fewer experts recall more, against the expected effect.${middle}`;
  return `${setting} the fact skill still does not separate: ${both}; the gap of ${Math.abs(gap).toFixed(1)} points is within the ${noise.toFixed(1)} between seeds.${middle}`;
}
