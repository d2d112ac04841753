// Prints the calibration as Markdown: `npx tsx src/sim/calibrationReport.ts` or
// `npm run sim -- --calibration`. docs/simulator.md pastes this output; it is generated, never
// typed (calibration.test.ts checks that the document carries the numbers this prints).
import { calibrationTable } from './calibration';
import {
  bandsFrom,
  evaluate,
  fitProfiles,
  leaveOneSourceOut,
  roundedFit,
  summarise,
  type ErrorSummary,
  type FigureResult,
} from './calibrationFit';
import { ENGINES } from './engines';
import { SERVING_FIGURES, SERVING_SOURCES } from './servingCalibration';

const fmt = (x: number) =>
  Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 100 ? 0 : 2);

/** The kernel-level table (tuned profile): collectives, align, DeepSeek production. */
export function kernelCalibrationMarkdown(): string {
  const rows = calibrationTable();
  const lines = [
    '| Figure | Published | Simulated | Error | Tolerance | Role | Within |',
    '|---|---:|---:|---:|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.what} | ${fmt(r.published)} ${r.unit} | ${fmt(r.simulated)} ${r.unit} | ${(r.error * 100).toFixed(1)}% | ${r.bound === 'capacity' ? `0…+${Math.round(r.tolerance * 100)}%` : `±${Math.round(r.tolerance * 100)}%`} | ${r.role} | ${r.ok ? 'yes' : 'NO'} |`,
    ),
  ];
  const checks = rows.filter((r) => r.role === 'check');
  const meanAbs = checks.reduce((a, r) => a + Math.abs(r.error), 0) / Math.max(1, checks.length);
  lines.push(
    '',
    `Mean absolute error over the ${checks.length} check figures: ${(meanAbs * 100).toFixed(1)}%.`,
  );
  return lines.join('\n');
}

/** How many figures carry a widened band, whether they lie inside it, and the error without them. */
export function bandLine(rows: readonly FigureResult[]): string {
  const banded = rows.filter((r) => r.band);
  if (banded.length === 0) return 'No figure carries a widened band.';
  const inside = banded.filter((r) => Math.abs(r.logError) <= Math.log(r.band!.factor)).length;
  const rest = summarise(rows.filter((r) => !r.band));
  return (
    `${banded.length} figure${banded.length === 1 ? '' : 's'} carr${banded.length === 1 ? 'ies' : 'y'} a widened band (reason in its row; the fit ignores its error inside the band, the statistics above count it at face value), ${inside} inside it. ` +
    `Without ${banded.length === 1 ? 'it' : 'them'} the fitted error would read: median ×${rest.median.toFixed(2)}, worst ×${rest.worst.toFixed(2)}.`
  );
}

export const summaryLine = (label: string, s: ErrorSummary) =>
  `${label}: ${s.count} figures, median error ×${s.median.toFixed(2)}, worst ×${s.worst.toFixed(2)}, ${s.within125} within ×1.25.`;

/** The serving table (engine profiles), the fit's error and the cross-validated error. */
export function servingCalibrationMarkdown(): string {
  const rows = evaluate(SERVING_FIGURES);
  const cv = leaveOneSourceOut();
  const cvById = new Map(cv.rows.map((r) => [r.id, r]));
  const lines = [
    '| Figure | Engine | Conditions | Published | Simulated | Error | Held out |',
    '|---|---|---|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const held = cvById.get(r.id)!;
      const unit = r.metric === 'ttftMs' || r.metric === 'itlMs' ? 'ms' : 'tok/s';
      const engine = r.release ? `${r.engine} (${r.release} build)` : r.engine;
      const band = r.band ? ` (widened band ×${r.band.factor}: ${r.band.reason})` : '';
      return `| ${r.what} | ${engine} | ${r.conditions}; ${r.lengths} lengths, ${fmt(r.inputLen)} in / ${fmt(r.outputLen)} out, ${r.prompts} prompts, concurrency ${r.concurrency} | ${fmt(r.published)} ${unit} | ${fmt(r.simulated)} ${unit} | ×${Math.exp(r.logError).toFixed(2)}${band} | ×${Math.exp(held.logError).toFixed(2)} |`;
    }),
    '',
    'Sources: ' + SERVING_SOURCES.map((s) => `\`${s.id}\` — ${s.title}, ${s.url}`).join('; ') + '.',
    '',
    summaryLine('Fitted on all sources', summarise(rows)),
    summaryLine(
      'Leave-one-source-out (each source predicted by profiles fitted without it)',
      cv.all,
    ),
    bandLine(rows),
    '',
    '| Held-out source | Figures | Median | Worst |',
    '|---|---:|---:|---:|',
    ...cv.perSource.map(
      (s) => `| ${s.source} | ${s.count} | ×${s.median.toFixed(2)} | ×${s.worst.toFixed(2)} |`,
    ),
  ];
  const bands = bandsFrom(cv.rows);
  lines.push(
    '',
    'Stated error bands (worst held-out error by kind and regime; errorBands.ts):',
    `concurrency ≤ 4: TTFT ×/÷${bands.low.ttft.toFixed(2)}, ITL ×/÷${bands.low.itl.toFixed(2)}, throughput ×/÷${bands.low.throughput.toFixed(2)}; ` +
      `above: TTFT ×/÷${bands.high.ttft.toFixed(2)}, ITL ×/÷${bands.high.itl.toFixed(2)}, throughput ×/÷${bands.high.throughput.toFixed(2)}.`,
    '',
    'Fitted profile constants:',
    '',
    '| Engine | computeScale | layerFixedUs | eagerLayerFixedUs | allReduceUs | stepFixedUs | perSeqStepUs | requestOverheadMs | ttftFixedMs | amdFactor | earlyReleaseFactor | ampereGemmFactor | ampereAttentionFactor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...(['vllm', 'sglang', 'trtllm'] as const).map((id) => {
      const e = ENGINES[id];
      return `| ${id} | ${e.computeScale} | ${e.layerFixedUs} | ${e.eagerLayerFixedUs} | ${e.allReduceUs} | ${e.stepFixedUs} | ${e.perSeqStepUs} | ${e.requestOverheadMs} | ${e.ttftFixedMs} | ${e.amdFactor} | ${e.earlyReleaseFactor} | ${e.ampereGemmFactor} | ${e.ampereAttentionFactor} |`;
    }),
    '',
    'Measured, not fitted — `chatTemplateMs` (chat requests to Jinja-template models; engines.ts): ' +
      (['vllm', 'sglang', 'trtllm'] as const)
        .map((id) => `${id} ${Number(ENGINES[id].chatTemplateMs.toPrecision(3))} ms`)
        .join(', ') +
      '.',
  );
  return lines.join('\n');
}

export function calibrationMarkdown(): string {
  return [
    '### Serving figures (engine profiles)',
    '',
    servingCalibrationMarkdown(),
    '',
    '### Kernel and production figures (tuned profile)',
    '',
    kernelCalibrationMarkdown(),
  ].join('\n');
}

/** The fitted constants to paste into engines.ts after a change to the model or the figures. */
export function fittedConstants(): string {
  return JSON.stringify(roundedFit(fitProfiles(SERVING_FIGURES)), null, 2);
}

if (process.argv[1] && /calibrationReport\.ts$/.test(process.argv[1])) {
  console.log(process.argv.includes('--fit') ? fittedConstants() : calibrationMarkdown());
}
