// `npm run bench`: the MoE layer (ours fused vs per-expert dispatch vs dense-masked, and
// onnxruntime-web's dense-masked graph and QMoE on the same device), the floors measured in the
// same run, align & sort alone, the issue-9 targets, and the whole default model (ours vs the
// pack's onnxruntime-only reference graph, on WebGPU and wasm): tables of ratios.
// `--json [FILE]` writes { reports: [...] } as JSON; `--quick` (default) keeps SwiftShader to a
// few minutes; `--full` runs the real-model shapes (the GPU machine: bench/gpu-run.sh);
// `--only=mixtral,olmoe`; `--tokens=1,512` picks token counts; `--decode-rows=N` tunes the
// decode-path switch; `--no-ort` leaves onnxruntime out of the layer bench; `--no-layer`,
// `--no-align`, `--no-model` skip a benchmark; `--gemm-tiles-only` times only our fused f32 layer
// with the grouped GEMM's 64- and 128-column tiles; `--model=ID` picks the pack (`--models-dir DIR`);
// `--ort-dir DIR` where ORT's dist files are (bundled runs).
// Bundled by bench/build.ts into bench/out/moe-bench.mjs so the same file runs here and there.
// A benchmark, never a test.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runLayerBench } from '../src/bench/layerBench';
import { runModelBench } from '../src/bench/modelBench';
import type { BenchReport } from '../src/bench/types';
import { useOrtModule } from '../src/engine/ortSetup';
import { readPack } from './node/readPack';
import { decodeTuning } from '../src/kernels/decode';
import { reportToMarkdown } from '../src/bench/markdown';
import { openDawnOrt } from './node/dawnOrt';
import { adapterText } from '../src/gpu/gpuInfo';

const args = process.argv.slice(2);
const size = args.includes('--full') ? 'full' : 'quick';
const value = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 && args[i + 1] && !args[i + 1]!.startsWith('--') ? args[i + 1] : undefined;
};
const jsonOut = args.includes('--json') ? (value('--json') ?? '-') : null;
const tokens = args
  .find((a) => a.startsWith('--tokens='))
  ?.slice('--tokens='.length)
  .split(',')
  .map(Number)
  .filter((t) => Number.isInteger(t) && t > 0);
// Tuning runs: the decode GEMM path runs while T·k ≤ this × experts (default 8).
const decodeRows = Number(args.find((a) => a.startsWith('--decode-rows='))?.slice(14));
if (decodeRows > 0) decodeTuning.rowsPerExpert = decodeRows;
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const ortDir = value('--ort-dir') ?? resolve('node_modules/onnxruntime-web/dist'); // run from the repo root
// With `--json` and no file, stdout is the JSON: the table goes to stderr.
const print = (s: string) => (jsonOut === '-' ? console.error(s) : console.log(s));

// Dawn rounds timestamps to ~65 µs by default: too coarse for align & sort and small kernels.
const env = await openDawnOrt(ortDir, ['disable-dawn-features=timestamp_quantization']);
const deviceText = adapterText(env.device.adapterInfo);
const runtime = `node ${process.version} + dawn (webgpu package)`;
print(`MoE Lab benchmark (${size}) on ${deviceText}`);
const progress = {
  onProgress: (p: { fraction: number; message: string }) =>
    console.error(`  [${(100 * p.fraction).toFixed(0)}%] ${p.message}`),
};
const reports: BenchReport[] = [];
const runLayer = !args.includes('--no-layer');
const runAlign = !args.includes('--no-align');
if (runLayer || runAlign) {
  const report = await runLayerBench(
    {
      device: env.device,
      ort: args.includes('--no-ort') ? null : env.ort,
      runtime,
      deviceText,
    },
    size,
    progress,
    {
      only,
      tokens,
      align: runAlign,
      layer: runLayer,
      gemmTilesOnly: args.includes('--gemm-tiles-only'),
    },
  );
  reports.push(report);
  print('');
  print(reportToMarkdown(report));
}
if (!args.includes('--no-model')) {
  // The engine's onnxruntime-web is this one, loaded next to the Dawn device.
  useOrtModule(env.ort);
  const modelId = args.find((a) => a.startsWith('--model='))?.slice('--model='.length);
  const { id, pack } = await readPack(value('--models-dir') ?? resolve('public/models'), modelId);
  const report = await runModelBench(
    { pack, packId: id, device: env.device, runtime, deviceText },
    size,
    progress,
  );
  reports.push(report);
  print('');
  print(reportToMarkdown(report));
}
if (jsonOut === '-') console.log(JSON.stringify({ reports }, null, 1));
else if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ reports }, null, 1));
void env.instance;
process.exit(0);
