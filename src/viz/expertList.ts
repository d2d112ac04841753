// The disabled-experts setting is text in the URL ("1,5,7"): parse it forgivingly and safely.
export function parseExpertList(text: string, experts: number): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const t = part.trim();
    if (!/^\d{1,4}$/.test(t)) continue;
    const e = Number(t);
    if (e < experts) out.add(e);
  }
  // Never switch every expert off.
  return [...out].sort((a, b) => a - b).slice(0, Math.max(0, experts - 1));
}
