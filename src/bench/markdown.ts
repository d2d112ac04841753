// A benchmark report as Markdown: what `npm run bench` prints and bench/results/ keeps.
import type { BenchReport, BenchSection, Cell } from './types';

const cell = (c: Cell): string =>
  c === null || (typeof c === 'number' && !Number.isFinite(c))
    ? '—'
    : String(c).replace(/\|/g, '\\|');

export function sectionToMarkdown(s: BenchSection): string {
  const out = [
    `## ${s.title}`,
    '',
    `| ${s.columns.join(' | ')} |`,
    `|${s.columns.map(() => '---').join('|')}|`,
  ];
  for (const r of s.rows) out.push(`| ${r.map(cell).join(' | ')} |`);
  if (s.notes.length) out.push('', ...s.notes.map((n) => `- ${n}`));
  return out.join('\n');
}

export function reportToMarkdown(r: BenchReport): string {
  const out = [
    `# MoE Lab benchmark: ${r.kind} (${r.size}) — ${r.startedIso}`,
    '',
    `device: ${r.device} | runtime: ${r.runtime}`,
  ];
  for (const s of r.sections) out.push('', sectionToMarkdown(s));
  if (r.targets.length) {
    out.push('', `## Targets (${r.targetsFrom ?? 'issue 9'})`, '');
    for (const t of r.targets) out.push(`- **${t.status}** — ${t.target}: ${t.detail}`);
  }
  return out.join('\n') + '\n';
}
