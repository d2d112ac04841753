// Next-token choice on the GPU, one workgroup per sequence, with src/engine/sampling.ts's
// semantics: temperature ≤ 0 → argmax (first index on ties); otherwise p_i = exp((l_i − max)/T),
// tokens ranked by p (ties by index), kept while the mass before them is < top_p (the first
// always), renormalised, and the first kept token whose cumulative p reaches r is drawn.
// r is mulberry32's draw number draw_base + s from the request's seed: the generation loop's
// RNG advances once per sampled token, in sequence order, so draw n is a pure function of n.
// The token also goes to next_ids[s] (the ids of the row buffer): a decode step submitted before
// this one's tokens reach the CPU embeds them straight from there.

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

override V : u32;

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> logits : array<f32>;
@group(0) @binding(2) var<storage, read_write> tokens : array<u32>;
@group(0) @binding(3) var<storage, read_write> next_ids : array<u32>;

const WG : u32 = 256u;
var<workgroup> p : array<f32, V>;
var<workgroup> red_v : array<f32, WG>;
var<workgroup> red_i : array<u32, WG>;
var<workgroup> rank_token : array<u32, V>;
var<workgroup> chosen : atomic<u32>;
var<workgroup> last_kept : atomic<u32>;

fn mulberry32(seed : u32, n : u32) -> f32 {
  let a = seed + (n + 1u) * 0x6d2b79f5u;
  var t = (a ^ (a >> 15u)) * (a | 1u);
  t ^= t + (t ^ (t >> 7u)) * (t | 61u);
  return f32(t ^ (t >> 14u)) / 4294967296.0;
}

fn reduce_sum(v : f32, lid : u32) -> f32 {
  red_v[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      red_v[lid] += red_v[lid + s];
    }
    workgroupBarrier();
  }
  let r = red_v[0];
  workgroupBarrier();
  return r;
}

/** Largest logit and its first index. */
fn reduce_argmax(row : u32, lid : u32) -> u32 {
  var bv = -3.0e38;
  var bi = 0xffffffffu;
  for (var i = lid; i < V; i += WG) {
    let v = logits[row + i];
    if (bi == 0xffffffffu || v > bv) {
      bv = v;
      bi = i;
    }
  }
  red_v[lid] = bv;
  red_i[lid] = bi;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let ov = red_v[lid + s];
      let oi = red_i[lid + s];
      if (oi != 0xffffffffu && (red_i[lid] == 0xffffffffu || ov > red_v[lid] || (ov == red_v[lid] && oi < red_i[lid]))) {
        red_v[lid] = ov;
        red_i[lid] = oi;
      }
    }
    workgroupBarrier();
  }
  let r = red_i[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(WG)
fn sample(@builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lid : u32) {
  let s = wid.x;
  if (s >= params.seqs) {
    return;
  }
  let row = s * V;
  let best = reduce_argmax(row, lid);
  if (params.temperature <= 0.0) {
    if (lid == 0u) {
      tokens[s] = best;
      next_ids[s] = best;
    }
    return;
  }
  let mx = logits[row + best];
  var part = 0.0;
  for (var i = lid; i < V; i += WG) {
    let e = exp((logits[row + i] - mx) / params.temperature);
    p[i] = e;
    part += e;
  }
  if (lid == 0u) {
    atomicStore(&chosen, 0xffffffffu);
    atomicStore(&last_kept, 0u);
  }
  let total = reduce_sum(part, lid);
  // Per token: the mass ranked before it and its rank; kept while that mass is under top_p.
  var kept_part = 0.0;
  var before : array<f32, 16>;
  var ranks : array<u32, 16>;
  var slot = 0u;
  for (var i = lid; i < V; i += WG) {
    let pi = p[i];
    var ahead = 0.0;
    var rank = 0u;
    for (var j = 0u; j < V; j++) {
      let pj = p[j];
      if (pj > pi || (pj == pi && j < i)) {
        ahead += pj;
        rank++;
      }
    }
    rank_token[rank] = i;
    before[slot] = ahead;
    ranks[slot] = rank;
    if (rank == 0u || ahead / total < params.top_p) {
      kept_part += pi;
      atomicMax(&last_kept, rank);
    }
    slot++;
  }
  let kept_total = reduce_sum(kept_part, lid);
  let r = mulberry32(params.seed, params.draw_base + s);
  slot = 0u;
  for (var i = lid; i < V; i += WG) {
    let rank = ranks[slot];
    let ahead = before[slot];
    slot++;
    if (rank == 0u || ahead / total < params.top_p) {
      if ((ahead + p[i]) / kept_total >= r) {
        atomicMin(&chosen, rank);
      }
    }
  }
  workgroupBarrier();
  let c = atomicLoad(&chosen);
  let pick = select(c, atomicLoad(&last_kept), c == 0xffffffffu);
  if (lid == 0u) {
    tokens[s] = rank_token[pick];
    next_ids[s] = rank_token[pick];
  }
}
