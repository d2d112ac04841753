// The all-to-all's layout, from the routing the tokens' own GPUs computed: which rows each group
// sends to each other group (a token goes once to every group holding one of its experts, as
// DeepEP sends it once per rank), where they land, the physical expert ids the receivers compute,
// and where each expert output comes back to. Plain arrays, so it is tested without a GPU.
import { physicalExpert, tokenOwnership, type ShardLayout } from './shardLayout';

export type DispatchPlan = {
  T: number;
  k: number;
  /** [group] [start, end) of owned tokens. */
  own: [number, number][];
  /** [src][dst] owner-local rows src sends to dst, ascending. */
  rows: number[][][];
  /** [src] gather index of its send buffer (rows grouped by destination), and [src][dst] start row. */
  sendIdx: Uint32Array[];
  sendOff: number[][];
  /** [dst][src] start row in dst's receive buffer; [dst] rows received in all. */
  recvOff: number[][];
  recvRows: number[];
  /** [dst] [recvRows, k] physical expert id of each received row's pairs (other groups' too). */
  recvIds: Uint32Array[];
  /** [src] [ep, tokens] row of src's return buffer holding dst's output for a token, or −1. */
  retSlot: Int32Array[];
  /** [group] (token, expert) pairs its experts compute. */
  pairsPerGroup: number[];
  /** [physical expert] pairs routed to it. */
  pairsPerPhysical: number[];
};

/** `topk[g]` is [tokens of g, k] logical expert ids, as g's router wrote them. */
export function planDispatch(
  layout: ShardLayout,
  T: number,
  k: number,
  topk: Int32Array[],
): DispatchPlan {
  const ep = layout.ep;
  const own = tokenOwnership(layout, T);
  const groupOfPhys = layout.physical.map((p) => p.group);
  const phys = own.map(([start, end], g) => {
    const ids = topk[g]!;
    if (ids.length < (end - start) * k) throw new Error(`routing of group ${g} is short`);
    const out = new Uint32Array((end - start) * k);
    for (let t = 0; t < end - start; t++)
      for (let j = 0; j < k; j++) {
        const e = ids[t * k + j]!;
        if (e < 0 || e >= layout.physOfExpert.length)
          throw new Error(`expert id ${e} out of range`);
        out[t * k + j] = physicalExpert(layout, e, start + t);
      }
    return out;
  });
  const pairsPerPhysical = new Array<number>(layout.physical.length).fill(0);
  const pairsPerGroup = new Array<number>(ep).fill(0);
  const rows = own.map(([start, end], s) => {
    const perDst = Array.from({ length: ep }, () => [] as number[]);
    const seen = new Uint8Array(ep);
    for (let t = 0; t < end - start; t++) {
      seen.fill(0);
      for (let j = 0; j < k; j++) {
        const p = phys[s]![t * k + j]!;
        const q = groupOfPhys[p]!;
        pairsPerPhysical[p]!++;
        pairsPerGroup[q]!++;
        if (!seen[q]) perDst[q]!.push(t);
        seen[q] = 1;
      }
    }
    return perDst;
  });
  const sendOff = rows.map((perDst) => {
    let at = 0;
    return perDst.map((r) => ((at += r.length), at - r.length));
  });
  const sendIdx = rows.map((perDst) => Uint32Array.from(perDst.flat()));
  const recvOff: number[][] = [];
  const recvRows: number[] = [];
  const recvIds: Uint32Array[] = [];
  for (let q = 0; q < ep; q++) {
    let at = 0;
    recvOff.push(rows.map((perDst) => ((at += perDst[q]!.length), at - perDst[q]!.length)));
    recvRows.push(at);
    const ids = new Uint32Array(at * k);
    let r = 0;
    rows.forEach((perDst, s) => {
      for (const t of perDst[q]!) ids.set(phys[s]!.subarray(t * k, t * k + k), k * r++);
    });
    recvIds.push(ids);
  }
  const retSlot = own.map(([start, end], s) => {
    const n = end - start;
    const slot = new Int32Array(ep * n).fill(-1);
    rows[s]!.forEach((list, q) => list.forEach((t, i) => (slot[q * n + t] = sendOff[s]![q]! + i)));
    return slot;
  });
  return {
    T,
    k,
    own,
    rows,
    sendIdx,
    sendOff,
    recvOff,
    recvRows,
    recvIds,
    retSlot,
    pairsPerGroup,
    pairsPerPhysical,
  };
}

/** Rows crossing between different groups: what the all-to-all actually moves, each way. */
export function remoteRows(plan: DispatchPlan): number {
  let n = 0;
  plan.rows.forEach((perDst, s) => perDst.forEach((list, q) => (n += s === q ? 0 : list.length)));
  return n;
}
