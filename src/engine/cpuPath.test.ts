// The CPU path (onnxruntime-web wasm for the dense parts + the kernels' TypeScript twins for the
// MoE layers) must reproduce the exporter's golden logits, routing and greedy completions.
import { describe, expect, it } from 'vitest';
import { validatePack } from '../model/pack';
import { readIndex, readPackFiles } from '../model/testing/diskPack';
import { MODEL_RUN_TIMEOUT_MS } from '../model/testing/timeouts';
import { CpuBackend } from './cpuBackend';
import { enginePackFrom } from './enginePack';
import { checkGolden, GOLDEN_LOGITS_TOLERANCE } from './golden';

// Every pack listed in public/models/index.json: a missing index or pack fails the test.
const ids = readIndex().models.map((m) => m.id);

describe.each(ids)('CPU engine on the %s pack', (id) => {
  it(
    'reproduces the golden logits, routing and greedy completion',
    async () => {
      const pack = await validatePack(readPackFiles(id));
      const enginePack = enginePackFrom(pack);
      const backend = await CpuBackend.create(enginePack);
      expect(pack.golden.prompts.length).toBeGreaterThan(0);
      for (const golden of pack.golden.prompts) {
        const check = await checkGolden(backend, enginePack.codec, pack.config.maxContext, golden);
        expect(check.logitsRelError, check.prompt).toBeLessThan(GOLDEN_LOGITS_TOLERANCE);
        expect(check.routingTokensMatched, check.prompt).toBe(check.routingTokens);
        expect(check.completion.startsWith(check.expectedCompletion), check.prompt).toBe(true);
        expect(check.pass).toBe(true);
      }
    },
    MODEL_RUN_TIMEOUT_MS,
  );
});
