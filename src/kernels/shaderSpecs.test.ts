// Every WGSL file against its declared interface (shaderSpecs.ts), and the checker shown to
// catch each kind of drift on a copy of a real shader.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  composeShader,
  defineShader,
  packParams,
  paramBytes,
  shaderConst,
  specialize,
  specMismatches,
  type ShaderSpec,
} from './shaderSpec';
import {
  alignShader,
  combineShader,
  decodeGemvFor,
  decodeGemvShader,
  groupedGemmFor,
  groupedGemmShader,
  shaderSpecs,
  weightsInt8Shader,
} from './shaderSpecs';
import { parseWgslInterface } from './wgslInterface';

const root = join(__dirname, '../..');

function wgslFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.wgsl'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** The spec with its source edited (the drift the test must catch). */
const edited = (spec: ShaderSpec, from: string | RegExp, to: string): ShaderSpec => {
  const source = spec.source.replace(from, to);
  expect(source).not.toBe(spec.source);
  return { ...spec, source };
};

/**
 * Every spec in the repository: the exports of each spec module (`shaderSpecs.ts` or
 * `*Shaders.ts` under src/), found by name so a new module is checked without being listed here.
 */
const specModules = import.meta.glob(['../**/shaderSpecs.ts', '../**/*Shaders.ts'], {
  eager: true,
});
const isSpec = (v: unknown): v is ShaderSpec =>
  typeof v === 'object' && v !== null && 'file' in v && 'source' in v && 'bindings' in v;
const allSpecs = [
  ...new Set(Object.values(specModules).flatMap((m) => Object.values(m as object).filter(isSpec))),
];

