// The built site runs under its strict Content-Security-Policy with nothing blocked: every view
// is visited and any `securitypolicyviolation` (or Chromium's "Refused to …" console line) fails
// the test. A control at the end shows the policy is really enforced, so silence means something.
import { test, expect } from './fixtures';
import { PANELS } from '../src/panels/registry';

type Violation = { directive: string; blocked: string; source: string };

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

  for (const p of PANELS) {
    await page.goto(`./#/${p.id}`);
    await expect(page.getByTestId(`panel-${p.id}`)).toBeVisible();
    if (p.id === 'device') await expect(page.getByTestId('selftest-result')).toBeVisible();
    await page.waitForTimeout(200);
    expect(await violations(), `CSP violations on #/${p.id}`).toEqual([]);
  }
  // The presentation toggle restyles the page: still nothing blocked.
  await page.getByTestId('presentation-toggle').check();
  expect(await violations()).toEqual([]);
  expect(refused).toEqual([]);
  await shot('csp-device');

  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).toContain("object-src 'none'");

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
  const seen = (await violations()).map((v) => `${v.directive} ${v.blocked}`);
  expect(seen).toEqual(['script-src-elem inline', 'script-src-elem data']);
});
