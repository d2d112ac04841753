// The trained model's MoE weights on the page's own thread, for the virtual GPUs: only
// moe.safetensors, through the same verified cache the engine filled (no second download).
import { downloadFiles } from '../loading/downloadFiles';
import { modelCacheName } from '../loading/modelCache';
import type { ModelConfig } from '../model/config';
import { kernelWeights } from '../model/moeReference';
import { moeWeightsFrom } from '../model/pack';
import { parseSafetensors } from '../model/safetensors';
import type { MoeWeights } from '../kernels/types';

export async function loadMoeWeights(packUrl: string, config: ModelConfig): Promise<MoeWeights[]> {
  const file = config.files.find((f) => f.name === 'moe.safetensors');
  if (!file) throw new Error('The model pack lists no moe.safetensors.');
  const got = await downloadFiles(
    [
      {
        url: new URL(file.name, packUrl).href,
        name: file.name,
        bytes: file.bytes,
        sha256: file.sha256,
      },
    ],
    { cacheName: modelCacheName() },
  );
  const st = parseSafetensors(new Uint8Array(got.get(file.name)!));
  return moeWeightsFrom(st, config).map((w) => kernelWeights(w, config));
}
