// The numbers of one simulated run: latency, throughput, memory per GPU against capacity,
// where the time went and what limits it.
import { StackedBar } from '../../charts/StackedBar';
import type { SimResult } from '../../sim/types';
import { fmtGB, fmtMs, fmtRate } from './format';

const BOTTLENECK_TEXT: Record<SimResult['bottleneck'], string> = {
  compute:
    'compute — the tensor cores are the limit: more GPUs, FP8, or fewer active experts help.',
  memory:
    'memory bandwidth — weights and KV cache streaming from HBM: batch more, quantise weights.',
  communication:
    'communication — collectives dominate: fewer hops, faster links, overlap, or EP instead of TP.',
  imbalance:
    'load imbalance — the busiest GPU holds popular experts: rebalance (EPLB) or use TP for experts.',
  overhead:
    'fixed costs — per-layer kernels, launches, scheduling and sampling outweigh FLOPs and bytes: batch more requests, use CUDA graphs, or fewer, larger GPUs.',
  'memory capacity': 'memory capacity — it does not fit.',
};

function Metric({
  id,
  label,
  value,
  display,
  unit,
  band,
  format,
}: {
  id: string;
  label: string;
  value: number;
  display: string;
  unit: string;
  /** Stated error factor: the figure lies within [value / band, value × band]. */
  band?: number;
  format?: (v: number) => string;
}) {
  return (
    <div className="sim-metric" data-testid={`sim-${id}`} data-value={value} data-band={band}>
      <span className="sim-metric-label">{label}</span>
      <span className="sim-metric-value">
        {display} {unit && <span className="sim-unit">{unit}</span>}
      </span>
      {band !== undefined && format && (
        <span className="sim-band" title={`stated error ×/÷${band}`}>
          {format(value / band)}–{format(value * band)}
        </span>
      )}
    </div>
  );
}

export function SimulatorOutputs({ result }: { result: SimResult }) {
  const r = result;
  const ttft = fmtMs(r.ttftMs).split(' ');
  const itl = fmtMs(r.itlMs).split(' ');
  const e2e = fmtMs(r.e2eMs).split(' ');
  const b = r.bands;
  return (
    <section aria-labelledby="sim-results-h" className="sim-results">
      <h3 id="sim-results-h">Result</h3>
      <div
        className={r.fits ? 'sim-fit ok' : 'sim-fit bad'}
        data-testid="sim-fits"
        data-value={String(r.fits)}
        role="status"
      >
        {r.fits ? '✔ Fits in memory' : `✘ Does not fit: ${r.reason}`}
      </div>
      <div className="sim-metrics">
        <Metric
          id="ttft"
          label="Time to first token"
          value={r.ttftMs}
          display={ttft[0]!}
          unit={ttft[1]!}
          band={b.ttft}
          format={fmtMs}
        />
        <Metric
          id="itl"
          label="Inter-token latency"
          value={r.itlMs}
          display={itl[0]!}
          unit={itl[1]!}
          band={b.itl}
          format={fmtMs}
        />
        <Metric
          id="e2e"
          label="End-to-end latency"
          value={r.e2eMs}
          display={e2e[0]!}
          unit={e2e[1]!}
          band={Math.max(b.ttft, b.itl)}
          format={fmtMs}
        />
        <Metric
          id="output-tps"
          label="Output throughput"
          value={r.outputTokensPerS}
          display={fmtRate(r.outputTokensPerS)}
          unit="tok/s"
          band={b.throughput}
          format={fmtRate}
        />
        <Metric
          id="total-tps"
          label="Total throughput"
          value={r.totalTokensPerS}
          display={fmtRate(r.totalTokensPerS)}
          unit="tok/s"
          band={b.throughput}
          format={fmtRate}
        />
        <Metric
          id="gpu-tps"
          label="Per GPU"
          value={r.tokensPerSPerGpu}
          display={fmtRate(r.tokensPerSPerGpu)}
          unit="tok/s/GPU"
          band={b.throughput}
          format={fmtRate}
        />
        <Metric
          id="user-tps"
          label="Per user"
          value={r.tokensPerSPerUser}
          display={fmtRate(r.tokensPerSPerUser)}
          unit="tok/s"
          band={b.itl}
          format={fmtRate}
        />
        <Metric
          id="memory"
          label="Memory per GPU"
          value={r.memoryPerGpuGB}
          display={fmtGB(r.memoryPerGpuGB)}
          unit="GB"
        />
      </div>
      <StackedBar
        testId="sim-memory-bar"
        title="Memory per GPU"
        unit="GB"
        format={fmtGB}
        parts={[
          { name: 'Weights', value: r.memory.weightsGB },
          { name: 'KV cache', value: r.memory.kvCacheGB },
          { name: 'Activations', value: r.memory.activationsGB },
          { name: 'Runtime', value: r.memory.runtimeGB },
        ]}
        limit={{ value: r.memory.capacityGB, label: 'usable' }}
      />
      <StackedBar
        testId="sim-time-split"
        title="Where the busiest GPU's time goes (the whole run)"
        unit="ms"
        format={(v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1))}
        parts={[
          { name: 'Compute', value: r.split.compute },
          { name: 'Memory', value: r.split.memory },
          { name: 'Communication', value: r.split.communication },
          { name: 'Imbalance', value: r.split.imbalance },
          { name: 'Fixed costs', value: r.split.overhead },
        ]}
      />
      <p className="sim-bottleneck" data-testid="sim-bottleneck" data-value={r.bottleneck}>
        <strong>Bottleneck:</strong> {BOTTLENECK_TEXT[r.bottleneck]}
      </p>
      <p className="sim-band-note" data-testid="sim-band-note">
        Ranges under each figure are its stated error on the {r.engine} profile: the widest miss
        against published runs the fit did not see (docs/simulator.md). Up to{' '}
        {Math.round(r.admitted)} requests run at once
        {r.queueMs > 0.5 ? `; mean queueing ${fmtMs(r.queueMs)}` : ''}.
      </p>
      <p className="sim-layout">
        Layout: attention TP {r.layout.attentionTp} × DP {r.layout.attentionDp}; experts TP{' '}
        {r.layout.expertTp} × EP {r.layout.ep}
        {r.layout.pp > 1 ? `; ${r.layout.pp} pipeline stages` : ''}. Decode step{' '}
        {fmtMs(r.decodeStepMs)}, prefill iteration {fmtMs(r.prefillMs)}.
      </p>
      {r.notes.length > 0 && (
        <ul className="sim-notes">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
