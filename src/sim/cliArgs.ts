// Command-line arguments → a SimInput plus what to print. Pure (no process, no I/O) so the
// parsing rules are tested directly; cli.ts does the printing and the exit codes.
import { DEFAULT_ENGINE } from './context';
import { ENGINE_IDS, ENGINE_RELEASES } from './engines';
import { HARDWARE } from './hardware';
import { LENGTH_DISTRIBUTIONS } from './lengths';
import { MODELS } from './models';
import { SWEEP_KEYS, type SweepKey } from './sweep';
import {
  ENDPOINTS,
  type Goal,
  type Interconnect,
  type Precision,
  type SimInput,
  type Strategy,
} from './types';
import { WORKLOADS } from './workloads';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'calibration' }
  | { kind: 'run'; input: SimInput; json: boolean }
  | {
      kind: 'sweep';
      input: SimInput;
      key: SweepKey;
      values: number[];
      strategies: Strategy[];
      csv: boolean;
      json: boolean;
    }
  | { kind: 'advise'; input: SimInput; goal: Goal; json: boolean };

const STRATEGIES: readonly Strategy[] = ['tp', 'ep', 'dp-ep', 'tp-ep', 'pp'];
const PRECISIONS: readonly Precision[] = ['bf16', 'fp8', 'int4'];
const INTERCONNECTS: readonly Interconnect[] = ['nvlink', 'pcie', 'infiniband'];
const GOALS: readonly Goal[] = ['throughput', 'latency', 'cost'];

const VALUE_FLAGS = new Set([
  'model',
  'hardware',
  'gpus',
  'strategy',
  'precision',
  'input',
  'output',
  'concurrency',
  'prompts',
  'tp',
  'ep',
  'interconnect',
  'skew',
  'expert-load',
  'prune-inter',
  'prune-intra',
  'spec-draft',
  'spec-tokens',
  'spec-accept',
  'diffusion-steps',
  'workload',
  'sweep',
  'strategies',
  'goal',
  'max-batch-tokens',
  'length-cv',
  'engine',
  'release',
  'lengths',
  'endpoint',
  'rate',
  'capacity-factor',
]);
const BOOL_FLAGS = new Set([
  'json',
  'csv',
  'eplb',
  'no-fused',
  'overlap',
  'advise',
  'list',
  'help',
  'calibration',
]);

export const USAGE = `Usage: npm run sim -- --model ID --hardware ID --gpus N --strategy tp|ep|dp-ep|tp-ep|pp [options]
  --precision bf16|fp8|int4     --input N --output N --concurrency N --prompts N
  --engine ${ENGINE_IDS.join('|')}   serving-engine profile (default ${DEFAULT_ENGINE})
  --release ${ENGINE_RELEASES.join('|')}   engine build (default current: late-2025 releases)
  --lengths ${LENGTH_DISTRIBUTIONS.join('|')}   request lengths around --input/--output (default fixed)
  --endpoint ${ENDPOINTS.join('|')}   API called (default completions; chat renders a Jinja template first)
  --rate R                      requests per second (default: all at once, up to --concurrency)
  --workload ID                 preset for input/output/concurrency/prompts (explicit flags win)
  --tp N --ep N                 degrees for tp-ep (tp × ep = gpus)
  --interconnect nvlink|pcie|infiniband   --skew 0..1   --expert-load 5,3,8,…   --eplb
  --no-fused  --overlap  --prune-inter F  --prune-intra F  --length-cv F
  --spec-draft B --spec-tokens N --spec-accept F   speculative decoding
  --diffusion-steps N           denoising steps (diffusion models)
  --capacity-factor F           1..4: each expert takes at most ⌈F·pairs/E⌉ pairs (static, padded); the rest dropped
  --json                        one JSON object
  --sweep KEY=v1,v2,…           KEY one of ${SWEEP_KEYS.join(', ')}; --strategies tp,ep,… ; --csv
  --advise [--goal throughput|latency|cost]
  --list                        models, hardware and workloads   --calibration   the error table`;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`Unknown ${flag} "${value}". Known: ${allowed.join(', ')}.`);
}

