// Which WebGPU adapter does Chromium give with each set of flags? Run by bench/browser-gpu-run.sh on
// the GPU machine (next to a node_modules holding @playwright/test), before the benchmark:
//   node browser-adapter.mjs OUTDIR   (CHROMIUM_PATH = the browser)
// Prints one line per flag set; writes OUTDIR/adapters.json, OUTDIR/chrome-gpu-<n>.txt (chrome://gpu,
// which says why a GPU was not used) and OUTDIR/flags.txt: the first set whose adapter is a hardware
// one (nothing when none is).
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const out = process.argv[2] ?? '.';
const common = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--ignore-gpu-blocklist',
  '--enable-dawn-features=allow_unsafe_apis',
];
const vulkan = [
  '--use-angle=vulkan',
  '--enable-features=Vulkan',
  '--use-vulkan=native',
  '--disable-vulkan-surface',
];
const sets = [
  vulkan,
  [...vulkan, '--enable-gpu', '--use-gl=angle'],
  [
    '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan',
    '--use-angle=vulkan',
    '--enable-gpu',
  ],
  [],
];
// WebGPU wants a secure context: a page of our own on 127.0.0.1.
const server = createServer((_, res) => {
  res.setHeader('content-type', 'text/html');
  res.end('<!doctype html><title>adapter</title>');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const results = [];
let chosen = null;
for (const [i, set] of sets.entries()) {
  const flags = [...common, ...set];
  let row = { flags };
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH,
      headless: true,
      args: flags,
      timeout: 120_000,
    });
    const page = await browser.newPage();
    await page.goto(url);
    // Runs in the page, where `navigator` is the browser's.
    row.adapter = await page.evaluate(async () => {
      const { navigator } = globalThis;
      if (!navigator.gpu) return { error: 'no navigator.gpu' };
      const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!a) return { error: 'requestAdapter gave null' };
      const info = a.info ?? {};
      return {
        vendor: info.vendor,
        architecture: info.architecture,
        device: info.device,
        description: info.description,
        fallback: a.isFallbackAdapter ?? info.isFallbackAdapter ?? null,
        features: [...a.features].sort(),
        maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize,
        maxComputeWorkgroupStorageSize: a.limits.maxComputeWorkgroupStorageSize,
      };
    });
    row.version = browser.version();
    await page.goto('chrome://gpu').catch(() => {});
    await page.waitForTimeout(1500);
    writeFileSync(
      `${out}/chrome-gpu-${i}.txt`,
      await page
        .locator('body')
        .innerText()
        .catch((e) => String(e)),
    );
  } catch (e) {
    row.error = String(e).slice(0, 2000);
  } finally {
    await browser?.close().catch(() => {});
  }
  const a = row.adapter ?? {};
  const hardware =
    !a.error &&
    a.vendor &&
    !/google|swiftshader|llvmpipe|mesa/i.test(`${a.vendor} ${a.architecture} ${a.description}`);
  row.hardware = Boolean(hardware);
  results.push(row);
  console.log(`set ${i} [${set.join(' ') || 'defaults'}]: ${row.error ?? JSON.stringify(a)}`);
  if (hardware && !chosen) chosen = flags;
}
server.close();
writeFileSync(`${out}/adapters.json`, JSON.stringify(results, null, 1));
writeFileSync(
  `${out}/flags.txt`,
  chosen
    ? chosen
        .filter((f) => f !== '--no-sandbox' && f !== '--enable-unsafe-webgpu')
        .map((f) => `${f}\n`)
        .join('')
    : '',
);
console.log(
  chosen ? `hardware adapter with: ${chosen.join(' ')}` : 'no hardware adapter with any flag set',
);
