import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_NOTICES, useLabStore } from './labStore';
import { defaultSettings } from './settingsSchema';
import { decodeHash } from './urlHash';

describe('lab store', () => {
  beforeEach(() =>
    useLabStore.setState({
      settings: defaultSettings(),
      notices: [],
      droppedNotices: 0,
      panel: 'model',
    }),
  );

  it('clamps a slider value out of range and leaves a notice', () => {
    useLabStore.getState().setSetting('topK', 999);
    expect(useLabStore.getState().settings.topK).toBe(32);
    expect(useLabStore.getState().notices[0]?.text).toMatch(/topK lowered to the maximum 32/);
  });

  it('refuses an invalid enum and keeps the previous value', () => {
    // @ts-expect-error: an invalid value, as a hostile caller would send it
    useLabStore.getState().setSetting('strategy', 'magic');
    expect(useLabStore.getState().settings.strategy).toBe('ep');
    expect(useLabStore.getState().notices).toHaveLength(1);
  });

  it('applies a decoded link with its notices', () => {
    useLabStore.getState().applyDecodedHash(decodeHash('#/latency?topK=4&bogus=1'));
    const s = useLabStore.getState();
    expect(s.panel).toBe('latency');
    expect(s.settings.topK).toBe(4);
    expect(s.notices.map((n) => n.text).join()).toMatch(/unknown setting "bogus"/);
  });

  it('keeps every repair of a hostile link, as one group (issue 24, class 7)', () => {
    const keys = Array.from({ length: 14 }, (_, i) => `bogus${i}=1`).join('&');
    const decoded = decodeHash(`#/latency?topK=4&${keys}`);
    useLabStore.getState().addNotice('The engine loaded.', 'info');
    useLabStore.getState().applyDecodedHash(decoded);
    const s = useLabStore.getState();
    const shown = s.notices.flatMap((n) => [n.text, ...n.details]).join('\n');
    // Listed one by one up to the decoder's limit, the rest counted: nothing vanishes silently.
    for (let i = 0; i < 8; i++) expect(shown).toContain(`unknown setting "bogus${i}"`);
    expect(shown).toContain('…and 6 more problems in the link');
    const group = s.notices.find((n) => n.details.length > 0)!;
    expect(group.text).toBe('The link was repaired; what was changed or ignored:');
    expect(group.details).toHaveLength(9);
    // The group is one notice: the earlier notice is still there.
    expect(s.notices.map((n) => n.text)).toContain('The engine loaded.');
    expect(s.droppedNotices).toBe(0);
  });

  it('says how many notices were removed when more arrive than fit', () => {
    for (let i = 0; i < MAX_NOTICES + 3; i++) useLabStore.getState().addNotice(`notice ${i}`);
    const s = useLabStore.getState();
    expect(s.notices).toHaveLength(MAX_NOTICES);
    expect(s.notices.at(-1)?.text).toBe(`notice ${MAX_NOTICES + 2}`);
    expect(s.droppedNotices).toBe(3);
    useLabStore.getState().dismissDroppedCount();
    expect(useLabStore.getState().droppedNotices).toBe(0);
  });
});
