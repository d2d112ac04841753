// Every byte the virtual GPUs move between each other, entry by entry, so the panel, the tests and
// the timeline all read the same record. Copies inside one GPU are not communication and are not
// recorded.

/** The collective a copy belongs to; `dispatch-meta` is the routing (ids, weights) sent along. */
export type CollectiveKind =
  'dispatch' | 'dispatch-meta' | 'combine' | 'all-reduce' | 'all-gather' | 'pp-send';

export type CommEntry = {
  kind: CollectiveKind;
  from: number;
  to: number;
  bytes: number;
  /** Which layer (or pipeline stage boundary) it belongs to. */
  layer: number;
};

export class CommLedger {
  readonly entries: CommEntry[] = [];

  record(kind: CollectiveKind, from: number, to: number, bytes: number, layer = 0): void {
    if (from === to || bytes <= 0) return;
    this.entries.push({ kind, from, to, bytes, layer });
  }

  /** Bytes of one collective kind, over all GPUs (or only those `from` one GPU). */
  bytes(kind: CollectiveKind, from?: number): number {
    let sum = 0;
    for (const e of this.entries)
      if (e.kind === kind && (from === undefined || e.from === from)) sum += e.bytes;
    return sum;
  }

  /** [gpu] bytes sent and received for one kind. */
  perGpu(kind: CollectiveKind, gpus: number): { sent: number[]; received: number[] } {
    const sent = new Array<number>(gpus).fill(0);
    const received = new Array<number>(gpus).fill(0);
    for (const e of this.entries) {
      if (e.kind !== kind) continue;
      sent[e.from]! += e.bytes;
      received[e.to]! += e.bytes;
    }
    return { sent, received };
  }

  /** [from][to] bytes of one kind (the all-to-all matrix). */
  matrix(kind: CollectiveKind, gpus: number): number[][] {
    const m = Array.from({ length: gpus }, () => new Array<number>(gpus).fill(0));
    for (const e of this.entries) if (e.kind === kind) m[e.from]![e.to]! += e.bytes;
    return m;
  }

  kinds(): CollectiveKind[] {
    return [...new Set(this.entries.map((e) => e.kind))];
  }
}
