// The per-GPU timelines of a virtual-GPU run: one layer (attention, routing, dispatch, experts,
// combine, reductions) and one decode step (every layer), with compute from the run's measured
// kernel times or from the H100 model, and links from the chosen interconnect. Attention is not
// executed on the virtual GPUs (the engine runs it), so its time and its all-reduce are modelled.
import { attentionTp } from './modelDims';
import { commMs, modelledComputeMs, type ComputePhase, type Link } from './phaseCosts';
import { resolveShardLayout } from './shardLayout';
import {
  imbalanceLoss,
  pipelineTimeline,
  repeatStages,
  runStages,
  type Stage,
  type Timeline,
} from './timeline';
import type { CommRow, VirtualRunReport } from './virtualRun';

export type ComputeSource = 'measured' | 'modelled';

export type VirtualTimelines = {
  layer: Timeline;
  step: Timeline;
  /** Share of the step lost to uneven expert work (EP), or to pipeline bubbles (PP). */
  lossShare: number;
  lossLabel: string;
  /** What the compute times are, in words (measured falls back to modelled without timestamps). */
  computeNote: string;
  /** Whether compute times are this device's measurements (false: all modelled). */
  measured: boolean;
};

/**
 * What the times are, in words. Modelled: one H100 for every part, so compute and links share a
 * scale. Measured: this device's kernel times beside an H100's attention and links — two scales in
 * one chart, said plainly (a software GPU's milliseconds hide microsecond collectives).
 */
export function computeNote(source: ComputeSource, measured: boolean, what: string): string {
  if (measured)
    return `${what} measured on this GPU (timestamp-query; the ranks run one after another on one device, so warm-up and noise differ between them), beside attention and links modelled for an H100: two machines in one chart, so the links look thinner than they are`;
  return `compute, attention and links all modelled for one H100${source === 'measured' ? ' (this GPU has no timestamp-query, so nothing could be measured)' : ''}`;
}

const ORDER: ComputePhase[] = ['router', 'pack', 'experts', 'shared', 'sum'];

function commRow(report: VirtualRunReport, kind: CommRow['kind']): CommRow | undefined {
  return report.comm.find((c) => c.kind === kind);
}

export function virtualTimelines(
  report: VirtualRunReport,
  source: ComputeSource,
  link: Link,
): VirtualTimelines {
  return report.spec.strategy === 'pp'
    ? pipelineTimelines(report, source, link)
    : shardedTimelines(report, source, link);
}

function shardedTimelines(
  report: VirtualRunReport,
  source: ComputeSource,
  link: Link,
): VirtualTimelines {
  const L = report.layout!;
  const P = L.gpus;
  const d = report.dims;
  const ranks = Array.from({ length: P }, (_, r) => r);
  const modelled = ranks.map((r) =>
    modelledComputeMs(L, d, r, {
      ownTokens: report.ownTokens[r]!,
      rows: report.rows[r]!,
      pairs: report.pairs[r]!,
      expertsHit: report.expertsHit[r]!,
    }),
  );
  const measured = source === 'measured' ? report.measuredMs : null;
  const compute = (phase: ComputePhase) =>
    ranks.map((r) =>
      measured && phase !== 'attention' ? measured[r]![phase] : modelled[r]![phase],
    );
  const a2a = (kind: 'dispatch' | 'combine') => {
    const rows = [
      commRow(report, kind),
      kind === 'dispatch' ? commRow(report, 'dispatch-meta') : undefined,
    ];
    return ranks.map((r) =>
      commMs(
        link,
        1,
        rows.reduce((s, c) => s + (c?.sent[r] ?? 0), 0),
        rows.reduce((s, c) => s + (c?.received[r] ?? 0), 0),
      ),
    );
  };
  const ring = (kind: 'all-reduce' | 'all-gather', steps: number) =>
    ranks.map((r) => {
      const c = commRow(report, kind);
      return commMs(link, steps, c?.sent[r] ?? 0, c?.received[r] ?? 0);
    });
  const attnTp = attentionTp(L.strategy, P, L.tp, d.heads);
  const all = ranks.map(() => 0);
  const stages: Stage[] = [
    { phase: 'attention (modelled)', kind: 'compute', ms: compute('attention') },
    {
      phase: 'attention all-reduce (modelled)',
      kind: 'comm',
      ms: ranks.map((r) => {
        const bytes = attnTp > 1 ? (2 * report.ownTokens[r]! * d.D * 4 * (attnTp - 1)) / attnTp : 0;
        return commMs(link, 2 * (attnTp - 1), bytes, bytes);
      }),
      scope: ranks.map((r) => Math.floor(r / attnTp)),
    },
    ...ORDER.slice(0, 2).map((phase): Stage => ({ phase, kind: 'compute', ms: compute(phase) })),
    { phase: 'dispatch', kind: 'comm', ms: a2a('dispatch'), scope: all },
    ...ORDER.slice(2, 4).map((phase): Stage => ({ phase, kind: 'compute', ms: compute(phase) })),
    { phase: 'combine', kind: 'comm', ms: a2a('combine'), scope: all },
    { phase: 'sum', kind: 'compute', ms: compute('sum') },
    {
      phase: 'all-reduce',
      kind: 'comm',
      ms: ring('all-reduce', 2 * (L.tp - 1)),
      scope: ranks.map((r) => Math.floor(r / L.tp)),
    },
    { phase: 'all-gather', kind: 'comm', ms: ring('all-gather', P - 1), scope: all },
  ];
  return {
    layer: runStages(P, stages),
    step: repeatStages(P, stages, d.layers),
    lossShare: imbalanceLoss(P, stages, 'experts'),
    lossLabel: 'of the step lost waiting for the slowest GPU’s experts',
    computeNote: computeNote(source, !!measured, 'router, pack, experts, shared expert and sum'),
    measured: !!measured,
  };
}

function pipelineTimelines(
  report: VirtualRunReport,
  source: ComputeSource,
  link: Link,
): VirtualTimelines {
  const d = report.dims;
  const stages = report.stages!;
  const micro = report.micro!;
  const one = resolveShardLayout({ strategy: 'tp', gpus: 1, placement: 'contiguous' }, d);
  const modelled = (layers: number, rows: number) => {
    const ms = modelledComputeMs(one, d, 0, {
      ownTokens: rows,
      rows,
      pairs: rows * report.k,
      expertsHit: Math.min(d.E, rows * report.k),
    });
    return layers * Object.values(ms).reduce((a, b) => a + b, 0);
  };
  const measured = source === 'measured' ? report.pipelineMs : null;
  const computeMs = stages.map(([a, b], s) =>
    micro.map(([r0, r1], j) => (measured ? measured[s]![j]! : modelled(b - a, r1 - r0))),
  );
  const sendMs = stages
    .slice(0, -1)
    .map(() => micro.map(([r0, r1]) => commMs(link, 1, (r1 - r0) * d.D * 4, (r1 - r0) * d.D * 4)));
  const t = pipelineTimeline(computeMs, sendMs);
  const busy = computeMs.flat().reduce((a, b) => a + b, 0);
  return {
    layer: t,
    step: t,
    lossShare: t.totalMs > 0 ? Math.max(0, 1 - busy / (stages.length * t.totalMs)) : 0,
    lossLabel: 'of GPU time idle in pipeline bubbles or sends',
    computeNote: computeNote(
      source,
      !!measured,
      'each stage’s MoE layers (attention not included)',
    ),
    measured: !!measured,
  };
}
