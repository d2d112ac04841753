import { beforeEach, describe, expect, it } from 'vitest';
import { useLabStore } from './labStore';
import { defaultSettings } from './settingsSchema';
import { decodeHash } from './urlHash';

describe('lab store', () => {
  beforeEach(() =>
    useLabStore.setState({ settings: defaultSettings(), notices: [], panel: 'model' }),
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
});
