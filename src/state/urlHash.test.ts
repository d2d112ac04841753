import { describe, expect, it } from 'vitest';
import { decodeEmbed, decodeHash, encodeHash, MAX_HASH_LENGTH } from './urlHash';
import { SETTINGS_SCHEMA, SETTING_KEYS, defaultSettings, type LabSettings } from './settingsSchema';
import { PANEL_IDS } from './panelIds';

function randomSettings(rand: () => number): LabSettings {
  const s = defaultSettings() as Record<string, unknown>;
  for (const key of SETTING_KEYS) {
    const f = SETTINGS_SCHEMA[key];
    if (f.kind === 'int') s[key] = f.min + Math.floor(rand() * (f.max - f.min + 1));
    else if (f.kind === 'float') s[key] = Number((f.min + rand() * (f.max - f.min)).toPrecision(6));
    else if (f.kind === 'enum') s[key] = f.values[Math.floor(rand() * f.values.length)];
    else if (f.kind === 'bool') s[key] = rand() < 0.5;
    else {
      const alphabet = 'ab c=&?#%+/é漢\n\t';
      s[key] = Array.from({ length: Math.floor(rand() * 30) }, () =>
        alphabet.charAt(Math.floor(rand() * alphabet.length)),
      ).join('');
    }
  }
  return s as LabSettings;
}

