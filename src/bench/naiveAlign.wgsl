// Naive serial align & sort (the baseline of the align benchmark): ONE invocation counts the
// pairs per expert, pads each count up to BM, scans, writes the block → expert map and places every
// pair, in program order. Same outputs as the real kernel (offsets, expert_ids, sorted_ids).
struct Params {
  P: u32,
  E: u32,
  BM: u32,
  slots: u32,
}
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> ids: array<i32>;
// [0..E) counts then cursors, [E..2E+1) offsets.
@group(0) @binding(2) var<storage, read_write> work: array<u32>;
@group(0) @binding(3) var<storage, read_write> sorted_ids: array<u32>;
@group(0) @binding(4) var<storage, read_write> expert_ids: array<i32>;

@compute @workgroup_size(1)
fn main() {
  let E = prm.E;
  for (var e = 0u; e < E; e++) {
    work[e] = 0u;
  }
  for (var i = 0u; i < prm.P; i++) {
    let e = u32(ids[i]);
    work[e] = work[e] + 1u;
  }
  var acc = 0u;
  for (var e = 0u; e < E; e++) {
    work[E + e] = acc;
    let padded = (work[e] + prm.BM - 1u) / prm.BM * prm.BM;
    for (var b = acc / prm.BM; b < (acc + padded) / prm.BM; b++) {
      expert_ids[b] = i32(e);
    }
    work[e] = acc;
    acc += padded;
  }
  work[2u * E] = acc;
  for (var s = 0u; s < acc; s++) {
    sorted_ids[s] = prm.P;
  }
  for (var i = 0u; i < prm.P; i++) {
    let e = u32(ids[i]);
    sorted_ids[work[e]] = i;
    work[e] = work[e] + 1u;
  }
}