function number(
  flag: string,
  value: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number {
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} needs a number, got "${value}".`);
  if (opts.integer && !Number.isInteger(n))
    throw new UsageError(`--${flag} needs a whole number, got "${value}".`);
  if (opts.min !== undefined && n < opts.min)
    throw new UsageError(`--${flag} must be at least ${opts.min}, got ${n}.`);
  if (opts.max !== undefined && n > opts.max)
    throw new UsageError(`--${flag} must be at most ${opts.max}, got ${n}.`);
  return n;
}

export function parseCli(argv: readonly string[]): CliCommand {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`Unexpected argument "${arg}".`);
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0 && name.slice(0, eq) !== 'sweep') {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    } else if (eq >= 0) {
      value = name.slice(eq + 1);
      name = 'sweep';
    }
    if (BOOL_FLAGS.has(name)) {
      if (value !== undefined) throw new UsageError(`--${name} takes no value.`);
      flags.add(name);
    } else if (VALUE_FLAGS.has(name)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined || value.startsWith('--'))
          throw new UsageError(`--${name} needs a value.`);
      }
      values.set(name, value);
    } else {
      throw new UsageError(`Unknown option --${name}.`);
    }
  }
  if (flags.has('help')) return { kind: 'help' };
  if (flags.has('list')) return { kind: 'list' };
  if (flags.has('calibration')) return { kind: 'calibration' };

  const get = (k: string) => values.get(k);
  const modelId = get('model');
  if (!modelId) throw new UsageError('--model is required.');
  oneOf(
    'model',
    modelId,
    MODELS.map((m) => m.id),
  );
  const hardware = oneOf(
    'hardware',
    get('hardware') ?? 'h100-sxm',
    HARDWARE.map((h) => h.id),
  );
  const workload = get('workload') ? WORKLOADS.find((w) => w.id === get('workload')) : undefined;
  if (get('workload') && !workload)
    oneOf(
      'workload',
      get('workload')!,
      WORKLOADS.map((w) => w.id),
    );
  const int = (k: string, fallback: number, max = 1e7) => {
    const v = get(k);
    return v === undefined ? fallback : number(k, v, { integer: true, min: 1, max });
  };
  const frac = (k: string, max = 1) => {
    const v = get(k);
    return v === undefined ? undefined : number(k, v, { min: 0, max });
  };
  const input: SimInput = {
    model: modelId,
    hardware,
    gpus: int('gpus', 1, 4096),
    strategy: oneOf('strategy', get('strategy') ?? 'tp', STRATEGIES),
    precision: oneOf('precision', get('precision') ?? 'bf16', PRECISIONS),
    inputLen: int('input', workload?.inputLen ?? 1024),
    outputLen: int('output', workload?.outputLen ?? 512),
    concurrency: int('concurrency', workload?.concurrency ?? 64),
    prompts: int('prompts', workload?.prompts ?? 100),
    interconnect: oneOf('interconnect', get('interconnect') ?? 'nvlink', INTERCONNECTS),
    fusedMoe: !flags.has('no-fused'),
    overlapComm: flags.has('overlap'),
    balancedPlacement: flags.has('eplb'),
    engine: oneOf('engine', get('engine') ?? DEFAULT_ENGINE, ENGINE_IDS),
    lengths: oneOf('lengths', get('lengths') ?? 'fixed', LENGTH_DISTRIBUTIONS),
  };
  if (get('release') !== undefined)
    input.engineRelease = oneOf('release', get('release')!, ENGINE_RELEASES);
  if (get('endpoint') !== undefined)
    input.endpoint = oneOf('endpoint', get('endpoint')!, ENDPOINTS);
  if (get('rate') !== undefined)
    input.arrivalRate = number('rate', get('rate')!, { min: 1e-6, max: 1e7 });
  if (get('capacity-factor') !== undefined)
    input.capacityFactor = number('capacity-factor', get('capacity-factor')!, { min: 1, max: 4 });
  if (get('tp') !== undefined) input.tp = int('tp', 1, 4096);
  if (get('ep') !== undefined) input.ep = int('ep', 1, 4096);
  const optional: [keyof SimInput, number | undefined][] = [
    ['skew', frac('skew')],
    ['pruneInter', frac('prune-inter', 0.95)],
    ['pruneIntra', frac('prune-intra', 0.95)],
    ['lengthCv', frac('length-cv', 10)],
  ];
  for (const [k, v] of optional) if (v !== undefined) Object.assign(input, { [k]: v });
  if (get('diffusion-steps') !== undefined)
    input.diffusionSteps = int('diffusion-steps', 1, 100000);
  if (get('max-batch-tokens') !== undefined) input.maxBatchTokens = int('max-batch-tokens', 1);
  if (get('expert-load') !== undefined) {
    input.expertLoad = get('expert-load')!
      .split(',')
      .map((v) => number('expert-load', v.trim(), { min: 0 }));
    if (!input.expertLoad.some((v) => v > 0))
      throw new UsageError('--expert-load needs at least one count above 0.');
  }
  if (get('spec-draft') !== undefined) {
    input.speculative = {
      draftParamsB: number('spec-draft', get('spec-draft')!, { min: 0.01, max: 1000 }),
      draftTokens: int('spec-tokens', 4, 16),
      acceptanceRate: frac('spec-accept') ?? 0.7,
    };
  }
  const json = flags.has('json');
  if (flags.has('advise'))
    return { kind: 'advise', input, goal: oneOf('goal', get('goal') ?? 'throughput', GOALS), json };
  const sweepSpec = get('sweep');
  if (sweepSpec !== undefined) {
    const eq = sweepSpec.indexOf('=');
    if (eq < 0) throw new UsageError('--sweep needs KEY=v1,v2,… (for example concurrency=1,4,16).');
    const key = oneOf('sweep key', sweepSpec.slice(0, eq), SWEEP_KEYS);
    const list = sweepSpec
      .slice(eq + 1)
      .split(',')
      .filter((v) => v.trim() !== '');
    if (list.length === 0) throw new UsageError('--sweep needs at least one value.');
    const sweepValues = list.map((v) =>
      key === 'skew'
        ? number('sweep', v.trim(), { min: 0, max: 1 })
        : number('sweep', v.trim(), { integer: true, min: 1, max: 1e7 }),
    );
    const strategies = get('strategies')
      ? get('strategies')!
          .split(',')
          .map((s) => oneOf('strategy', s.trim(), STRATEGIES))
      : [input.strategy];
    return {
      kind: 'sweep',
      input,
      key,
      values: sweepValues,
      strategies,
      csv: flags.has('csv'),
      json,
    };
  }
  return { kind: 'run', input, json };
}
