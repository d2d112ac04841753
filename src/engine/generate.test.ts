// The generation loop never drops the prompt to make room for the answer: asking for more
// tokens than the context holds shortens the answer (and says so), the prompt stays whole.
import { describe, expect, it } from 'vitest';
import { validatePack } from '../model/pack';
import { readPackFiles } from '../model/testing/diskPack';
import { CpuBackend } from './cpuBackend';
import { enginePackFrom } from './enginePack';
import { generate } from './generate';

describe('generate, at the edge of the context', () => {
  it('keeps the whole prompt when the tokens asked for exceed the context', async () => {
    const pack = await validatePack(readPackFiles('mixtral-style'));
    const ep = enginePackFrom(pack);
    const backend = await CpuBackend.create(ep);
    const ctx = pack.config.maxContext;
    const result = await generate(backend, ep.codec, ctx, {
      prompts: ['add: 37+45='],
      maxTokens: ctx - 1,
      temperature: 0,
      topP: 1,
      stops: [],
      seed: 0,
      trace: false,
    });
    // The model still sees its question, so it still answers it.
    expect(result.texts[0]!.startsWith('82')).toBe(true);
    expect(result.notices.join(' ')).toMatch(/at most \d+ of the 127 tokens asked for fit/);
    expect(result.notices.join(' ')).not.toMatch(/kept the last/);
    await backend.dispose();
  }, 180_000);
});
