// Collectives as latency + bandwidth (the α–β model), on a two-level fabric: GPUs inside a
// node share the fast link, traffic to other nodes goes over each GPU's InfiniBand NIC.
import { COLLECTIVE_EFFICIENCY } from './efficiency';
import type { HardwareSpec, Interconnect, LinkSpec } from './types';

export type Fabric = { intra: LinkSpec; inter: LinkSpec; nodeSize: number };

/** `interconnect` names the fabric inside a node; beyond a node it is always InfiniBand. */
export function fabricFor(hw: HardwareSpec, interconnect: Interconnect = 'nvlink'): Fabric {
  if (interconnect === 'infiniband')
    return { intra: hw.infiniband, inter: hw.infiniband, nodeSize: 1 };
  return {
    intra: interconnect === 'pcie' ? hw.pcie : hw.nvlink,
    inter: hw.infiniband,
    nodeSize: hw.nodeSize,
  };
}

const bandwidth = (l: LinkSpec) => l.gbPerS * 1e9 * COLLECTIVE_EFFICIENCY;
/** The link a ring over `ranks` contiguous GPUs is limited by. */
const slowestLink = (ranks: number, f: Fabric) => (ranks > f.nodeSize ? f.inter : f.intra);

/** Bytes each rank sends in a ring all-reduce of `bytes`: 2·bytes·(P−1)/P. */
export function allReduceBytes(bytes: number, ranks: number): number {
  return ranks <= 1 ? 0 : (2 * bytes * (ranks - 1)) / ranks;
}

/** Ring all-reduce: 2(P−1) latency steps plus 2·bytes·(P−1)/P over the slowest link. Seconds. */
export function allReduceTime(bytes: number, ranks: number, f: Fabric): number {
  if (ranks <= 1) return 0;
  const link = slowestLink(ranks, f);
  return 2 * (ranks - 1) * link.latencyUs * 1e-6 + allReduceBytes(bytes, ranks) / bandwidth(link);
}

/** Ring all-gather of a `bytes`-sized result: (P−1) steps, bytes·(P−1)/P per rank. Seconds. */
export function allGatherTime(bytes: number, ranks: number, f: Fabric): number {
  if (ranks <= 1) return 0;
  const link = slowestLink(ranks, f);
  return (ranks - 1) * link.latencyUs * 1e-6 + (bytes * (ranks - 1)) / ranks / bandwidth(link);
}

/** Fixed cost of one all-to-all kernel: launch, flag signalling and completion wait. */
const ALL_TO_ALL_BASE_US = 5;
/** Per-peer signalling cost of an all-to-all, µs. */
const ALL_TO_ALL_PER_PEER_US = 0.05;

/**
 * All-to-all where each rank holds `bytesPerRank` destined uniformly to all P ranks (its own
 * share stays local). Peers in the node share the fast link, the rest the NIC; both drain in
 * parallel, so the slower of the two sets the time. `hotFactor` ≥ 1 scales the busiest rank's
 * traffic (skewed routing concentrates receives on the rank holding popular experts).
 */
export function allToAllTime(
  bytesPerRank: number,
  ranks: number,
  f: Fabric,
  hotFactor = 1,
): number {
  if (ranks <= 1) return 0;
  const intraPeers = Math.min(ranks, f.nodeSize) - 1;
  const interPeers = ranks - 1 - intraPeers;
  const bytes = bytesPerRank * hotFactor;
  const intra = intraPeers > 0 ? (bytes * intraPeers) / ranks / bandwidth(f.intra) : 0;
  const inter = interPeers > 0 ? (bytes * interPeers) / ranks / bandwidth(f.inter) : 0;
  const latencyUs =
    ALL_TO_ALL_BASE_US +
    2 * (interPeers > 0 ? f.inter.latencyUs : f.intra.latencyUs) +
    ALL_TO_ALL_PER_PEER_US * ranks;
  return latencyUs * 1e-6 + Math.max(intra, inter);
}

/** Point-to-point send between pipeline stages. Seconds. */
export function sendTime(bytes: number, crossesNode: boolean, f: Fabric): number {
  const link = crossesNode ? f.inter : f.intra;
  return link.latencyUs * 1e-6 + bytes / bandwidth(link);
}
