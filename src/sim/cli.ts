// `npm run sim -- …`: one simulation as JSON or text, a sweep as a table or CSV, the strategy
// advisor, or the calibration table. Bad input → a message on stderr and exit code 2;
// an impossible layout → exit code 1.
import { advise } from './advisor';
import { calibrationMarkdown } from './calibrationReport';
import { parseCli, UsageError, USAGE } from './cliArgs';
import { SimInputError } from './context';
import { HARDWARE } from './hardware';
import { LayoutError } from './layout';
import { MODELS } from './models';
import { simulate } from './simulate';
import { sweep } from './sweep';
import type { SimResult } from './types';
import { WORKLOADS } from './workloads';

const COLUMNS: [string, (r: SimResult) => string][] = [
  ['ttftMs', (r) => r.ttftMs.toFixed(1)],
  ['itlMs', (r) => r.itlMs.toFixed(2)],
  ['e2eMs', (r) => r.e2eMs.toFixed(0)],
  ['outputTokensPerS', (r) => r.outputTokensPerS.toFixed(0)],
  ['totalTokensPerS', (r) => r.totalTokensPerS.toFixed(0)],
  ['tokensPerSPerGpu', (r) => r.tokensPerSPerGpu.toFixed(0)],
  ['memoryPerGpuGB', (r) => r.memoryPerGpuGB.toFixed(1)],
  ['fits', (r) => String(r.fits)],
  ['bottleneck', (r) => r.bottleneck],
];

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padStart(widths[c]!)).join('  ')).join('\n');
}

function summary(r: SimResult): string {
  const lines = [
    `TTFT ${r.ttftMs.toFixed(1)} ms · ITL ${r.itlMs.toFixed(2)} ms · E2E ${r.e2eMs.toFixed(0)} ms`,
    `Throughput ${r.outputTokensPerS.toFixed(0)} output tok/s · ${r.totalTokensPerS.toFixed(0)} total tok/s · ${r.tokensPerSPerGpu.toFixed(0)} tok/s per GPU`,
    `Memory per GPU ${r.memoryPerGpuGB.toFixed(1)} of ${r.memory.capacityGB.toFixed(0)} GB usable — ${r.fits ? 'fits' : `DOES NOT FIT: ${r.reason}`}`,
    `Bottleneck: ${r.bottleneck}`,
    ...r.notes.map((n) => `Note: ${n}`),
  ];
  return lines.join('\n');
}

export function runCli(argv: readonly string[]): { code: number; stdout: string; stderr: string } {
  try {
    const cmd = parseCli(argv);
    switch (cmd.kind) {
      case 'help':
        return { code: 0, stdout: USAGE, stderr: '' };
      case 'list':
        return {
          code: 0,
          stdout: [
            'Models:',
            ...MODELS.map((m) => `  ${m.id.padEnd(24)} ${m.name}`),
            'Hardware:',
            ...HARDWARE.map((h) => `  ${h.id.padEnd(24)} ${h.name}`),
            'Workloads:',
            ...WORKLOADS.map((w) => `  ${w.id.padEnd(24)} ${w.name}`),
          ].join('\n'),
          stderr: '',
        };
      case 'calibration':
        return { code: 0, stdout: calibrationMarkdown(), stderr: '' };
      case 'run': {
        const r = simulate(cmd.input);
        return { code: 0, stdout: cmd.json ? JSON.stringify(r) : summary(r), stderr: '' };
      }
      case 'advise': {
        const a = advise(cmd.input, cmd.goal);
        const out = cmd.json ? JSON.stringify({ goal: a.goal, best: a.best, why: a.why }) : a.why;
        return { code: a.best ? 0 : 1, stdout: out, stderr: '' };
      }
      case 'sweep': {
        const points = sweep(cmd.input, cmd.key, cmd.values, cmd.strategies);
        if (cmd.json) return { code: 0, stdout: JSON.stringify(points), stderr: '' };
        const header = [cmd.key, 'strategy', ...COLUMNS.map(([h]) => h)];
        const rows = points.map((p) => [
          String(p.value),
          p.strategy,
          ...COLUMNS.map(([, f]) => (p.result ? f(p.result) : `error: ${p.error}`)),
        ]);
        if (cmd.csv)
          return {
            code: 0,
            stdout: [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n'),
            stderr: '',
          };
        return {
          code: 0,
          stdout: table([header, ...rows.map((r) => r.slice(0, 2 + COLUMNS.length))]),
          stderr: '',
        };
      }
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof SimInputError)
      return { code: 2, stdout: '', stderr: `error: ${e.message}\n\n${USAGE}` };
    if (e instanceof LayoutError) return { code: 1, stdout: '', stderr: `error: ${e.message}` };
    throw e;
  }
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

if (process.argv[1] && /cli\.ts$/.test(process.argv[1])) {
  const { code, stdout, stderr } = runCli(process.argv.slice(2));
  if (stdout) process.stdout.write(`${stdout}\n`);
  if (stderr) process.stderr.write(`${stderr}\n`);
  process.exitCode = code;
}