function lcg(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('URL hash codec', () => {
  it('encodes the defaults as just the panel', () => {
    expect(encodeHash({ panel: 'gating', settings: defaultSettings() })).toBe('#/gating');
  });

  it('round-trips every setting and panel exactly', () => {
    const rand = lcg(42);
    for (let i = 0; i < 500; i++) {
      const settings = randomSettings(rand);
      const panel = PANEL_IDS[i % PANEL_IDS.length]!;
      const decoded = decodeHash(encodeHash({ panel, settings }));
      expect(decoded.notices).toEqual([]);
      expect(decoded.panel).toBe(panel);
      expect(decoded.settings).toEqual(settings);
    }
  });

  it('reads a hand-written link', () => {
    const d = decodeHash('#/parallelism?gpus=8&strategy=tp&topK=4&presentation=1');
    expect(d.panel).toBe('parallelism');
    expect(d.settings.gpus).toBe('8');
    expect(d.settings.strategy).toBe('tp');
    expect(d.settings.topK).toBe(4);
    expect(d.settings.presentation).toBe(true);
    expect(d.notices).toEqual([]);
  });

  it('clamps absurd numbers and says so', () => {
    const d = decodeHash('#/model?topK=100000&temperature=-3');
    expect(d.settings.topK).toBe(SETTINGS_SCHEMA.topK.max);
    expect(d.settings.temperature).toBe(0);
    expect(d.notices).toHaveLength(2);
    expect(d.notices[0]).toMatch(/topK.*maximum/);
  });

  it('carries the capacity factor (off by default, 1…4) and refuses absurd ones with a notice', () => {
    expect(SETTINGS_SCHEMA.capacityFactor.default).toBe('off');
    expect(SETTINGS_SCHEMA.capacityFactor.values[0]).toBe('off');
    // Every value but off is a factor in [1, 4]: below 1 an expert could not take its even share.
    for (const v of SETTINGS_SCHEMA.capacityFactor.values.slice(1)) {
      expect(Number(v)).toBeGreaterThanOrEqual(1);
      expect(Number(v)).toBeLessThanOrEqual(4);
    }
    const settings = { ...defaultSettings(), capacityFactor: '1.25' as const };
    const hash = encodeHash({ panel: 'permutation', settings });
    expect(hash).toContain('capacityFactor=1.25');
    const back = decodeHash(hash);
    expect(back.notices).toEqual([]);
    expect(back.settings.capacityFactor).toBe('1.25');
    expect(encodeHash({ panel: 'permutation', settings: defaultSettings() })).not.toContain(
      'capacityFactor',
    );
    for (const absurd of ['1e9', '0.5', '-1', 'NaN', 'Infinity', '4.0001', 'lots']) {
      const d = decodeHash(`#/model?capacityFactor=${absurd}`);
      expect(d.settings.capacityFactor).toBe('off');
      expect(d.notices).toHaveLength(1);
      expect(d.notices[0]).toMatch(/capacityFactor/);
    }
  });

  it('opens the MoE layer diagram at the root, and every named view where the link says', () => {
    for (const root of ['', '#', '#/']) expect(decodeHash(root).panel).toBe('layer');
    for (const p of PANEL_IDS) expect(decodeHash(`#/${p}`).panel).toBe(p);
    expect(decodeHash('#/model?topK=3').panel).toBe('model');
  });

  it('ignores unknown keys, unknown panels and bad values with notices', () => {
    const d = decodeHash('#/nope?__proto__=1&constructor=x&gpus=3&strategy=magic&topK=NaN&topK=2');
    expect(d.panel).toBe('layer');
    expect(d.settings).toEqual(defaultSettings());
    expect(d.notices.length).toBeGreaterThanOrEqual(5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(d.settings)).toBe(Object.prototype);
  });

  it('lists the first repairs and counts every other one (issue 24, class 7)', () => {
    const parts = Array.from({ length: 20 }, (_, i) => `junk${i}=1`).join('&');
    const d = decodeHash(`#/model?${parts}`);
    expect(d.notices).toHaveLength(9);
    expect(d.notices.slice(0, 8).every((n) => /unknown setting "junk\d+"/.test(n))).toBe(true);
    expect(d.notices[8]).toBe(
      '…and 12 more problems in the link, repaired or ignored the same way.',
    );
    const nine = decodeHash(`#/model?${parts.split('&').slice(0, 9).join('&')}`);
    expect(nine.notices[8]).toBe(
      '…and 1 more problem in the link, repaired or ignored the same way.',
    );
  });

  it('rejects non-numeric text that Number() would accept', () => {
    for (const bad of ['0x10', '', ' ', 'Infinity', '1e999', '2,5']) {
      const d = decodeHash(`#/model?topK=${encodeURIComponent(bad)}`);
      expect(d.settings.topK).toBe(SETTINGS_SCHEMA.topK.default);
      expect(d.notices).toHaveLength(1);
    }
  });

  it('survives malformed percent-encoding and overlong hashes', () => {
    expect(decodeHash('#/model?prompt=%E0%A4%A').notices[0]).toMatch(/badly encoded/);
    const long = decodeHash(`#/model?prompt=${'a'.repeat(MAX_HASH_LENGTH)}`);
    expect(long.settings).toEqual(defaultSettings());
    expect(long.notices[0]).toMatch(/ignored them all/);
  });

  it('never throws and always yields valid settings on random garbage', () => {
    const rand = lcg(7);
    const chars = '#/?&=%+abcdefgtopK01289.-_~é漢\u0000\uffff ';
    const problems: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const len = Math.floor(rand() * 120);
      let s = '';
      for (let j = 0; j < len; j++) s += chars.charAt(Math.floor(rand() * chars.length));
      const d = decodeHash(s);
      if (!PANEL_IDS.includes(d.panel)) problems.push(`${s}: panel ${d.panel}`);
      if (d.notices.length > 9) problems.push(`${s}: ${d.notices.length} notices`);
      for (const key of SETTING_KEYS) {
        const f = SETTINGS_SCHEMA[key];
        const v = d.settings[key];
        const ok =
          f.kind === 'int' || f.kind === 'float'
            ? typeof v === 'number' && v >= f.min && v <= f.max
            : f.kind === 'enum'
              ? (f.values as readonly unknown[]).includes(v)
              : f.kind === 'text'
                ? typeof v === 'string' && v.length <= f.maxLength
                : typeof v === 'boolean';
        if (!ok) problems.push(`${s}: ${key}=${String(v)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('lesson chapter in the link', () => {
  it('round-trips a chapter and clamps one out of range with a notice', () => {
    const settings = { ...defaultSettings(), chapter: 3 };
    expect(encodeHash({ panel: 'lesson', settings })).toBe('#/lesson?chapter=3');
    expect(decodeHash('#/lesson?chapter=3').settings.chapter).toBe(3);
    const high = decodeHash('#/lesson?chapter=12');
    expect(high.settings.chapter).toBe(8);
    expect(high.notices.join(' ')).toMatch(/chapter="12" lowered to the maximum 8/);
    const low = decodeHash('#/lesson?chapter=-4');
    expect(low.settings.chapter).toBe(1);
    expect(low.notices.join(' ')).toMatch(/raised to the minimum 1/);
    const bad = decodeHash('#/lesson?chapter=three');
    expect(bad.settings.chapter).toBe(1);
    expect(bad.notices.join(' ')).toMatch(/Ignored chapter="three"/);
  });
});

describe('decodeEmbed', () => {
  it('embeds a named view, or the hash’s view for ?embed=1', () => {
    expect(decodeEmbed('?embed=gating')).toEqual({ embed: 'gating', notice: null });
    expect(decodeEmbed('embed=lesson')).toEqual({ embed: 'lesson', notice: null });
    expect(decodeEmbed('?embed=1')).toEqual({ embed: 'hash', notice: null });
    expect(decodeEmbed('?x=2&embed=%20simulator%20')).toEqual({ embed: 'simulator', notice: null });
  });

  it('is off without the option', () => {
    expect(decodeEmbed('')).toEqual({ embed: null, notice: null });
    expect(decodeEmbed('?topK=2')).toEqual({ embed: null, notice: null });
  });

  it('refuses hostile values with a notice and shows the whole lab', () => {
    for (const raw of [
      '?embed=<script>alert(1)</script>',
      '?embed=__proto__',
      '?embed=constructor',
      '?embed=',
      '?embed=%E0%A4%A',
      `?embed=${'x'.repeat(5000)}`,
      '?embed=GATING',
    ]) {
      const d = decodeEmbed(raw);
      expect(d.embed, raw).toBeNull();
      expect(d.notice, raw).toMatch(/showing the whole lab|ignored/);
      expect(d.notice!.length, raw).toBeLessThan(300);
    }
    expect(decodeEmbed(`?embed=${'a'.repeat(MAX_HASH_LENGTH)}`).embed).toBeNull();
  });

  it('uses the first of repeated options and says so', () => {
    const d = decodeEmbed('?embed=heatmap&embed=device');
    expect(d.embed).toBe('heatmap');
    expect(d.notice).toMatch(/more than once/);
  });

  it('never throws on random garbage', () => {
    const rand = lcg(11);
    const chars = '?&=%+embdgatinglesson01é\u0000<>"\' ';
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const len = Math.floor(rand() * 60);
      for (let j = 0; j < len; j++) s += chars.charAt(Math.floor(rand() * chars.length));
      const d = decodeEmbed(s);
      expect(d.embed === null || d.embed === 'hash' || PANEL_IDS.includes(d.embed)).toBe(true);
    }
  });
});
