// Prints the calibration table as Markdown: `npx tsx src/sim/calibrationReport.ts`.
// docs/simulator.md pastes this output; it is generated, never typed.
import { calibrationTable } from './calibration';

const fmt = (x: number) =>
  Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);

export function calibrationMarkdown(): string {
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

if (process.argv[1] && /calibrationReport\.ts$/.test(process.argv[1])) {
  console.log(calibrationMarkdown());
}
