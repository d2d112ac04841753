// The TypeScript ↔ WGSL contract of one shader file, declared once by name: its uniform
// `Params` fields in struct order, its bindings (WGSL variable name → binding number and
// access), its `{{NAME}}` template slots and its `override` constants. Host code writes
// uniforms, builds bind groups and specialises the source only through a spec, so a field or
// binding is never addressed by position; shaderSpecs.test.ts parses every .wgsl file and checks
// it against its spec. (TypeGPU's named layouts and typed buffers, without the library.)
import { fillSlot, parseWgslInterface, stripComments, wgslConstInt } from './wgslInterface';

export type Scalar = 'u32' | 'i32' | 'f32';
export type Access = 'uniform' | 'read' | 'read_write';

export type ShaderSpec<
  P extends string = string,
  B extends string = string,
  T extends string = string,
  O extends string = string,
> = {
  /** Path from the repository root (the test finds every .wgsl file's spec by it). */
  file: string;
  source: string;
  /** `struct Params` fields in declaration order (object keys keep insertion order). */
  params: Readonly<Record<P, Scalar>>;
  /** Binding variables of group 0: name → [binding, access]. */
  bindings: Readonly<Record<B, readonly [number, Access]>>;
  /** `{{NAME}}` slots: what WGSL cannot take as an override (types, enable directives, sizes
   * of function-scope arrays). */
  templates: readonly T[];
  /** `override` constants without a default: set on every pipeline made from the source. */
  overrides: Readonly<Record<O, Scalar>>;
};

export function defineShader<
  P extends string = never,
  B extends string = never,
  T extends string = never,
  O extends string = never,
>(spec: {
  file: string;
  source: string;
  params?: Record<P, Scalar>;
  bindings: Record<B, readonly [number, Access]>;
  templates?: readonly T[];
  overrides?: Record<O, Scalar>;
}): ShaderSpec<P, B, T, O> {
  return {
    file: spec.file,
    source: spec.source,
    params: spec.params ?? ({} as Record<P, Scalar>),
    bindings: spec.bindings,
    templates: spec.templates ?? [],
    overrides: spec.overrides ?? ({} as Record<O, Scalar>),
  };
}

type ParamsOf<S> = S extends ShaderSpec<infer P, string, string, string> ? P : never;
type BindingsOf<S> = S extends ShaderSpec<string, infer B, string, string> ? B : never;
type TemplatesOf<S> = S extends ShaderSpec<string, string, infer T, string> ? T : never;
type OverridesOf<S> = S extends ShaderSpec<string, string, string, infer O> ? O : never;

/** Uniform values by field name. */
export type ParamValues<S extends ShaderSpec> = Record<ParamsOf<S>, number>;
/** Buffers by binding name; an entry point binds the subset it uses. */
export type BindingBuffers<S extends ShaderSpec> = Partial<Record<BindingsOf<S>, GPUBuffer>>;

/** Bytes of the Params uniform: 4 per scalar field, rounded up to 16. */
export function paramBytes(spec: ShaderSpec): number {
  return Math.max(16, Math.ceil((Object.keys(spec.params).length * 4) / 16) * 16);
}

