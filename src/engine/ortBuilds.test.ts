// Which onnxruntime-web build the engine installs: JSPI only where the engine has it and its
// runtime file is reachable; asyncify otherwise, with the reason when JSPI was there but unusable.
import { afterEach, describe, expect, it } from 'vitest';
import { currentOrtBuild, installPreferredOrtBuild, JSPI_WASM, withOrtBuild } from './ortBuilds';
import { asyncifyOrt, ort, useOrtModule as installOrtModule } from './ortSetup';

const wasm = WebAssembly as { Suspending?: unknown };
const hadJspi = 'Suspending' in wasm;
const realSuspending = wasm.Suspending;
const withJspi = (on: boolean) => {
  if (on) wasm.Suspending = function Suspending() {};
  else delete wasm.Suspending;
};

afterEach(() => {
  if (hadJspi) wasm.Suspending = realSuspending;
  else delete wasm.Suspending;
  installOrtModule(asyncifyOrt);
});

describe('onnxruntime-web build', () => {
  it('is asyncify without JSPI, and no reason is given', async () => {
    withJspi(false);
    let probed = false;
    const r = await installPreferredOrtBuild('/ort/', async () => (probed = true));
    expect(r).toEqual({ build: 'asyncify', reason: null });
    expect(probed).toBe(false);
    expect(currentOrtBuild()).toBe('asyncify');
  });

  it('falls back to asyncify, saying why, when the JSPI runtime is not reachable (offline)', async () => {
    withJspi(true);
    const asked: string[] = [];
    const r = await installPreferredOrtBuild('/site/ort', async (u) => (asked.push(u), false));
    expect(asked).toEqual([`/site/ort/${JSPI_WASM}`]);
    expect(r.build).toBe('asyncify');
    expect(r.reason).toMatch(/JSPI could not be used: its runtime .* is not reachable/);
    expect(ort).toBe(asyncifyOrt);
  });

  it('installs the JSPI build where it loads, and a measurement on asyncify puts it back', async () => {
    withJspi(true);
    const r = await installPreferredOrtBuild('/ort/', async () => true);
    expect(r).toEqual({ build: 'jspi', reason: null });
    expect(currentOrtBuild()).toBe('jspi');
    const inside = await withOrtBuild('asyncify', '/ort/', async () => currentOrtBuild());
    expect(inside).toBe('asyncify');
    expect(currentOrtBuild()).toBe('jspi');
  });

  it('leaves a module the host installed (Node’s Dawn-backed one) in place without JSPI', async () => {
    withJspi(false);
    const host = { env: { wasm: {} } } as unknown as typeof asyncifyOrt;
    installOrtModule(host);
    expect(await installPreferredOrtBuild('/ort/', async () => true)).toEqual({
      build: 'asyncify',
      reason: null,
    });
    expect(ort).toBe(host);
    expect(await withOrtBuild('asyncify', '/ort/', async () => ort)).toBe(host);
  });

  it('refuses the JSPI build where the engine has no JSPI', async () => {
    withJspi(false);
    await expect(withOrtBuild('jspi', '/ort/', async () => 1)).rejects.toThrow(/no JSPI/);
    expect(currentOrtBuild()).toBe('asyncify');
  });
});
