// Align & sort (vLLM/SGLang moe_align_block_size, our own take): group the T·k (token, slot)
// pairs by expert so the grouped GEMM sees whole BM-row blocks of one expert.
//   counts[e]      pairs routed to expert e (pairs of experts mapped to −1 are dropped)
//   offsets[e]     exclusive prefix sum of counts padded up to BM; offsets[E] = num_post_pad
//   expert_ids[b]  local expert of block b, for b < num_post_pad / BM
//   sorted_ids[s]  pair index t·k + j, or the sentinel P = T·k in padding slots
//   layout_meta    [gemm1 indirect args (3), gemm2 indirect args (3), num_post_pad, num_blocks]
//   pair_keep[i]   0 = expert not on this shard, 1 = placed, 2 = dropped over capacity
// Capacity (Switch Transformer / GShard): with params.cap < 0xFFFFFFFF each expert takes at most
// cap pairs, first come first served in pair order (token order): a pair is kept when fewer than
// cap earlier pairs went to its expert. counts[e] is then min(pairs, cap), and the scatter ranks
// pairs deterministically (in pair order inside each expert) so both backends drop the same ones.
// `align_single` does it all in one workgroup (small T: one dispatch). For large T,
// `align_count` (G workgroups: histogram of a chunk of pairs each) → `align_scan` (one
// workgroup: column prefix over the G histograms, then the padded scan over E in chunks of WG)
// → `align_place` (G workgroups: scatter from each workgroup's own starting cursors).

struct Params {
  P : u32,
  E : u32,
  BM : u32,
  G : u32,
  chunk : u32,
  nx1 : u32,
  nx2 : u32,
  cap : u32,
}

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> topk_ids : array<u32>;
@group(0) @binding(2) var<storage, read> expert_map : array<i32>;
@group(0) @binding(3) var<storage, read_write> counts : array<u32>;
@group(0) @binding(4) var<storage, read_write> offsets : array<u32>;
@group(0) @binding(5) var<storage, read_write> layout_meta : array<u32>;
@group(0) @binding(6) var<storage, read_write> expert_ids : array<u32>;
@group(0) @binding(7) var<storage, read_write> sorted_ids : array<u32>;
@group(0) @binding(8) var<storage, read_write> partial : array<u32>;
@group(0) @binding(9) var<storage, read_write> pair_keep : array<u32>;

const WG : u32 = 256u;
const MAX_E : u32 = 512u;
const NO_CAP : u32 = 0xFFFFFFFFu;
const NONE : u32 = 0xFFFFFFFFu;

var<workgroup> hist : array<atomic<u32>, MAX_E>;
var<workgroup> cnt : array<u32, MAX_E>;
var<workgroup> offs : array<u32, MAX_E + 1u>;
var<workgroup> scan_buf : array<u32, WG>;
// Capacity path: slot end of each expert's kept pairs, and the experts of one tile of pairs.
var<workgroup> lim : array<u32, MAX_E>;
var<workgroup> tile_e : array<u32, WG>;

// offs[e] = Σ_{e' < e} roundup(cnt[e'], BM), in chunks of WG experts with a running carry so
// E may exceed the workgroup size.
fn scan_offsets(lid : u32) {
  let E = params.E;
  let BM = params.BM;
  var carry = 0u;
  let chunks = (E + WG - 1u) / WG;
  for (var c = 0u; c < chunks; c++) {
    let e = c * WG + lid;
    var v = 0u;
    if (e < E) {
      v = (cnt[e] + BM - 1u) / BM * BM;
    }
    scan_buf[lid] = v;
    workgroupBarrier();
    for (var off = 1u; off < WG; off = off * 2u) {
      var add = 0u;
      if (lid >= off) {
        add = scan_buf[lid - off];
      }
      workgroupBarrier();
      scan_buf[lid] = scan_buf[lid] + add;
      workgroupBarrier();
    }
    if (e < E) {
      offs[e] = carry + scan_buf[lid] - v;
    }
    carry = carry + scan_buf[WG - 1u];
    workgroupBarrier();
  }
  if (lid == 0u) {
    offs[E] = carry;
  }
  workgroupBarrier();
}

// Writes counts, offsets, layout_meta, the expert of every block and the padding sentinels.
fn write_layout(lid : u32) {
  let E = params.E;
  let BM = params.BM;
  let npp = offs[E];
  let nb = npp / BM;
  for (var e = lid; e < E; e += WG) {
    counts[e] = cnt[e];
    offsets[e] = offs[e];
    // Padding slots of expert e: at most BM − 1, disjoint from the slots the scatter fills.
    for (var s = offs[e] + cnt[e]; s < offs[e + 1u]; s++) {
      sorted_ids[s] = params.P;
    }
  }
  if (lid == 0u) {
    offsets[E] = npp;
    layout_meta[0] = params.nx1;
    layout_meta[1] = nb;
    layout_meta[2] = 1u;
    layout_meta[3] = params.nx2;
    layout_meta[4] = nb;
    layout_meta[5] = 1u;
    layout_meta[6] = npp;
    layout_meta[7] = nb;
  }
  // Blocks spread over threads (one busy expert must not serialise on one thread): each finds
  // its expert by binary search for the first e with offs[e + 1] > b·BM.
  for (var b = lid; b < nb; b += WG) {
    let row = b * BM;
    var lo = 0u;
    var hi = E - 1u;
    while (lo < hi) {
      let mid = (lo + hi) / 2u;
      if (offs[mid + 1u] > row) {
        hi = mid;
      } else {
        lo = mid + 1u;
      }
    }
    expert_ids[b] = u32(expert_map[lo]);
  }
}