/** A uniform buffer for the shader's Params. */
export function paramsBuffer(device: GPUDevice, spec: ShaderSpec, label: string): GPUBuffer {
  return device.createBuffer({
    label,
    size: paramBytes(spec),
    // Read lazily: GPUBufferUsage is a global that Node tests install after import.
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
}

/** The Params bytes for these values (every field required; u32/i32 must be integers in range). */
export function packParams<S extends ShaderSpec>(spec: S, values: ParamValues<S>): ArrayBuffer {
  const data = new ArrayBuffer(paramBytes(spec));
  const view = new DataView(data);
  const fields = Object.entries(spec.params) as [ParamsOf<S>, Scalar][];
  fields.forEach(([name, type], i) => {
    const v = values[name];
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new Error(`${spec.file}: Params.${name} is ${v}`);
    if (type === 'f32') view.setFloat32(4 * i, v, true);
    else {
      const [lo, hi] = type === 'u32' ? [0, 2 ** 32 - 1] : [-(2 ** 31), 2 ** 31 - 1];
      if (!Number.isInteger(v) || v < lo || v > hi)
        throw new Error(`${spec.file}: Params.${name} = ${v} is not a ${type}`);
      if (type === 'u32') view.setUint32(4 * i, v, true);
      else view.setInt32(4 * i, v, true);
    }
  });
  return data;
}

/**
 * The last Params bytes written to each uniform buffer. A decode step writes the same Params
 * every token, and each `writeBuffer` is a call across the binding that the CPU pays for in
 * every step (a fast GPU waits on that CPU time): unchanged Params are not written again.
 * Uniform buffers are written only here.
 */
const lastParams = new WeakMap<GPUBuffer, Uint32Array>();

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Writes the shader's Params (queue order: before the submit that reads them). */
export function writeParams<S extends ShaderSpec>(
  device: GPUDevice,
  buffer: GPUBuffer,
  spec: S,
  values: ParamValues<S>,
): void {
  const words = new Uint32Array(packParams(spec, values));
  const last = lastParams.get(buffer);
  if (last && sameWords(last, words)) return;
  device.queue.writeBuffer(buffer, 0, words);
  lastParams.set(buffer, words);
}

/** Ids of buffers, for the bind-group cache's keys (a buffer object is its identity). */
const bufferIds = new WeakMap<GPUBuffer, number>();
let nextBufferId = 1;
function bufferId(b: GPUBuffer): number {
  let id = bufferIds.get(b);
  if (id === undefined) bufferIds.set(b, (id = nextBufferId++));
  return id;
}

/**
 * Bind groups already made, per pipeline and buffers. Layers record their passes every step
 * with the same buffers; making their bind groups again each time was most of a decode step's
 * CPU time on a fast GPU. A bind group is immutable, so one made for the same pipeline and
 * buffers is the same. Bounded: a pipeline that has seen many buffer sets starts over.
 */
const bindGroups = new WeakMap<GPUComputePipeline, Map<string, GPUBindGroup>>();
const BIND_GROUPS_PER_PIPELINE = 256;

/** A bind group for one pipeline of the shader, its buffers given by binding name. */
export function bindGroup<S extends ShaderSpec>(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  spec: S,
  buffers: BindingBuffers<S>,
  label: string,
): GPUBindGroup {
  const entries = Object.entries(buffers as Record<string, GPUBuffer | undefined>).map(
    ([name, buffer]) => {
      const slot = (spec.bindings as Record<string, readonly [number, Access]>)[name];
      if (!slot) throw new Error(`${spec.file} has no binding named ${name}`);
      if (!buffer) throw new Error(`${label}: no buffer for binding ${name}`);
      return { binding: slot[0], resource: { buffer } };
    },
  );
  const key = entries
    .map((e) => `${e.binding}:${bufferId(e.resource.buffer)}`)
    .sort()
    .join(' ');
  let cache = bindGroups.get(pipeline);
  if (!cache) bindGroups.set(pipeline, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  if (cache.size >= BIND_GROUPS_PER_PIPELINE) cache.clear();
  const made = device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries });
  cache.set(key, made);
  return made;
}

/** The source with every template slot filled (outside comments); refuses a slot left empty. */
export function specialize<S extends ShaderSpec>(
  spec: S,
  values: Record<TemplatesOf<S>, string | number>,
): string {
  let code = spec.source;
  const given = values as Record<string, string | number>;
  for (const name of spec.templates) code = fillSlot(code, name, String(given[name]));
  const left = /\{\{(\w+)\}\}/.exec(stripComments(code));
  if (left) throw new Error(`${spec.file}: template slot {{${left[1]}}} has no value`);
  return code;
}

/** Pipeline-overridable constants for `compute.constants`, by override name. */
export function overrideConstants<S extends ShaderSpec>(
  _spec: S,
  values: Record<OverridesOf<S>, number>,
): Record<string, number> {
  return { ...(values as Record<string, number>) };
}

/** A module-scope integer `const` of the shader: host sizes that must follow the shader's. */
export function shaderConst(spec: ShaderSpec, name: string): number {
  return wgslConstInt(spec.source, name);
}

/**
 * Where the WGSL and its spec disagree (empty: they match): Params field names, order and
 * types, padding only at the end; bindings' names, numbers and access; template slots;
 * overrides without a default.
 */
export function specMismatches(spec: ShaderSpec): string[] {
  const wgsl = parseWgslInterface(spec.source);
  const out: string[] = [];
  const declared = Object.entries(spec.params) as [string, Scalar][];
  const fields = wgsl.params ?? [];
  const named = fields.filter((f) => !f.name.startsWith('_'));
  const firstPad = fields.findIndex((f) => f.name.startsWith('_'));
  if (firstPad >= 0 && firstPad < named.length)
    out.push(`Params: padding field ${fields[firstPad]!.name} before a named field`);
  const show = (f: [string, string][]) => f.map(([n, t]) => `${n}: ${t}`).join(', ');
  const inWgsl = named.map((f) => [f.name, f.type] as [string, string]);
  if (show(inWgsl) !== show(declared))
    out.push(`Params: WGSL has (${show(inWgsl)}), the spec (${show(declared)})`);
  for (const f of fields)
    if (!['u32', 'i32', 'f32'].includes(f.type))
      out.push(`Params.${f.name}: ${f.type} is not a 4-byte scalar`);
  if (declared.length > 0 && paramBytes(spec) < 4 * fields.length)
    out.push(`Params: ${4 * fields.length} bytes in WGSL, the spec writes ${paramBytes(spec)}`);

  const key = (name: string, binding: number, access: string) => `${name}@${binding}:${access}`;
  const wgslBindings = wgsl.bindings.map((b) => key(b.name, b.binding, b.access)).sort();
  const specBindings = Object.entries(spec.bindings as Record<string, readonly [number, Access]>)
    .map(([name, [binding, access]]) => key(name, binding, access))
    .sort();
  for (const b of wgsl.bindings)
    if (b.group !== 0) out.push(`binding ${b.name}: group ${b.group}, the host binds group 0`);
  const missing = specBindings.filter((b) => !wgslBindings.includes(b));
  const extra = wgslBindings.filter((b) => !specBindings.includes(b));
  if (missing.length) out.push(`bindings in the spec, not in WGSL: ${missing.join(', ')}`);
  if (extra.length) out.push(`bindings in WGSL, not in the spec: ${extra.join(', ')}`);

  const sameSet = (a: readonly string[], b: readonly string[]) =>
    [...a].sort().join() === [...b].sort().join();
  if (!sameSet(wgsl.templates, spec.templates))
    out.push(`templates: WGSL {{${wgsl.templates.join('}}, {{')}}}, spec ${spec.templates}`);

  const required = wgsl.overrides.filter((o) => !o.hasDefault);
  const wgslOverrides = required.map((o) => `${o.name}: ${o.type}`);
  const specOverrides = Object.entries(spec.overrides).map(([n, t]) => `${n}: ${t}`);
  if (!sameSet(wgslOverrides, specOverrides))
    out.push(`overrides: WGSL (${wgslOverrides.join(', ')}), spec (${specOverrides.join(', ')})`);
  return out;
}

/**
 * A shader with one template slot filled by a fragment (another spec'd .wgsl file, e.g. a
 * weight format's bindings and accessors): the bindings, slots and overrides of both. Refuses
 * a fragment with its own Params or a binding number the shader already uses.
 */
export function composeShader<
  P extends string,
  B1 extends string,
  T1 extends string,
  O1 extends string,
  S extends T1,
  B2 extends string,
  T2 extends string,
  O2 extends string,
>(
  main: ShaderSpec<P, B1, T1, O1>,
  slot: S,
  part: ShaderSpec<never, B2, T2, O2>,
): ShaderSpec<P, B1 | B2, Exclude<T1, S> | T2, O1 | O2> {
  const where = `${main.file} {{${slot}}} ← ${part.file}`;
  if (Object.keys(part.params).length > 0) throw new Error(`${where}: a fragment has no Params`);
  type Slots = Record<string, readonly [number, Access]>;
  const used = new Map(Object.entries(main.bindings as Slots));
  for (const [name, [binding]] of Object.entries(part.bindings as Slots))
    for (const [other, [b]] of used)
      if (b === binding || other === name)
        throw new Error(`${where}: ${name}@${binding} collides with ${other}@${b}`);
  return {
    file: where,
    source: fillSlot(main.source, slot, part.source),
    params: main.params,
    bindings: { ...main.bindings, ...part.bindings } as Record<B1 | B2, readonly [number, Access]>,
    templates: [...main.templates.filter((t) => t !== slot), ...part.templates] as (
      Exclude<T1, S> | T2
    )[],
    overrides: { ...main.overrides, ...part.overrides } as Record<O1 | O2, Scalar>,
  };
}
