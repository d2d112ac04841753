// Shader copy d = s as vec4 (the copy bandwidth floor): one vec4 per thread.
@group(0) @binding(0) var<storage, read> s: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> d: array<vec4f>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = g.x + g.y * n.x * 256u;
  if (i < arrayLength(&d)) {
    d[i] = s[i];
  }
}
