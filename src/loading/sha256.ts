// SHA-256 through Web Crypto (browser, worker and Node 20 alike). crypto.subtle exists only in
// secure contexts (https, localhost, 127.0.0.1); elsewhere a checksum cannot be verified and the
// caller is told so rather than silently trusting the bytes.

export function canHash(): boolean {
  return typeof globalThis.crypto?.subtle?.digest === 'function';
}

export async function sha256Hex(data: ArrayBuffer | Uint8Array): Promise<string> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Accepts "abc…", "ABC…" or "sha256-abc…"; returns lower-case hex, or null when it is not one. */
export function normalizeSha256(s: string | undefined | null): string | null {
  if (typeof s !== 'string') return null;
  const hex = s
    .trim()
    .toLowerCase()
    .replace(/^sha256[-:]/, '');
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}