fn scatter(lid : u32, start : u32, end : u32) {
  for (var i = start + lid; i < end; i += WG) {
    let e = topk_ids[i];
    var keep = 0u;
    if (expert_map[e] >= 0) {
      sorted_ids[atomicAdd(&hist[e], 1u)] = i;
      keep = 1u;
    }
    pair_keep[i] = keep;
  }
}

// The capacity path's scatter: pairs in tiles of WG, in pair order. hist[e] holds the slot of
// expert e's next pair before this tile; a pair's slot adds the pairs of e earlier in its tile.
// It is kept while its slot is below lim[e] (= offs[e] + min(pairs, cap)).
fn scatter_ranked(lid : u32, start : u32, end : u32) {
  for (var base = start; base < end; base += WG) {
    let i = base + lid;
    var e = NONE;
    if (i < end) {
      let x = topk_ids[i];
      if (expert_map[x] >= 0) {
        e = x;
      }
    }
    tile_e[lid] = e;
    workgroupBarrier();
    if (i < end) {
      var keep = 0u;
      if (e != NONE) {
        var r = 0u;
        for (var j = 0u; j < lid; j++) {
          if (tile_e[j] == e) {
            r++;
          }
        }
        let slot = atomicLoad(&hist[e]) + r;
        keep = 2u;
        if (slot < lim[e]) {
          sorted_ids[slot] = i;
          keep = 1u;
        }
      }
      pair_keep[i] = keep;
    }
    workgroupBarrier();
    if (e != NONE) {
      atomicAdd(&hist[e], 1u);
    }
    workgroupBarrier();
  }
}

fn histogram(lid : u32, start : u32, end : u32) {
  for (var e = lid; e < params.E; e += WG) {
    atomicStore(&hist[e], 0u);
  }
  workgroupBarrier();
  for (var i = start + lid; i < end; i += WG) {
    let e = topk_ids[i];
    if (expert_map[e] >= 0) {
      atomicAdd(&hist[e], 1u);
    }
  }
  workgroupBarrier();
}

@compute @workgroup_size(WG)
fn align_single(@builtin(local_invocation_index) lid : u32) {
  histogram(lid, 0u, params.P);
  for (var e = lid; e < params.E; e += WG) {
    cnt[e] = min(atomicLoad(&hist[e]), params.cap);
  }
  workgroupBarrier();
  scan_offsets(lid);
  write_layout(lid);
  // Cursors start at each expert's offset. Without a capacity the order inside an expert is
  // whatever the atomics give (the permutation is defined up to that order); with one, pair order.
  for (var e = lid; e < params.E; e += WG) {
    atomicStore(&hist[e], offs[e]);
    lim[e] = offs[e] + cnt[e];
  }
  workgroupBarrier();
  if (params.cap == NO_CAP) {
    scatter(lid, 0u, params.P);
  } else {
    scatter_ranked(lid, 0u, params.P);
  }
}

@compute @workgroup_size(WG)
fn align_count(
  @builtin(workgroup_id) wid : vec3<u32>,
  @builtin(local_invocation_index) lid : u32,
) {
  let start = wid.x * params.chunk;
  histogram(lid, start, min(params.P, start + params.chunk));
  for (var e = lid; e < params.E; e += WG) {
    partial[wid.x * params.E + e] = atomicLoad(&hist[e]);
  }
}

@compute @workgroup_size(WG)
fn align_scan(@builtin(local_invocation_index) lid : u32) {
  let E = params.E;
  // Column prefix: partial[g][e] becomes the pairs of expert e in workgroups before g.
  for (var e = lid; e < E; e += WG) {
    var run = 0u;
    for (var g = 0u; g < params.G; g++) {
      let v = partial[g * E + e];
      partial[g * E + e] = run;
      run += v;
    }
    cnt[e] = min(run, params.cap);
  }
  workgroupBarrier();
  scan_offsets(lid);
  write_layout(lid);
  // ...and now the absolute slot where workgroup g starts writing expert e; row G holds the
  // slot end of each expert's kept pairs (the capacity path's limit).
  for (var e = lid; e < E; e += WG) {
    for (var g = 0u; g < params.G; g++) {
      partial[g * E + e] += offs[e];
    }
    partial[params.G * E + e] = offs[e] + cnt[e];
  }
}

@compute @workgroup_size(WG)
fn align_place(
  @builtin(workgroup_id) wid : vec3<u32>,
  @builtin(local_invocation_index) lid : u32,
) {
  for (var e = lid; e < params.E; e += WG) {
    atomicStore(&hist[e], partial[wid.x * params.E + e]);
    lim[e] = partial[params.G * params.E + e];
  }
  workgroupBarrier();
  let start = wid.x * params.chunk;
  if (params.cap == NO_CAP) {
    scatter(lid, start, min(params.P, start + params.chunk));
  } else {
    scatter_ranked(lid, start, min(params.P, start + params.chunk));
  }
}
