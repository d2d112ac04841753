// `npm run bench`: the MoE layer (ours fused vs per-expert dispatch vs dense-masked, and
// onnxruntime-web's dense-masked graph and QMoE on the same device), the floors measured in the
// same run, align & sort alone, and the issue-9 targets: one table of ratios. `--json [FILE]`
// writes the report as JSON; `--quick` (default) keeps SwiftShader to a few minutes; `--full`
// runs the real-model shapes (the GPU machine: bench/gpu-run.sh); `--only=mixtral,olmoe`;
// `--tokens=1,512` picks token counts; `--decode-rows=N` tunes the decode-path switch;
// `--no-ort` leaves onnxruntime out; `--no-align` skips align & sort; `--ort-dir DIR` where ORT's dist files are (bundled runs).
// Bundled by bench/build.ts into bench/out/moe-bench.mjs so the same file runs here and there.
// A benchmark, never a test.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runLayerBench } from '../src/bench/layerBench';
import { decodeTuning } from '../src/kernels/decode';
import { reportToMarkdown } from '../src/bench/markdown';
import { openDawnOrt } from './node/dawnOrt';

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
const info = env.device.adapterInfo;
const deviceText = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`
  .replace(/\s+/g, ' ')
  .trim();
print(`MoE Lab benchmark (${size}) on ${deviceText}`);
const report = await runLayerBench(
  {
    device: env.device,
    ort: args.includes('--no-ort') ? null : env.ort,
    runtime: `node ${process.version} + dawn (webgpu package)`,
    deviceText,
  },
  size,
  { onProgress: (p) => console.error(`  [${(100 * p.fraction).toFixed(0)}%] ${p.message}`) },
  { only, tokens, align: !args.includes('--no-align') },
);
print('');
print(reportToMarkdown(report));
if (jsonOut === '-') console.log(JSON.stringify(report, null, 1));
else if (jsonOut) writeFileSync(jsonOut, JSON.stringify(report, null, 1));
void env.instance;
process.exit(0);
