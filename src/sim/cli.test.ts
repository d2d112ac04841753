// The command line and its argument parser. Most cases run the CLI in-process (runCli is what
// the script calls); one test spawns the real process to check the wiring of stdout, stderr and
// the exit code, with a limit that holds on a loaded 2-core machine.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli';
import { parseCli, UsageError } from './cliArgs';
import { SimInputError } from './context';
import { simulate } from './simulate';
import type { SimInput } from './types';

const TSX = 'node_modules/.bin/tsx';
/** Spawning tsx compiles the CLI first: seconds when idle, tens of seconds under load. */
const SPAWN_TIMEOUT_MS = 150_000;
function spawnSim(...args: string[]) {
  const r = spawnSync(TSX, ['src/sim/cli.ts', ...args], {
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT_MS,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function sim(...args: string[]) {
  const r = runCli(args);
  // The script prints each stream with a trailing newline.
  return { code: r.code, stdout: r.stdout ? `${r.stdout}\n` : '', stderr: r.stderr };
}

const ISSUE_ARGS = [
  '--model',
  'mixtral-8x7b',
  '--hardware',
  'a100-80gb',
  '--gpus',
  '2',
  '--strategy',
  'ep',
  '--input',
  '128',
  '--output',
  '128',
  '--concurrency',
  '64',
  '--prompts',
  '100',
];

describe('sim CLI as a process', () => {
  it(
    'exits 0 with JSON on stdout, and 2 with a message on stderr for a bad name',
    () => {
      const ok = spawnSim(...ISSUE_ARGS, '--engine', 'vllm', '--json');
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout).engine).toBe('vllm');
      const bad = spawnSim('--model', 'gpt-5');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/Unknown model "gpt-5"/);
      expect(bad.stdout).toBe('');
    },
    2 * SPAWN_TIMEOUT_MS + 10_000,
  );
});

