// Expert weights as int4 in blocks of 32 rows of K, one f32 scale per block and output column
// (like MatMulNBits / QMoE): w = (nibble − 8) · scale[(e·⌈K/32⌉ + k/32)·N + n]. Each buffer
// holds the codes, eight per u32 word over the flattened [E, K, N] tensor (element i in nibble
// i % 8 of word i / 8, low first), then from word `sa` on the scales as f32 bits (one buffer per
// matrix: the GEMMs are at WebGPU's 8 storage buffers per stage). Fills the WEIGHTS slot of the
// grouped GEMM (wa_at, wb_at: one element; wa_quad, wb_quad: four columns) and of the decode
// GEMV (wa4_raw, w4_value: columns 4q…4q+3; N % 4 = 0, so the four share a half word).
// Accumulation stays f32. Packing: src/kernels/weightFormats.ts.

@group(0) @binding(5) var<storage, read> wa : array<u32>;
@group(0) @binding(6) var<storage, read> wb : array<u32>;

const QBLOCK : u32 = 32u;

fn int4_at(word : u32, nibble : u32) -> f32 {
  return f32(extractBits(word, nibble * 4u, 4u)) - 8.0;
}

// Word of the scale of (e, k, column 0) in a buffer whose scales start at `sa`.
fn scale_row(e : u32, k : u32, K : u32, N : u32, sa : u32) -> u32 {
  return sa + (e * ((K + QBLOCK - 1u) / QBLOCK) + k / QBLOCK) * N;
}

fn wa_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> f32 {
  return int4_at(wa[i / 8u], i % 8u) * bitcast<f32>(wa[scale_row(e, k, K, N, sa) + n]);
}

fn wb_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> f32 {
  return int4_at(wb[i / 8u], i % 8u) * bitcast<f32>(wb[scale_row(e, k, K, N, sa) + n]);
}

// Columns n…n+3 of row k (i % 4 = 0: nibbles i % 8 … i % 8 + 3 of one word), the grouped GEMM's
// wide tile.
fn int4x4(word : u32, nibble : u32) -> vec4<f32> {
  let h = nibble * 4u;
  let q = (vec4<u32>(word) >> vec4<u32>(h, h + 4u, h + 8u, h + 12u)) & vec4<u32>(15u);
  return vec4<f32>(q) - vec4<f32>(8.0);
}

fn wa_quad(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  let s = scale_row(e, k, K, N, sa) + n;
  return int4x4(wa[i / 8u], i % 8u) * bitcast<vec4<f32>>(vec4<u32>(wa[s], wa[s + 1u], wa[s + 2u], wa[s + 3u]));
}

fn wb_quad(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  let s = scale_row(e, k, K, N, sa) + n;
  return int4x4(wb[i / 8u], i % 8u) * bitcast<vec4<f32>>(vec4<u32>(wb[s], wb[s + 1u], wb[s + 2u], wb[s + 3u]));
}

// Decode GEMV access. `at` indexes vec4s of the [E, K, N / 4] tensor: eight int4 per word, so
// half (at % 2) of word at / 2. A block's 32 rows share their scales: loaded once per block
// (wa4_scale) as w = code · s + b with b = −8 s, one FMA a weight.
alias WRaw = u32;
struct WScale {
  s : vec4<f32>,
  b : vec4<f32>,
}

fn wblock_end(k : u32, k1 : u32) -> u32 {
  return min(k1, (k / QBLOCK + 1u) * QBLOCK);
}

fn wa4_raw(at : u32) -> WRaw {
  return wa[at / 2u];
}

fn wb4_raw(at : u32) -> WRaw {
  return wb[at / 2u];
}

fn block_scale(v : vec4<f32>) -> WScale {
  return WScale(v, -8.0 * v);
}

fn wa4_scale(e : u32, k : u32, q : u32, K : u32, N : u32, sa : u32) -> WScale {
  let s = scale_row(e, k, K, N, sa) + 4u * q;
  return block_scale(bitcast<vec4<f32>>(vec4<u32>(wa[s], wa[s + 1u], wa[s + 2u], wa[s + 3u])));
}

fn wb4_scale(e : u32, k : u32, q : u32, K : u32, N : u32, sa : u32) -> WScale {
  let s = scale_row(e, k, K, N, sa) + 4u * q;
  return block_scale(bitcast<vec4<f32>>(vec4<u32>(wb[s], wb[s + 1u], wb[s + 2u], wb[s + 3u])));
}

fn w4_value(raw : WRaw, at : u32, sc : WScale) -> vec4<f32> {
  let h = (at % 2u) * 16u;
  let n = (vec4<u32>(raw) >> vec4<u32>(h, h + 4u, h + 8u, h + 12u)) & vec4<u32>(15u);
  return fma(vec4<f32>(n), sc.s, sc.b);
}

// Scales change along K (per block of 32 rows): applied per block, nothing left per column.
fn wa4_post(e : u32, q : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(1.0);
}

fn wb4_post(e : u32, q : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(1.0);
}
