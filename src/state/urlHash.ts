// The whole lab state <-> the URL hash, in one module (as tensorflow/playground does).
// Format: `#/<panel>?key=value&key=value`, only values that differ from the defaults, so links
// stay short. Decoding treats the hash as hostile: it never throws, ignores what it does not
// know, clamps what is out of range, and reports each of those as a notice for the UI.
import { coerceSetting } from './coerceSetting';
import {
  SETTINGS_SCHEMA,
  SETTING_KEYS,
  defaultSettings,
  type LabSettings,
  type SettingKey,
} from './settingsSchema';
import { DEFAULT_PANEL, PANEL_IDS, isPanelId, type PanelId } from './panelIds';

export type LabView = { panel: PanelId; settings: LabSettings };
export type DecodedHash = LabView & { notices: string[] };

/** Longer hashes are not links a person shares; refuse them before parsing anything. */
export const MAX_HASH_LENGTH = 8192;
const MAX_NOTICES = 8;

function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTINGS_SCHEMA, key);
}

function formatValue(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(Number.isInteger(v) ? v : Number(v.toPrecision(6)));
  return v;
}

export function encodeHash(view: LabView): string {
  const defaults = defaultSettings();
  const params = new URLSearchParams();
  for (const key of SETTING_KEYS) {
    const value = view.settings[key];
    if (value !== defaults[key]) params.set(key, formatValue(value));
  }
  const query = params.toString();
  return `#/${view.panel}${query ? `?${query}` : ''}`;
}

function shorten(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

export function decodeHash(hash: string): DecodedHash {
  const settings = defaultSettings();
  const listed: string[] = [];
  let unlisted = 0;
  const note = (msg: string) => {
    if (listed.length < MAX_NOTICES) listed.push(msg);
    else unlisted++;
  };
  // Past MAX_NOTICES the repairs are counted, never silently dropped.
  const notices = () =>
    unlisted === 0
      ? listed
      : [
          ...listed,
          `…and ${unlisted} more ${unlisted === 1 ? 'problem' : 'problems'} in the link, repaired or ignored the same way.`,
        ];
  let panel: PanelId = DEFAULT_PANEL;
  try {
    if (typeof hash !== 'string') return { panel, settings, notices: notices() };
    if (hash.length > MAX_HASH_LENGTH) {
      note(`The link's settings are ${hash.length} characters long; ignored them all.`);
      return { panel, settings, notices: notices() };
    }
    const body = hash.replace(/^#/, '');
    if (body === '' || body === '/') return { panel, settings, notices: notices() };
    const q = body.indexOf('?');
    const path = (q === -1 ? body : body.slice(0, q)).replace(/^\/+|\/+$/g, '');
    const query = q === -1 ? '' : body.slice(q + 1);

    if (path !== '') {
      if (isPanelId(path)) panel = path;
      else note(`Unknown view "${shorten(path)}" in the link; showing the ${DEFAULT_PANEL} view.`);
    }

    const seen = new Set<string>();
    for (const part of query.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      let key: string;
      let raw: string;
      try {
        key = decodeURIComponent((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
        raw = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
      } catch {
        note(`Ignored a badly encoded part of the link: "${shorten(part)}".`);
        continue;
      }
      if (!isSettingKey(key)) {
        note(`Ignored unknown setting "${shorten(key)}" in the link.`);
        continue;
      }
      if (seen.has(key)) {
        note(`Setting "${key}" appears twice in the link; kept the first.`);
        continue;
      }
      seen.add(key);
      const result = coerceSetting(SETTINGS_SCHEMA[key], raw);
      if (!result.ok) {
        note(`Ignored ${key}="${shorten(raw)}": it ${result.note}.`);
        continue;
      }
      (settings as Record<SettingKey, unknown>)[key] = result.value;
      if (result.note) note(`${key}="${shorten(raw)}" ${result.note}.`);
    }
  } catch (err) {
    // Defensive: nothing above should throw, but a link must never break the page.
    note(`Could not read the link (${err instanceof Error ? err.message : 'unknown error'}).`);
    return { panel: DEFAULT_PANEL, settings: defaultSettings(), notices: notices() };
  }
  return { panel, settings, notices: notices() };
}

/**
 * Embed mode (`?embed=<view>` in the page's query string, e.g. `index.html?embed=gating#/…`):
 * one view alone, without the header and navigation, for an iframe on a slide. `?embed=1` embeds
 * the view the hash names. The query is as untrusted as the hash: anything else is refused with
 * a notice and the whole lab is shown.
 */
export type DecodedEmbed = { embed: PanelId | 'hash' | null; notice: string | null };

export function decodeEmbed(search: string): DecodedEmbed {
  try {
    if (typeof search !== 'string' || search.length > MAX_HASH_LENGTH) {
      return { embed: null, notice: 'The page address is too long; ignored its embed option.' };
    }
    const values = new URLSearchParams(search).getAll('embed');
    if (values.length === 0) return { embed: null, notice: null };
    const value = values[0]!.trim();
    const extra =
      values.length > 1 ? ' (the address names embed more than once; used the first)' : '';
    if (value === '1' || value === 'true') {
      return { embed: 'hash', notice: extra ? `Embedding the linked view${extra}.` : null };
    }
    if (isPanelId(value)) {
      return { embed: value, notice: extra ? `Embedding the ${value} view${extra}.` : null };
    }
    return {
      embed: null,
      notice: `Unknown view "${shorten(value)}" to embed; showing the whole lab. Use ?embed= one of: ${PANEL_IDS.join(', ')}.`,
    };
  } catch {
    return { embed: null, notice: 'Could not read the embed option in the address; ignored it.' };
  }
}
