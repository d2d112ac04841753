// Human-readable sizes and labels for download messages. Pure.

/** 1234567 → "1.2 MB" (decimal units, as browsers and servers report sizes). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '? B';
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 100 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "1.2 MB of 3.4 MB", or "1.2 MB" when the total is unknown. */
export function formatOf(done: number, total: number | undefined): string {
  return total === undefined ? formatBytes(done) : `${formatBytes(done)} of ${formatBytes(total)}`;
}

/**
 * The name a user should see for a file: the URL as the pack lists it when relative
 * ("models/x/moe.safetensors"), else its path without the origin (a message never needs the host).
 */
export function fileLabel(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return url.replace(/^\.\//, '');
  try {
    return new URL(url).pathname.replace(/^\//, '');
  } catch {
    return url;
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
