// Expert weights as int8 with one f32 scale per output channel (expert e, column n):
// w = q · scale[e·N + n]. Each buffer holds the codes, four per u32 word over the flattened
// [E, K, N] tensor (element i in byte i % 4 of word i / 4, two's complement), then from word
// `sa` on the scales as f32 bits (one buffer per matrix: the GEMMs are at WebGPU's 8 storage
// buffers per stage). Fills the WEIGHTS slot of the grouped GEMM (wa_at, wb_at: one element;
// wa_quad, wb_quad: four columns) and of the decode GEMV (wa4_raw, w4_value: columns 4q…4q+3; N % 4 = 0, so the four share one word).
// Accumulation stays f32. Packing: src/kernels/weightFormats.ts.

@group(0) @binding(5) var<storage, read> wa : array<u32>;
@group(0) @binding(6) var<storage, read> wb : array<u32>;

fn int8_at(word : u32, byte : u32) -> f32 {
  return f32(extractBits(bitcast<i32>(word), byte * 8u, 8u));
}

fn int8x4(word : u32) -> vec4<f32> {
  return vec4<f32>(int8_at(word, 0u), int8_at(word, 1u), int8_at(word, 2u), int8_at(word, 3u));
}

fn wa_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> f32 {
  return int8_at(wa[i / 4u], i % 4u) * bitcast<f32>(wa[sa + e * N + n]);
}

fn wb_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> f32 {
  return int8_at(wb[i / 4u], i % 4u) * bitcast<f32>(wb[sa + e * N + n]);
}

// Columns n…n+3 of row k (i % 4 = 0: one code word), the grouped GEMM's wide tile.
fn wa_quad(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  let s = sa + e * N + n;
  return int8x4(wa[i / 4u]) * bitcast<vec4<f32>>(vec4<u32>(wa[s], wa[s + 1u], wa[s + 2u], wa[s + 3u]));
}

fn wb_quad(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  let s = sa + e * N + n;
  return int8x4(wb[i / 4u]) * bitcast<vec4<f32>>(vec4<u32>(wb[s], wb[s + 1u], wb[s + 2u], wb[s + 3u]));
}

// Decode GEMV access (`at` indexes vec4s of the [E, K, N / 4] tensor: four int8 per word, so word
// `at`): the codes summed against x over the whole split, the channel scales applied once to the
// sum (wa4_post).
alias WRaw = u32;
alias WScale = f32;

fn wblock_end(k : u32, k1 : u32) -> u32 {
  return k1;
}

fn wa4_raw(at : u32) -> WRaw {
  return wa[at];
}

fn wb4_raw(at : u32) -> WRaw {
  return wb[at];
}

fn wa4_scale(e : u32, k : u32, q : u32, K : u32, N : u32, sa : u32) -> WScale {
  return 1.0;
}

fn wb4_scale(e : u32, k : u32, q : u32, K : u32, N : u32, sa : u32) -> WScale {
  return 1.0;
}

fn w4_value(raw : WRaw, at : u32, s : WScale) -> vec4<f32> {
  return int8x4(raw);
}

fn wa4_post(e : u32, q : u32, N : u32, sa : u32) -> vec4<f32> {
  let s = sa + e * N + 4u * q;
  return bitcast<vec4<f32>>(vec4<u32>(wa[s], wa[s + 1u], wa[s + 2u], wa[s + 3u]));
}

fn wb4_post(e : u32, q : u32, N : u32, sa : u32) -> vec4<f32> {
  let s = sa + e * N + 4u * q;
  return bitcast<vec4<f32>>(vec4<u32>(wb[s], wb[s + 1u], wb[s + 2u], wb[s + 3u]));
}
