// out[t, n] = Σ_k a[t, k] · w[k, n] (+ res[t, n]) for t < rows (or < seqs for the LM head).
// A workgroup computes RT rows × 64 columns: each thread one column, the rows' K-chunk staged in
// workgroup memory, so a weight is read once per RT rows. At decode (1…16 rows) this streams
// the weights like a GEMV; a prefill's rows fill the tiles.

struct Params {
  rows : u32,
  seqs : u32,
  temperature : f32,
  top_p : f32,
  seed : u32,
  draw_base : u32,
  _p0 : u32,
  _p1 : u32,
}

override K : u32;
override N : u32;
/** 1: add res[t, n] (the residual stream). */
override HAS_RESIDUAL : u32;
/** 1: the row count is params.seqs (the LM head over each sequence's last row). */
override SEQ_ROWS : u32;

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> a : array<f32>;
@group(0) @binding(2) var<storage, read> w : array<f32>;
@group(0) @binding(3) var<storage, read> res : array<f32>;
@group(0) @binding(4) var<storage, read_write> out : array<f32>;

const WG : u32 = 64u;
const RT : u32 = 8u;
const KC : u32 = 64u;
var<workgroup> tile : array<f32, 512>; // RT × KC

@compute @workgroup_size(WG)
fn matmul(@builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lid : u32) {
  let rows = select(params.rows, params.seqs, SEQ_ROWS == 1u);
  let n = wid.x * WG + lid;
  let t0 = wid.y * RT;
  if (t0 >= rows) {
    return;
  }
  var acc : array<f32, RT>;
  for (var k0 = 0u; k0 < K; k0 += KC) {
    for (var i = lid; i < RT * KC; i += WG) {
      let t = t0 + i / KC;
      let k = k0 + i % KC;
      var v = 0.0;
      if (t < rows && k < K) {
        v = a[t * K + k];
      }
      tile[i] = v;
    }
    workgroupBarrier();
    if (n < N) {
      let kn = min(KC, K - k0);
      for (var kk = 0u; kk < kn; kk++) {
        let b = w[(k0 + kk) * N + n];
        for (var r = 0u; r < RT; r++) {
          acc[r] += tile[r * KC + kk] * b;
        }
      }
    }
    workgroupBarrier();
  }
  if (n >= N) {
    return;
  }
  for (var r = 0u; r < RT; r++) {
    let t = t0 + r;
    if (t < rows) {
      var v = acc[r];
      if (HAS_RESIDUAL == 1u) {
        v += res[t * N + n];
      }
      out[t * N + n] = v;
    }
  }
}
