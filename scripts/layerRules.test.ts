// The import-direction rules of eslint.config.js, run on one-line files placed in each layer:
// each forbidden import must be reported and each allowed one must pass, so a typo in a rule's
// regular expression cannot quietly switch it off.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(filePath: string, specifier: string, dynamic = false) {
  const code = dynamic
    ? `export const load = () => import('${specifier}');\n`
    : `export * from '${specifier}';\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.ruleId);
}

const CASES: [file: string, specifier: string, allowed: boolean][] = [
  // Lower layers never reach the UI.
  ['src/state/x.ts', '../panels/registry', false],
  ['src/viz/x.ts', '../lesson/chapters', false],
  ['src/charts/x.tsx', '../shell/AppShell', false],
  ['src/bench/browser/x.ts', '../../panels/shared/panelInfo', false],
  ['src/viz/x.ts', '../engine/trace', true],
  // The lesson's pure logic never imports panels or the shell.
  ['src/lesson/x.ts', '../panels/shared/panelInfo', false],
  ['src/lesson/x.ts', '../shell/AppShell', false],
  ['src/lesson/x.ts', '../viz/expertList', true],
  // The shell reaches panels through the registry only.
  ['src/shell/x.tsx', '../panels/lesson/PresetMenu', false],
  ['src/shell/x.tsx', '../panels/registry', true],
  // A panel: its own folder, shared, and below; no sibling, registry or shell.
  ['src/panels/heatmap/x.tsx', '../gating/GatingPanel', false],
  ['src/panels/heatmap/x.tsx', '../registry', false],
  ['src/panels/heatmap/x.tsx', '../../shell/ErrorBoundary', false],
  ['src/panels/heatmap/x.tsx', '../shared/TracePickers', true],
  ['src/panels/heatmap/x.tsx', './RoutedText', true],
  ['src/panels/heatmap/x.tsx', '../../viz/routingMatrix', true],
  // Shared pieces import no panel.
  ['src/panels/shared/x.tsx', '../heatmap/HeatmapPanel', false],
  ['src/panels/shared/x.tsx', './panelInfo', true],
];

describe('import direction (eslint.config.js)', () => {
  // The first lint loads the config and the TypeScript parser: seconds on a busy machine.
  beforeAll(() => eslint.lintText('', { filePath: 'src/state/x.ts' }), 60_000);

  it.each(CASES)('%s importing %s: allowed = %s', async (file, specifier, allowed) => {
    expect(await layerErrors(file, specifier)).toEqual(allowed ? [] : ['no-restricted-imports']);
  });

  it('holds a dynamic import() to the same rules', async () => {
    expect(await layerErrors('src/shell/x.tsx', '../panels/lesson/PresetMenu', true)).toEqual([
      'no-restricted-syntax',
    ]);
    expect(await layerErrors('src/state/x.ts', '../panels/registry', true)).toEqual([
      'no-restricted-syntax',
    ]);
    expect(await layerErrors('src/panels/x.ts', './lesson/LessonPanel', true)).toEqual([]);
  });
});
