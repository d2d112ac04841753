// The dense twins composed into the whole model reproduce the exporter's golden logits, which
// also checks that onnxWeights maps every initializer to its role.
import { describe, expect, it } from 'vitest';
import { enginePackFrom } from '../engine/enginePack';
import { GOLDEN_LOGITS_TOLERANCE } from '../engine/golden';
import { maxRelError } from '../kernels/reference';
import { validatePack } from '../model/pack';
import { readPackFiles } from '../model/testing/diskPack';
import type { DenseModelConfig } from './denseConfig';
import { denseModelReference } from './denseModelReference';

describe.each(['mixtral-style', 'fine-grained', 'shared-expert', 'dense', 'bias-balance', 'large'])(
  'dense twins on %s',
  (id) => {
    it('match the golden last-position logits of every golden prompt', async () => {
      const pack = await validatePack(readPackFiles(id));
      const src = { ...enginePackFrom(pack), config: pack.config as DenseModelConfig };
      for (const g of pack.golden.prompts) {
        const logits = denseModelReference(src, g.ids);
        expect(maxRelError(logits, g.lastLogits), g.text).toBeLessThan(GOLDEN_LOGITS_TOLERANCE);
      }
    });
  },
);
