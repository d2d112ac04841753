// Reads the host-facing interface out of WGSL source: the `struct Params` fields, the
// `@group @binding` variables, `override` declarations, module-scope `const` values and
// `{{NAME}}` template slots. Not a WGSL parser: it reads the declaration forms the shaders in
// this repository use, and the spec test (shaderSpecs.test.ts) proves it on every shader.

export type WgslField = { name: string; type: string };
export type WgslBinding = {
  group: number;
  binding: number;
  name: string;
  /** 'uniform', or the storage access mode ('read' when the source leaves it out). */
  access: 'uniform' | 'read' | 'read_write';
  type: string;
};
export type WgslOverride = { name: string; type: string | null; hasDefault: boolean };

export type WgslInterface = {
  /** Fields of `struct Params`, in declaration order; null when there is no such struct. */
  params: WgslField[] | null;
  bindings: WgslBinding[];
  overrides: WgslOverride[];
  /** Module-scope `const` declarations: name → initializer text. */
  consts: Map<string, string>;
  /** `{{NAME}}` slots the host fills in before compiling, each once. */
  templates: string[];
};

/** The source with comments blanked (same length, so offsets stay valid). */
export function stripComments(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length));
}

/** The source with every `{ … }` body blanked: what is left is module scope. */
function moduleScope(src: string): string {
  let depth = 0;
  let out = '';
  for (const ch of src) {
    if (ch === '{') depth++;
    out += depth > 0 ? (ch === '\n' ? ch : ' ') : ch;
    if (ch === '}') depth--;
  }
  return out;
}

export function parseWgslInterface(source: string): WgslInterface {
  const code = stripComments(source);
  const top = moduleScope(code);

  const struct = /struct\s+Params\s*\{([^}]*)\}/.exec(code);
  const params = struct
    ? struct[1]!
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
        .map((f) => {
          const m = /^(\w+)\s*:\s*(.+)$/.exec(f);
          if (!m) throw new Error(`cannot read Params field "${f}"`);
          return { name: m[1]!, type: m[2]!.trim() };
        })
    : null;

  const bindings: WgslBinding[] = [];
  const bindingRe =
    /@group\(\s*(\d+)\s*\)\s*@binding\(\s*(\d+)\s*\)\s*var\s*(?:<([^>]*)>)?\s*(\w+)\s*:\s*([^;]+);/g;
  for (const m of top.matchAll(bindingRe)) {
    const space = (m[3] ?? '').split(',').map((s) => s.trim());
    const access =
      space[0] === 'uniform' ? 'uniform' : space[1] === 'read_write' ? 'read_write' : 'read';
    if (space[0] !== 'uniform' && space[0] !== 'storage')
      throw new Error(`binding ${m[4]}: address space "${m[3]}" is not uniform or storage`);
    bindings.push({
      group: Number(m[1]),
      binding: Number(m[2]),
      name: m[4]!,
      access,
      type: m[5]!.trim(),
    });
  }

  const overrides: WgslOverride[] = [];
  for (const m of top.matchAll(/override\s+(\w+)\s*(?::\s*(\w+))?\s*(=\s*[^;]+)?;/g))
    overrides.push({ name: m[1]!, type: m[2] ?? null, hasDefault: m[3] !== undefined });

  const consts = new Map<string, string>();
  for (const m of top.matchAll(/\bconst\s+(\w+)\s*(?::\s*[^=]+)?=\s*([^;]+);/g))
    consts.set(m[1]!, m[2]!.trim());

  const templates = [...new Set([...code.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!))];

  return { params, bindings, overrides, consts, templates };
}

/**
 * The value of a module-scope integer `const` (`256u`, `0x10`, `8`): for host code whose sizes
 * must follow the shader's own (tile sizes, workgroup sizes, array capacities).
 */
export function wgslConstInt(source: string, name: string): number {
  const text = parseWgslInterface(source).consts.get(name);
  if (text === undefined) throw new Error(`no module-scope const ${name} in the shader`);
  const m = /^(0[xX][0-9a-fA-F]+|\d+)[ui]?$/.exec(text);
  if (!m) throw new Error(`const ${name} = ${text} is not an integer literal`);
  return Number(m[1]);
}

/** The source with every `{{name}}` outside comments replaced (comments may name slots). */
export function fillSlot(source: string, name: string, value: string): string {
  const code = stripComments(source);
  const slot = `{{${name}}}`;
  let out = '';
  let from = 0;
  for (let at = code.indexOf(slot); at >= 0; at = code.indexOf(slot, at + slot.length)) {
    out += source.slice(from, at) + value;
    from = at + slot.length;
  }
  return out + source.slice(from);
}
