// Saving a benchmark result: the report as JSON (to compare on another machine) and as Markdown
// (to paste in a class forum or an issue).
import { downloadBlob } from '../../charts/exportChart';
import { reportToMarkdown } from '../../bench/markdown';
import type { BenchReport } from '../../bench/types';

export function reportFileStem(r: BenchReport): string {
  const day = r.startedIso.slice(0, 10);
  const device = r.device
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `moe-lab-bench-${r.kind}-${r.size}-${device || 'device'}-${day}`;
}

export function downloadReportJson(r: BenchReport): void {
  const blob = new Blob([JSON.stringify({ reports: [r] }, null, 1)], { type: 'application/json' });
  downloadBlob(blob, `${reportFileStem(r)}.json`);
}

/** Resolves false when the browser refuses the clipboard (an insecure origin, a denied permission). */
export async function copyReportMarkdown(r: BenchReport): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(reportToMarkdown(r));
    return true;
  } catch {
    return false;
  }
}
