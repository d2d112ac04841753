// `npm run sim -- …`: one simulation as JSON or text, a sweep as a table or CSV, the strategy
// advisor, or the calibration table. Bad input → a message on stderr and exit code 2;
// an impossible layout → exit code 1.
import { advise } from './advisor';
import { calibrationMarkdown } from './calibrationReport';
import { parseCli, UsageError, USAGE } from './cliArgs';
import { SimInputError } from './context';
import { ERROR_BANDS, LOW_CONCURRENCY } from './errorBands';
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
  ['ttftBand', (r) => String(r.bands.ttft)],
  ['itlBand', (r) => String(r.bands.itl)],
  ['throughputBand', (r) => String(r.bands.throughput)],
];

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padStart(widths[c]!)).join('  ')).join('\n');
}

/** `value unit (lo–hi)`: the figure with the range its stated error band allows. */
function banded(value: number, band: number, digits: number, unit: string): string {
  const f = (x: number) => x.toFixed(digits);
  return `${f(value)} ${unit} (${f(value / band)}–${f(value * band)})`;
}

function summary(r: SimResult): string {
  const b = r.bands;
  const lines = [
    `Engine ${r.engine}; ranges in brackets are the stated error of each figure (docs/simulator.md)`,
    `TTFT ${banded(r.ttftMs, b.ttft, 1, 'ms')} · ITL ${banded(r.itlMs, b.itl, 2, 'ms')} · E2E ${banded(r.e2eMs, Math.max(b.ttft, b.itl), 0, 'ms')}`,
    `Throughput ${banded(r.outputTokensPerS, b.throughput, 0, 'output tok/s')} · ${banded(r.totalTokensPerS, b.throughput, 0, 'total tok/s')} · ${banded(r.tokensPerSPerGpu, b.throughput, 0, 'tok/s per GPU')}`,
    `Per user ${banded(r.tokensPerSPerUser, b.itl, 1, 'tok/s')} · up to ${Math.round(r.admitted)} requests running at once, mean queueing ${r.queueMs.toFixed(0)} ms`,
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
        // A sweep that computed nothing is a failure, not an empty success.
        const code = points.some((p) => p.result) ? 0 : 1;
        const stderr =
          code === 0
            ? ''
            : `error: no point of the sweep could be computed: ${points[0]?.error ?? ''}`;
        if (cmd.json) return { code, stdout: JSON.stringify(points), stderr };
        const header = [cmd.key, 'strategy', ...COLUMNS.map(([h]) => h)];
        const rows = points.map((p) => [
          String(p.value),
          p.strategy,
          ...COLUMNS.map(([, f]) => (p.result ? f(p.result) : `error: ${p.error}`)),
        ]);
        if (cmd.csv)
          return {
            code,
            stdout: [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n'),
            stderr,
          };
        return {
          code,
          stdout: [
            table([header, ...rows.map((r) => r.slice(0, 2 + COLUMNS.length))]),
            bandFooter(points.find((p) => p.result)?.result),
          ].join('\n'),
          stderr,
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

function bandFooter(r: SimResult | undefined): string {
  if (!r) return '';
  const { low, high } = ERROR_BANDS;
  const line = (b: typeof low) =>
    `TTFT ×/÷${b.ttft}, ITL ×/÷${b.itl}, throughput ×/÷${b.throughput}`;
  return `Stated error of every figure: at concurrency ≤ ${LOW_CONCURRENCY} ${line(low)}; above ${line(high)} (engine ${r.engine}).`;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

if (process.argv[1] && /cli\.ts$/.test(process.argv[1])) {
  const { code, stdout, stderr } = runCli(process.argv.slice(2));
  if (stdout) process.stdout.write(`${stdout}\n`);
  if (stderr) process.stderr.write(`${stderr}\n`);
  process.exitCode = code;
}
