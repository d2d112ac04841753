// `npm run bench:browser`: the Performance panel's benchmarks in headless Chromium (Debian's, on
// SwiftShader here, on the machine's GPU elsewhere), driven the way a user would: open the built
// site, choose the benchmark, press Run, wait, print the report as `npm run bench` does.
//   --kinds=align,layer,model (default all)  --full  --json FILE  --dist DIR (default: build one)
//   --shape=olmoe (the layer benchmark's one shape: tiny, mixtral, qwen, olmoe, deepseek; default all)
//   --chromium-flag=FLAG (repeatable, e.g. --chromium-flag=--use-vulkan)
// A benchmark, never a test.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { reportToMarkdown } from '../src/bench/markdown';
import type { BenchKind, BenchReport } from '../src/bench/types';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const kinds = (opt('kinds') ?? 'align,layer,model').split(',') as BenchKind[];
const size = args.includes('--full') ? 'full' : 'quick';
const jsonOut = opt('json');
const shape = opt('shape');
const port = Number(opt('port') ?? 4321);
const extraFlags = args.filter((a) => a.startsWith('--chromium-flag=')).map((a) => a.slice(16));
let dist = opt('dist');
if (!dist) {
  dist = 'bench/out/site';
  console.error('building the site into bench/out/site …');
  const b = spawnSync(
    'npx',
    ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'],
    {
      stdio: 'inherit',
    },
  );
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const chromiumOk = spawnSync('bash', ['scripts/ensure-chromium.sh'], { stdio: 'inherit' });
if (chromiumOk.status !== 0) process.exit(1);

const server = spawn(
  'node',
  ['scripts/serve-static.mjs', '--dir', dist, '--prefix', '/moe-lab/', '--port', String(port)],
  { stdio: 'ignore' },
);
const base = `http://127.0.0.1:${port}/moe-lab/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--enable-unsafe-webgpu', ...extraFlags],
});
const reports: BenchReport[] = [];
let failed = false;
try {
  const page = await browser.newPage();
  for (let i = 0; i < 50; i++) {
    const up = await fetch(base).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const kind of kinds) {
    const shapeParam = kind === 'layer' && shape ? `&benchShape=${shape}` : '';
    await page.goto(`${base}#/performance?benchKind=${kind}&benchSize=${size}${shapeParam}`);
    const run = page.getByTestId('bench-run');
    await run.waitFor();
    if (await run.isDisabled()) {
      console.error(`${kind}: ${await page.getByTestId('bench-needs-gpu').innerText()}`);
      failed = true;
      continue;
    }
    await run.click();
    let last = '';
    for (;;) {
      const s = await page.evaluate(() => window.__moeLabBench);
      if (s && s.status !== 'running' && s.status !== 'idle') {
        if (s.status === 'done' && s.report) {
          reports.push(s.report);
          console.log(`\n${reportToMarkdown(s.report)}`);
        } else {
          console.error(`${kind}: ${s.status} ${s.error ?? ''}`);
          failed = true;
        }
        break;
      }
      const p = await page
        .getByTestId('bench-progress')
        .innerText()
        .catch(() => '');
      if (p && p !== last) console.error(`  ${p.trim()}`);
      last = p;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
} finally {
  await browser.close();
  server.kill();
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ reports }, null, 1));
process.exit(failed ? 1 : 0);
