// The benchmarks' shaders against their declared interface (benchShaders.ts).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specMismatches } from '../kernels/shaderSpec';
import { benchShaderSpecs } from './benchShaders';

describe('bench shader specs', () => {
  it.each(benchShaderSpecs.map((s) => [s.file, s] as const))('%s matches its spec', (_, spec) => {
    expect(specMismatches(spec)).toEqual([]);
  });

  it('every .wgsl in src/bench has a spec', () => {
    const files = readdirSync(__dirname)
      .filter((f) => f.endsWith('.wgsl'))
      .map((f) => `src/bench/${f}`);
    expect(files.sort()).toEqual(benchShaderSpecs.map((s) => s.file).sort());
  });
});
