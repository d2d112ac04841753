// The strong dense f32 matmul floor C = A·B (A: M × K, B: K × N, C: M × N, row-major): the rate
// the grouped GEMM is held to (issue 23: the plain floorMatmul.wgsl is easy to beat). 256
// threads a workgroup, each computing TM × TN outputs in registers (vec4 accumulators) of a
// BM × BN output tile; A and B are read from global memory as vec4, through BK-deep workgroup
// tiles; STAGES = 2 double-buffers them (one barrier a K step), and either way the next tiles
// are loaded into registers while this one is multiplied. A is stored transposed (As[k][m]) so a thread's rows
// are vec4 reads; the load maps consecutive threads to consecutive rows, so its scalar stores hit
// consecutive banks without padding. Thread (tx, ty) owns the rows ty·4 + 4·NY·h + i and the
// columns tx·4 + 4·NX·g + j: every shared-memory read of a warp is a broadcast or 16 consecutive
// vec4s, and every store to C is a whole vec4.
// Shape: template slots (function-scope arrays need const sizes), filled by src/bench/floors.ts
// from its candidate list; sizes: overrides M, N, K, with M % BM = N % BN = K % BK = 0 (no edge
// handling: a floor times the kernel, not the bounds checks).
@group(0) @binding(0) var<storage, read> A: array<vec4f>;
@group(0) @binding(1) var<storage, read> B: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4f>;
override M : u32;
override N : u32;
override K : u32;

const BM = {{BM}}u;
const BN = {{BN}}u;
const BK = {{BK}}u;
const TM = {{TM}}u;
const TN = {{TN}}u;
const STAGES = {{STAGES}}u;
const THREADS = 256u;
// Threads across (columns) and down (rows) the tile; BM·BN = THREADS·TM·TN.
const NX = BN / TN;
const NY = BM / TM;
// vec4s of one tile of A (BM × BK) and of B (BK × BN), and how many each thread loads.
const A4 = BM * BK / 4u;
const B4 = BK * BN / 4u;
const LA = A4 / THREADS;
const LB = B4 / THREADS;

var<workgroup> As: array<vec4f, STAGES * BK * BM / 4u>;
var<workgroup> Bs: array<vec4f, STAGES * BK * BN / 4u>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let tx = t % NX;
  let ty = t / NX;
  let rowTile = wg.y * BM;
  let colTile = wg.x * BN;
  let K4 = K / 4u;
  let N4 = N / 4u;
  var acc: array<vec4f, TM * TN / 4u>;
  var ra: array<vec4f, LA>;
  var rb: array<vec4f, LB>;
  let steps = K / BK;

  // Global → registers: this thread's vec4s of the tiles at k0.
  // A: vec4 idx = t + THREADS·l → row idx % BM, k-quad idx / BM. B: row idx / (BN/4), vec4 col.
  for (var l = 0u; l < LA; l++) {
    let idx = t + THREADS * l;
    ra[l] = A[(rowTile + idx % BM) * K4 + idx / BM];
  }
  for (var l = 0u; l < LB; l++) {
    let idx = t + THREADS * l;
    rb[l] = B[(idx / (BN / 4u)) * N4 + colTile / 4u + idx % (BN / 4u)];
  }
  for (var s = 0u; s < steps; s++) {
    let stage = select(0u, s % 2u, STAGES == 2u);
    // Registers → workgroup tile `stage` (A transposed: As[stage][k][m]).
    for (var l = 0u; l < LA; l++) {
      let idx = t + THREADS * l;
      let m = idx % BM;
      let kq = idx / BM;
      let v = ra[l];
      for (var j = 0u; j < 4u; j++) {
        As[((stage * BK + kq * 4u + j) * BM + m) / 4u][m % 4u] = v[j];
      }
    }
    for (var l = 0u; l < LB; l++) {
      let idx = t + THREADS * l;
      Bs[stage * B4 + idx] = rb[l];
    }
    workgroupBarrier();
    // Double-buffered: fetch the next tiles while this one is multiplied (the barrier at the end
    // of the previous step freed the other stage).
    if (s + 1u < steps) {
      let k4 = (s + 1u) * BK / 4u;
      for (var l = 0u; l < LA; l++) {
        let idx = t + THREADS * l;
        ra[l] = A[(rowTile + idx % BM) * K4 + k4 + idx / BM];
      }
      for (var l = 0u; l < LB; l++) {
        let idx = t + THREADS * l;
        rb[l] = B[((s + 1u) * BK + idx / (BN / 4u)) * N4 + colTile / 4u + idx % (BN / 4u)];
      }
    }
    for (var k = 0u; k < BK; k++) {
      var a: array<vec4f, TM / 4u>;
      var b: array<vec4f, TN / 4u>;
      for (var h = 0u; h < TM / 4u; h++) {
        a[h] = As[(stage * BK + k) * (BM / 4u) + h * NY + ty];
      }
      for (var g = 0u; g < TN / 4u; g++) {
        b[g] = Bs[(stage * BK + k) * (BN / 4u) + g * NX + tx];
      }
      for (var h = 0u; h < TM / 4u; h++) {
        for (var i = 0u; i < 4u; i++) {
          let av = vec4f(a[h][i]);
          for (var g = 0u; g < TN / 4u; g++) {
            let o = (h * 4u + i) * (TN / 4u) + g;
            acc[o] = fma(av, b[g], acc[o]);
          }
        }
      }
    }
    // Single-buffered: nobody may overwrite the tile until all have read it. Double-buffered:
    // the next step writes the other stage, and no thread reaches the step after it (which
    // writes this stage again) before every thread has passed that step's barrier, that is,
    // has finished reading this stage.
    if (STAGES == 1u) {
      workgroupBarrier();
    }
  }
  for (var h = 0u; h < TM / 4u; h++) {
    for (var i = 0u; i < 4u; i++) {
      let row = rowTile + h * 4u * NY + ty * 4u + i;
      for (var g = 0u; g < TN / 4u; g++) {
        C[row * N4 + colTile / 4u + g * NX + tx] = acc[(h * 4u + i) * (TN / 4u) + g];
      }
    }
  }
}
