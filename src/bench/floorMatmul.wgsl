// Dense f32 matmul C = A·B (n × n), the rate the grouped GEMM is judged against.
// 64×64 output tile per workgroup, 16-wide K steps through workgroup memory, 4×4 per thread.
// `n` is an override the benchmark sets (src/bench/floors.ts).
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
override n : u32;
const TS = 64u;
const TK = 16u;
var<workgroup> As: array<array<f32, 64>, 16>;
var<workgroup> Bs: array<array<f32, 64>, 16>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let row0 = wg.y * TS + l.y * 4u;
  let col0 = wg.x * TS + l.x * 4u;
  var acc: array<array<f32, 4>, 4>;
  let tid = l.y * 16u + l.x;
  for (var k0 = 0u; k0 < n; k0 += TK) {
    for (var i = 0u; i < 4u; i++) {
      let idx = tid + i * 256u;
      let r = idx / 16u;
      let c = idx % 16u;
      As[c][r] = A[(wg.y * TS + r) * n + k0 + c];
      let rb = idx / 64u;
      let cb = idx % 64u;
      Bs[rb][cb] = B[(k0 + rb) * n + wg.x * TS + cb];
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        av[i] = As[kk][l.y * 4u + i];
        bv[i] = Bs[kk][l.x * 4u + i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i][j] = fma(av[i], bv[j], acc[i][j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      C[(row0 + i) * n + col0 + j] = acc[i][j];
    }
  }
}