describe('sim CLI', () => {
  it('prints one JSON object with the issue’s fields, equal to the library’s result', () => {
    const r = sim(...ISSUE_ARGS, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const k of [
      'ttftMs',
      'itlMs',
      'e2eMs',
      'outputTokensPerS',
      'totalTokensPerS',
      'tokensPerSPerGpu',
      'memoryPerGpuGB',
      'fits',
      'bottleneck',
    ])
      expect(out, k).toHaveProperty(k);
    const lib = simulate({
      model: 'mixtral-8x7b',
      hardware: 'a100-80gb',
      gpus: 2,
      strategy: 'ep',
      precision: 'bf16',
      inputLen: 128,
      outputLen: 128,
      concurrency: 64,
      prompts: 100,
      interconnect: 'nvlink',
      fusedMoe: true,
      overlapComm: false,
      balancedPlacement: false,
    });
    expect(out.outputTokensPerS).toBeCloseTo(lib.outputTokensPerS, 6);
    expect(out.fits).toBe(true);
  });

  it('prints a sweep as a table and as CSV', () => {
    const t = sim(...ISSUE_ARGS, '--sweep', 'concurrency=1,4,16,64,128');
    expect(t.code).toBe(0);
    const lines = t.stdout.trim().split('\n');
    // Header, five rows, and the footer stating the error bands.
    expect(lines).toHaveLength(7);
    expect(lines[6]).toMatch(/Stated error of every figure/);
    expect(lines[0]).toMatch(/concurrency\s+strategy\s+ttftMs/);
    const csv = sim(...ISSUE_ARGS, '--sweep', 'concurrency=1,4', '--strategies', 'tp,ep', '--csv');
    expect(csv.code).toBe(0);
    const rows = csv.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(rows).toHaveLength(5);
    expect(rows[1]!.slice(0, 2)).toEqual(['1', 'tp']);
    expect(Number(rows[4]![5])).toBeGreaterThan(Number(rows[3]![5]));
  });

  it('runs tp-ep with --tp and --ep, and the advisor', () => {
    const r = sim(
      '--model',
      'qwen3-30b-a3b',
      '--hardware',
      'h100-sxm',
      '--gpus',
      '8',
      '--strategy',
      'tp-ep',
      '--tp',
      '2',
      '--ep',
      '4',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).layout).toMatchObject({ attentionTp: 2, ep: 4, expertTp: 2 });
    const a = sim('--model', 'mixtral-8x7b', '--gpus', '4', '--advise', '--goal', 'latency');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/is best for latency/);
  });

  it.each([
    [['--model', 'gpt-5'], 2, /Unknown model "gpt-5"/],
    [['--model', 'mixtral-8x7b', '--hardware', 'tpu-v9'], 2, /Unknown hardware "tpu-v9"/],
    [['--model', 'mixtral-8x7b', '--strategy', 'zz'], 2, /Unknown strategy "zz"/],
    [['--model', 'mixtral-8x7b', '--gpus', 'two'], 2, /--gpus needs a number/],
    [['--model', 'mixtral-8x7b', '--frobnicate'], 2, /Unknown option --frobnicate/],
    [
      ['--model', 'mixtral-8x7b', '--gpus', '16', '--strategy', 'ep'],
      1,
      /needs at least 16 experts; Mixtral-8x7B has 8/,
    ],
    [
      ['--model', 'mixtral-8x7b', '--gpus', '3', '--strategy', 'tp'],
      1,
      /32 attention heads, not divisible by tensor-parallel degree 3/,
    ],
    [
      ['--model', 'mixtral-8x7b', '--gpus', '8', '--strategy', 'tp-ep', '--tp', '2', '--ep', '2'],
      1,
      /tp × ep = GPUs/,
    ],
    [['--model', 'mixtral-8x7b', '--gpus', '64', '--strategy', 'pp'], 1, /at least 64 layers/],
  ] as const)('rejects %j with exit %i', (args, code, message) => {
    const r = sim(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('numbers that must not overflow into a wrong answer (issue 24, class 6)', () => {
  const base: SimInput = {
    model: 'mixtral-8x7b',
    hardware: 'h100-sxm',
    gpus: 4,
    strategy: 'ep',
    precision: 'bf16',
    inputLen: 512,
    outputLen: 128,
    concurrency: 32,
    prompts: 256,
  };

  it('--expert-load near the largest double keeps its shape instead of turning uniform', () => {
    const huge = sim(
      ...ISSUE_ARGS,
      '--expert-load',
      '1.7e308,1.7e308,1e307,1e307,1e306,1e306,1e305,1e305',
      '--json',
    );
    const small = sim(...ISSUE_ARGS, '--expert-load', '170,170,10,10,1,1,0.1,0.1', '--json');
    expect(huge.code).toBe(0);
    const h = JSON.parse(huge.stdout);
    const s = JSON.parse(small.stdout);
    expect(h.split.imbalance).toBeGreaterThan(0);
    expect(h.split.imbalance).toBeCloseTo(s.split.imbalance, 6);
    expect(h.outputTokensPerS).toBeCloseTo(s.outputTokensPerS, 6);
    expect(sim(...ISSUE_ARGS, '--expert-load', '1e999').code).toBe(2);
    expect(sim(...ISSUE_ARGS, '--expert-load', '0,0,0').code).toBe(2);
  });

  it('a sweep whose every point fails exits non-zero and says why', () => {
    const r = sim(
      '--model',
      'mixtral-8x7b',
      '--gpus',
      '16',
      '--strategy',
      'ep',
      '--sweep',
      'concurrency=1,4',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no point of the sweep could be computed.*16 experts/);
    const partly = sim('--model', 'mixtral-8x7b', '--gpus', '4', '--sweep', 'gpus=3,4');
    expect(partly.code).toBe(0);
  });

  it('--output 1 gives a real per-user speed, not 0', () => {
    const r = simulate({ ...base, outputLen: 1 });
    expect(r.tokensPerSPerUser).toBeGreaterThan(0);
    expect(Number.isFinite(r.tokensPerSPerUser)).toBe(true);
    expect(r.tokensPerSPerUser).toBeCloseTo(1000 / r.e2eMs, 6);
    expect(r.notes.join(' ')).toMatch(/One output token/);
  });

  it('a context longer than the model’s gets a note', () => {
    const r = simulate({ ...base, inputLen: 40000, outputLen: 1000, concurrency: 1, prompts: 1 });
    expect(r.notes.join(' ')).toMatch(/longer than Mixtral-8x7B's 32768-token context/);
    expect(simulate(base).notes.join(' ')).not.toMatch(/context:/);
  });

  it.each([
    ['inputLen', NaN],
    ['outputLen', Infinity],
    ['concurrency', -1],
    ['gpus', NaN],
    ['skew', NaN],
    ['pruneInter', 2],
    ['lengthCv', Infinity],
    ['maxBatchTokens', 0],
    ['arrivalRate', Infinity],
    ['diffusionSteps', NaN],
  ] as const)('rejects %s = %s at the simulator boundary', (key, value) => {
    expect(() => simulate({ ...base, [key]: value })).toThrow(SimInputError);
  });

  it('rejects non-finite expert loads and speculative settings', () => {
    expect(() => simulate({ ...base, expertLoad: [1, NaN] })).toThrow(SimInputError);
    expect(() =>
      simulate({
        ...base,
        speculative: { draftParamsB: 1, draftTokens: NaN, acceptanceRate: 0.5 },
      }),
    ).toThrow(SimInputError);
  });
});

describe('parseCli', () => {
  it('fills a workload preset, explicit flags winning', () => {
    const c = parseCli([
      '--model',
      'olmoe-1b-7b',
      '--workload',
      'prefill-heavy',
      '--concurrency',
      '8',
    ]);
    expect(c.kind).toBe('run');
    if (c.kind !== 'run') return;
    expect(c.input).toMatchObject({ inputLen: 512, outputLen: 256, concurrency: 8 });
  });

  it('parses speculative decoding, pruning and measured expert load', () => {
    const c = parseCli([
      '--model',
      'mixtral-8x7b',
      '--spec-draft',
      '1.5',
      '--spec-tokens',
      '3',
      '--spec-accept',
      '0.6',
      '--prune-inter',
      '0.25',
      '--expert-load',
      '1,2,3',
    ]);
    if (c.kind !== 'run') throw new Error('expected run');
    expect(c.input.speculative).toEqual({ draftParamsB: 1.5, draftTokens: 3, acceptanceRate: 0.6 });
    expect(c.input.pruneInter).toBe(0.25);
    expect(c.input.expertLoad).toEqual([1, 2, 3]);
  });

  it('reads the engine, the length distribution and the arrival rate', () => {
    const c = parseCli([
      '--model',
      'mixtral-8x7b',
      '--engine',
      'sglang',
      '--lengths',
      'sharegpt',
      '--rate',
      '2.5',
    ]);
    if (c.kind !== 'run') throw new Error('expected run');
    expect(c.input).toMatchObject({ engine: 'sglang', lengths: 'sharegpt', arrivalRate: 2.5 });
    expect(() => parseCli(['--model', 'mixtral-8x7b', '--engine', 'llama.cpp'])).toThrow(
      /Unknown engine/,
    );
    expect(() => parseCli(['--model', 'mixtral-8x7b', '--rate', '0'])).toThrow(UsageError);
  });

  it('reads the engine build; a current build is the default', () => {
    const c = parseCli(['--model', 'mixtral-8x7b', '--release', 'early-2025']);
    if (c.kind !== 'run') throw new Error('expected run');
    expect(c.input.engineRelease).toBe('early-2025');
    const d = parseCli(['--model', 'mixtral-8x7b']);
    if (d.kind !== 'run') throw new Error('expected run');
    expect(d.input.engineRelease).toBeUndefined();
    expect(() => parseCli(['--model', 'mixtral-8x7b', '--release', '2023'])).toThrow(
      /Unknown release/,
    );
  });

  it('rejects bad sweeps and values', () => {
    expect(() => parseCli(['--model', 'mixtral-8x7b', '--sweep', 'colour=1,2'])).toThrow(
      UsageError,
    );
    expect(() => parseCli(['--model', 'mixtral-8x7b', '--sweep', 'concurrency'])).toThrow(/KEY=v1/);
    expect(() => parseCli(['--model', 'mixtral-8x7b', '--skew', '2'])).toThrow(/at most 1/);
    expect(() => parseCli(['--model', 'mixtral-8x7b', '--input'])).toThrow(/needs a value/);
    expect(() => parseCli([])).toThrow(/--model is required/);
  });
});
