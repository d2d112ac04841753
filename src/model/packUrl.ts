// Where a pack's files may come from. A file name comes from the pack's config.json — untrusted —
// so it must be a plain name from a small alphabet (no `:`, `/`, `\`, `%`, `..`: nothing a URL
// parser could read as another host, scheme or folder), and every URL is built from the pack's
// folder and checked to still be a file directly inside that folder, on the same origin, before
// anything is fetched.
import { PackError, isPackFileName } from './config';

/** The pack's folder as a URL ending in `/` (`…/models/dense` and `…/models/dense/` agree). */
export function packFolder(packBase: string, siteOrigin?: string): URL {
  let folder: URL;
  try {
    folder = new URL(packBase);
  } catch {
    throw new PackError('config.json', `the pack address ${packBase} is not a valid URL`);
  }
  if (folder.protocol !== 'http:' && folder.protocol !== 'https:')
    throw new PackError('config.json', `the pack address ${packBase} is not an http(s) URL`);
  if (siteOrigin !== undefined && folder.origin !== siteOrigin)
    throw new PackError(
      'config.json',
      `the pack address ${packBase} is on another site than the lab (${siteOrigin})`,
    );
  folder.search = '';
  folder.hash = '';
  if (!folder.pathname.endsWith('/')) folder.pathname += '/';
  return folder;
}

/**
 * The URL of pack file `name`, or a PackError naming that file when the name is not a plain file
 * name or the URL would leave the pack's folder (another origin, a parent or sub-folder).
 */
export function packFileUrl(packBase: string, name: string, siteOrigin?: string): string {
  const folder = packFolder(packBase, siteOrigin);
  if (!isPackFileName(name))
    throw new PackError(
      shownName(name),
      'is not a plain file name (letters, digits, ".", "_" and "-" only); refused to fetch it',
      'name',
    );
  const url = new URL(name, folder);
  const inside =
    url.origin === folder.origin &&
    url.search === '' &&
    url.hash === '' &&
    url.pathname === folder.pathname + name;
  if (!inside)
    throw new PackError(
      shownName(name),
      `would be fetched from ${url.href}, outside the pack folder ${folder.href}; refused`,
      'name',
    );
  return url.href;
}

function shownName(name: string): string {
  const s = JSON.stringify(name);
  return s.length > 60 ? `${s.slice(0, 60)}…"` : s;
}
