// Gating: for one token and layer of the last run, the router's probabilities over all experts,
// the k it picked, and the renormalised weights s_j = G_ij / Σ G_top that scale each expert's
// output — the lecture's formulas with the engine's own numbers.
import { BarChart } from '../../charts/BarChart';
import { useRunStore } from '../../engine/runStore';
import { useLabStore } from '../../state/labStore';
import { gatingBars, gatingView } from '../../viz/gating';
import { stepTokens } from '../../viz/tokens';
import { useEngineSetup } from '../shared/useEngineSetup';
import { NeedsRun } from '../shared/NeedsRun';
import { TokenStrip } from '../shared/TokenStrip';
import { TracePickers } from '../shared/TracePickers';
import { useTraceSelection } from '../shared/useTraceSelection';
import '../shared/panels.css';

const f3 = (v: number) => v.toFixed(3);

export default function GatingPanel() {
  useEngineSetup();
  const sel = useTraceSelection();
  const prompts = useRunStore((s) => s.prompts);
  const outputTokens = useRunStore((s) => s.outputTokens);
  const config = useRunStore((s) => s.config);
  const wantToken = useLabStore((s) => s.settings.vizToken);
  const setSetting = useLabStore((s) => s.setSetting);
  const layer = sel.layer;
  if (!layer) return <NeedsRun draws="the router's softmax, top-k and weights per token" />;

  const row = Math.min(wantToken, layer.T - 1);
  const tokens = stepTokens(sel.steps, sel.stepIndex, prompts, outputTokens);
  const g = gatingView(layer, row);
  const token = tokens[row]!;
  const ids = g.chosen.map((c) => c.expert);
  const sumText = g.chosen.map((c) => f3(c.prob)).join(' + ');

  return (
    <div
      className="viz-panel"
      data-testid="gating-panel"
      data-step={sel.stepIndex}
      data-layer={sel.layerIndex}
      data-row={row}
    >
      <p className="viz-lede">
        The router scores every expert for each token, <code>G = softmax(x · W_G)</code>, keeps the
        top <var>k</var> = {layer.k}, and mixes their outputs with weights renormalised over the
        chosen ones. This model: {layer.experts} experts, {config?.routerScoring ?? 'softmax'}{' '}
        router, {g.weightsAreRenormalized ? 'renormalised (Mixtral-style)' : 'not renormalised'}.
      </p>
      <TracePickers sel={sel} />
      <TokenStrip
        tokens={tokens}
        selected={row}
        onSelect={(r) => setSetting('vizToken', r)}
        mark={(t) => `e${layer.topkIds[t.row * layer.k]}`}
      />
      <p className="muted gating-token-line">
        Token <strong className="token-inline">{token.label}</strong> — sequence {token.seq},
        position {token.pos}, row {row} of {layer.T} in step {sel.stepIndex} (
        {sel.steps[sel.stepIndex]!.phase}). The small label under each token is its top-1 expert at
        this layer.
      </p>
      <div className="viz-row">
        <BarChart
          title={`Router softmax G over ${layer.experts} experts — layer ${layer.layer}, token “${token.label}”`}
          testId="gating-probs"
          yLabel="G (probability)"
          format={f3}
          bars={gatingBars(g)}
          max={1}
        />
        <section
          className="formula"
          aria-label="The layer's output for this token"
          data-testid="gating-formula"
        >
          <h3>With this token&apos;s numbers</h3>
          <p>
            <code>
              I = TopK(G, k={layer.k}) = {'{'}
              {ids.map((e) => `e${e}`).join(', ')}
              {'}'}
            </code>
          </p>
          <p>
            <code>
              Σ G_top = {sumText} = {f3(g.topSum)}
            </code>
          </p>
          <table className="numbers">
            <thead>
              <tr>
                <th scope="col">j</th>
                <th scope="col">expert</th>
                <th scope="col">G</th>
                <th scope="col">s_j = G / Σ G_top</th>
                <th scope="col">kernel&apos;s weight</th>
              </tr>
            </thead>
            <tbody>
              {g.chosen.map((c) => (
                <tr
                  key={c.rank}
                  data-testid="gating-weight"
                  data-expert={c.expert}
                  data-prob={c.prob}
                  data-weight={c.traceWeight}
                >
                  <td>{c.rank}</td>
                  <td>e{c.expert}</td>
                  <td>{f3(c.prob)}</td>
                  <td>
                    {f3(c.prob)} / {f3(g.topSum)} = {f3(c.renormalized)}
                  </td>
                  <td>{f3(c.traceWeight)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="formula-output" data-testid="gating-output">
            <code>
              y = {g.chosen.map((c) => `${f3(c.traceWeight)} · FFN_${c.expert}(x)`).join(' + ')}
            </code>
          </p>
          <p className="muted">
            The other {layer.experts - layer.k} experts are not computed for this token. Each
            FFN_e(x) is a vector of {config?.hidden ?? 'D'} numbers; the trace records the routing,
            not those vectors, so they stay symbolic here.
            {!g.weightsAreRenormalized && ' The kernel used the raw probabilities as weights.'}
          </p>
        </section>
      </div>
    </div>
  );
}