describe('shader specs', () => {
  it.each(allSpecs.map((s) => [s.file, s] as const))('%s matches its spec', (_, spec) => {
    expect(specMismatches(spec)).toEqual([]);
  });

  it('every .wgsl under shaders/ and src/ has a spec, and the kernels list theirs', () => {
    const files = [...wgslFiles('shaders'), ...wgslFiles('src')].sort();
    expect(files.length).toBeGreaterThanOrEqual(11);
    expect([...new Set(allSpecs.map((s) => s.file))].sort()).toEqual(files);
    for (const s of shaderSpecs) expect(allSpecs).toContain(s);
  });

  it.each(['f32', 'f16', 'int8', 'int4'] as const)(
    'the GEMMs with the %s weight fragment match the composed spec',
    (format) => {
      for (const spec of [
        groupedGemmFor(format),
        groupedGemmFor(format, 128),
        decodeGemvFor(format),
      ])
        expect(specMismatches(spec), spec.file).toEqual([]);
    },
  );

  it('refuses a fragment whose binding collides with the shader it fills', () => {
    const clash = {
      ...weightsInt8Shader,
      bindings: { ...weightsInt8Shader.bindings, wb: [4, 'read'] as const },
    };
    expect(() => composeShader(groupedGemmShader, 'WEIGHTS', clash)).toThrow(
      /wb@4 collides with a@4/,
    );
  });

  it('catches two Params fields swapped', () => {
    const s = edited(alignShader, /P : u32,\s*E : u32,/, 'E : u32,\n  P : u32,');
    expect(specMismatches(s).join()).toMatch(/Params: WGSL has \(E: u32, P: u32/);
  });

  it('catches a field type changed and padding before a named field', () => {
    expect(specMismatches(edited(alignShader, 'chunk : u32', 'chunk : f32')).join()).toMatch(
      /chunk: f32/,
    );
    const s = edited(
      combineShader,
      'has_residual : u32,\n  _p0 : u32,',
      '_p0 : u32,\n  has_residual : u32,',
    );
    expect(specMismatches(s).join()).toMatch(/padding field _p0 before a named field/);
  });

  it('catches a binding renumbered, renamed or with another access', () => {
    const renumbered = edited(alignShader, '@binding(8) var', '@binding(10) var');
    expect(specMismatches(renumbered).join()).toMatch(
      /not in WGSL: partial@8.*not in the spec: partial@10/,
    );
    const access = edited(alignShader, 'read> expert_map', 'read_write> expert_map');
    expect(specMismatches(access).join()).toMatch(/expert_map@2:read_write/);
    const renamed = edited(alignShader, 'counts : array', 'histo : array');
    expect(specMismatches(renamed).join()).toMatch(/not in the spec: histo@3/);
  });

  it('catches a template slot or a required override the spec does not declare', () => {
    const slot = edited(
      groupedGemmShader,
      'const NONE : u32 = 0xffffffffu;',
      'const NONE : u32 = {{NONE}}u;',
    );
    expect(specMismatches(slot).join()).toMatch(/templates/);
    const ov = edited(
      decodeGemvShader,
      'override BM : u32;',
      'override BM : u32;\noverride X : u32;',
    );
    expect(specMismatches(ov).join()).toMatch(/overrides/);
  });

  it('reads bindings, overrides and consts, ignoring comments and function bodies', () => {
    const w = parseWgslInterface(`
      // @group(0) @binding(7) var<storage, read> commented : array<f32>;
      struct Params { a : f32, n : u32, _p : u32, }
      @group(0) @binding(0) var<uniform> params : Params;
      @group(0) @binding(1) var<storage> src : array<f32>;
      @group(0) @binding(2) var<storage, read_write> dst : array<vec4<f32>>;
      override WIDTH : u32;
      override HALF : u32 = WIDTH / 2u;
      const TT : u32 = 8u;
      fn f() { const inner = 3u; }
    `);
    expect(w.params).toEqual([
      { name: 'a', type: 'f32' },
      { name: 'n', type: 'u32' },
      { name: '_p', type: 'u32' },
    ]);
    expect(w.bindings.map((b) => [b.name, b.binding, b.access])).toEqual([
      ['params', 0, 'uniform'],
      ['src', 1, 'read'],
      ['dst', 2, 'read_write'],
    ]);
    expect(w.overrides).toEqual([
      { name: 'WIDTH', type: 'u32', hasDefault: false },
      { name: 'HALF', type: 'u32', hasDefault: true },
    ]);
    expect([...w.consts]).toEqual([['TT', '8u']]);
  });
});

describe('typed uniforms and sources', () => {
  const spec = defineShader({
    file: 'test.wgsl',
    source: 'const WG : u32 = 256u;\nconst BIG = 0xffu;\n{{ENABLE}} const BM : u32 = {{BM}}u;',
    params: { a: 'f32', n: 'u32', d: 'i32' },
    bindings: { params: [0, 'uniform'] },
    templates: ['ENABLE', 'BM'],
  });

  it('packs fields by name in struct order, rounded up to 16 bytes', () => {
    expect(paramBytes(spec)).toBe(16);
    const v = new DataView(packParams(spec, { n: 7, d: -2, a: 1.5 }));
    expect([v.getFloat32(0, true), v.getUint32(4, true), v.getInt32(8, true)]).toEqual([
      1.5, 7, -2,
    ]);
  });

  it('refuses a u32 that is negative or fractional, and a missing field', () => {
    expect(() => packParams(spec, { n: -1, d: 0, a: 0 })).toThrow(/Params.n = -1 is not a u32/);
    expect(() => packParams(spec, { n: 0.5, d: 0, a: 0 })).toThrow(/not a u32/);
    expect(() => packParams(spec, { n: 1, a: 0 } as never)).toThrow(/Params.d is undefined/);
  });

  it('fills every template slot outside comments, and refuses one left empty', () => {
    expect(specialize(spec, { ENABLE: '', BM: 64 })).toContain('const BM : u32 = 64u;');
    const commented = { ...spec, source: `// {{BM}} sizes tiles\n${spec.source}` };
    expect(specialize(commented, { ENABLE: '', BM: 64 })).toMatch(/^\/\/ \{\{BM\}\} sizes tiles\n/);
    const withStray = { ...spec, source: `${spec.source} {{RB}}` };
    expect(() => specialize(withStray, { ENABLE: '', BM: 64 })).toThrow(/\{\{RB\}\} has no value/);
  });

  it('reads integer consts from the shader, and refuses non-literals', () => {
    expect(shaderConst(spec, 'WG')).toBe(256);
    expect(shaderConst(spec, 'BIG')).toBe(255);
    expect(() => shaderConst(spec, 'BM')).toThrow(/not an integer literal/);
    expect(() => shaderConst(spec, 'NOPE')).toThrow(/no module-scope const NOPE/);
  });
});
