// GPU self-test run at start-up: an inclusive prefix sum over one workgroup of 256 values
// (Hillis-Steele in workgroup memory), scaled and offset: out[i] = a * sum(in[0..=i]) + b.
// Small, but it exercises storage buffers, uniforms, workgroup memory and barriers, which is
// everything the MoE kernels rely on.

struct Params {
  a : f32,
  b : f32,
  n : u32,
  _pad : u32,
}

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> input : array<f32>;
@group(0) @binding(2) var<storage, read_write> output : array<f32>;

const WG : u32 = 256u;
var<workgroup> scratch : array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid : vec3<u32>) {
  let i = lid.x;
  scratch[i] = select(0.0, input[i], i < params.n);
  workgroupBarrier();
  var offset = 1u;
  loop {
    if (offset >= WG) { break; }
    var add = 0.0;
    if (i >= offset) { add = scratch[i - offset]; }
    workgroupBarrier();
    scratch[i] = scratch[i] + add;
    workgroupBarrier();
    offset = offset * 2u;
  }
  if (i < params.n) {
    output[i] = params.a * scratch[i] + params.b;
  }
}
