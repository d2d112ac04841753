// The built site runs under its strict Content-Security-Policy with nothing blocked: every view
// is visited and any `securitypolicyviolation` (or Chromium's "Refused to …" console line) fails
// the test. Every chart's PNG and SVG export runs under the policy too (the exporter must not
// need inline styles), the server sends the policy as a header (a <meta> policy does not govern
// the engine's worker), and a control at the end shows the policy is really enforced, so silence
// means something.
import { readFile } from 'node:fs/promises';
import { test, expect } from './fixtures';
import { PANELS } from '../src/panels/registry';

type Violation = { directive: string; blocked: string; source: string };

// Every view, a model run on the CPU and the export of every chart: more than the default limit.
test.setTimeout(600_000);

test('no CSP violation on any view, and the policy is enforced', async ({ page, shot }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: unknown[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        source: `${e.sourceFile}:${e.lineNumber}`,
      }),
    );
  });
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  const violations = () =>
    page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp.slice());

  // Exporting charts as SVG and PNG must need no inline style: every chart a view shows is
  // exported, the simulator's (drawn without a model run) and those of a real run.
  let exported = 0;
  const exportCharts = async (view: string) => {
    const groups = page.getByRole('group', { name: /^Export / });
    for (let i = 0; i < (await groups.count()); i++) {
      // The chart is drawn before its export is asked for (an undrawn one says so instead).
      const figure = groups.nth(i).locator('xpath=ancestor::figure[1]');
      await expect(figure.locator('.viz-body svg').first()).toBeAttached({ timeout: 120_000 });
      for (const format of ['SVG', 'PNG']) {
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: 120_000 }),
          groups.nth(i).getByRole('button', { name: format, exact: true }).click(),
        ]);
        const file = await readFile((await download.path())!);
        if (format === 'SVG') {
          const text = file.toString('utf8');
          expect(text).toMatch(/^<svg /);
          expect(text).not.toMatch(/\sstyle=/);
        } else expect(file.subarray(1, 4).toString('latin1')).toBe('PNG');
        exported++;
      }
    }
    expect(await violations(), `CSP violations exporting charts on #/${view}`).toEqual([]);
  };

  // The engine on the CPU: quick, and the policy is the same for both paths.
  for (const p of PANELS) {
    await page.goto(`./#/${p.id}?engineBackend=cpu`);
    await expect(page.getByTestId(`panel-${p.id}`)).toBeVisible();
    if (p.id === 'device') await expect(page.getByTestId('selftest-result')).toBeVisible();
    if (p.id === 'simulator') await expect(page.getByTestId('sim-chart-throughput')).toBeVisible();
    await page.waitForTimeout(200);
    expect(await violations(), `CSP violations on #/${p.id}`).toEqual([]);
    await exportCharts(p.id);
  }
  // The views that draw a real run: the engine runs the prompt by itself.
  for (const view of ['gating', 'permutation', 'heatmap']) {
    await page.goto(`./#/${view}?engineBackend=cpu`);
    await expect(page.getByRole('group', { name: /^Export / }).first()).toBeVisible({
      timeout: 300_000,
    });
    await exportCharts(view);
  }
  expect(exported, 'chart exports (SVG and PNG)').toBeGreaterThanOrEqual(6);
  // The presentation toggle restyles the page: still nothing blocked.
  await page.getByTestId('presentation-toggle').check();
  expect(await violations()).toEqual([]);
  expect(refused).toEqual([]);
  await shot('csp-device');

  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).toContain("object-src 'none'");
  // The same policy as a header on the page and on every script, workers' included.
  const scripts = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => /\.m?js$/.test(new URL(u).pathname)),
  );
  expect(
    scripts.some((u) => /worker/.test(u)),
    'a worker script was loaded',
  ).toBe(true);
  for (const url of ['./', ...scripts]) {
    const res = await page.request.get(url);
    expect(res.headers()['content-security-policy'], url).toBe(policy);
  }

  // Control: an inline script and a data: script are blocked; WebAssembly may still compile
  // (onnxruntime needs it). (eval cannot be the control: code run through DevTools, as
  // page.evaluate is, may call it whatever the policy says.)
  const control = await page.evaluate(async () => {
    const inline = document.createElement('script');
    inline.textContent = 'window.__inlineRan = true';
    document.body.append(inline);
    const data = document.createElement('script');
    data.src = 'data:text/javascript,window.__dataRan=true';
    document.body.append(data);
    const minimalWasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    const wasmOk = await WebAssembly.compile(minimalWasm).then(
      () => true,
      () => false,
    );
    await new Promise((r) => setTimeout(r, 200));
    const w = window as unknown as { __inlineRan?: boolean; __dataRan?: boolean };
    return { inlineRan: w.__inlineRan === true, dataRan: w.__dataRan === true, wasmOk };
  });
  expect(control).toEqual({ inlineRan: false, dataRan: false, wasmOk: true });
  // Each policy in force (the <meta> and the header) reports each block once.
  const seen = (await violations()).map((v) => `${v.directive} ${v.blocked}`);
  expect([...new Set(seen)]).toEqual(['script-src-elem inline', 'script-src-elem data']);
});
