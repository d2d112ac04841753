// The command line, spawned for real through tsx, and its argument parser.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './cliArgs';
import { simulate } from './simulate';

const TSX = 'node_modules/.bin/tsx';
function sim(...args: string[]) {
  const r = spawnSync(TSX, ['src/sim/cli.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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

describe('sim CLI (spawned)', () => {
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
    expect(lines).toHaveLength(6);
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
