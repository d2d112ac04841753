// Routing heatmap: the run's text coloured by each character's top expert, the tokens × experts
// probabilities, the layers × experts load with per-layer balance figures, and which characters
// (and skills) each expert serves. Hovering a character, cell or expert lights up the others.
import { useMemo, useState } from 'react';
import { MatrixChart, type Cell } from '../../charts/MatrixChart';
import { useRunStore } from '../../engine/runStore';
import { loadBalance } from '../../viz/loadBalance';
import {
  expertRows,
  layerLoadMatrix,
  routedExperts,
  tokenExpertMatrix,
  topExperts,
} from '../../viz/routingMatrix';
import { cellLabel, sequenceTokens } from '../../viz/tokens';
import { NeedsRun } from '../shared/NeedsRun';
import { TracePickers } from '../shared/TracePickers';
import { useTraceSelection } from '../shared/useTraceSelection';
import { useEngineSetup } from '../shared/useEngineSetup';
import { ExpertSpecialisation } from './ExpertSpecialisation';
import { RoutedText } from './RoutedText';
import '../shared/panels.css';
import './heatmap.css';

export default function HeatmapPanel() {
  useEngineSetup();
  const sel = useTraceSelection();
  const prompts = useRunStore((s) => s.prompts);
  const outputTokens = useRunStore((s) => s.outputTokens);
  const pack = useRunStore((s) => s.config);
  const [seq, setSeq] = useState(0);
  const [hoverToken, setHoverToken] = useState<number | null>(null);
  const [hoverExpert, setHoverExpert] = useState<number | null>(null);
  const steps = sel.steps;
  const L = sel.layerIndex;
  const s = Math.min(seq, Math.max(0, prompts.length - 1));
  const tokens = useMemo(
    () => sequenceTokens(steps, s, prompts, outputTokens),
    [steps, s, prompts, outputTokens],
  );
  const load = useMemo(() => layerLoadMatrix(steps), [steps]);
  if (!sel.layer) return <NeedsRun draws="which expert every token went to, per layer" />;

  const E = sel.layer.experts;
  const probs = tokenExpertMatrix(steps, tokens, L);
  const top = topExperts(steps, tokens, L);
  const routed = routedExperts(steps, tokens, L);
  const byExpert = expertRows(probs, E);
  const experts = Array.from({ length: E }, (_, e) => `e${e}`);
  const onTokenCell = (c: Cell | null) => {
    setHoverToken(c ? c.col : null);
    setHoverExpert(c ? c.row : null);
  };
  const onLoadCell = (c: Cell | null) => setHoverExpert(c ? c.col : null);

  return (
    <div className="viz-panel" data-testid="heatmap-panel" data-layer={L}>
      <p className="viz-lede">
        Each character of the run (prompt, then generated text) is tinted by the expert the router
        ranked first at MoE layer {sel.layer.layer}; the number under it is that expert. Hover a
        character or a cell to link the views.
        {pack && (
          <span data-testid="heat-pack">
            {' '}
            Pack <strong>{pack.id}</strong>: {pack.description}
          </span>
        )}
      </p>
      <div className="viz-pickers">
        <TracePickers sel={sel} showStep={false} />
        {prompts.length > 1 && (
          <label>
            Sequence{' '}
            <select
              value={s}
              onChange={(e) => setSeq(Number(e.target.value))}
              data-testid="pick-seq"
            >
              {prompts.map((p, i) => (
                <option key={i} value={i}>
                  {i}: {p.slice(0, 24)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <RoutedText
        tokens={tokens}
        top={top}
        routed={routed}
        hoverToken={hoverToken}
        hoverExpert={hoverExpert}
        onHoverToken={setHoverToken}
      />
      <MatrixChart
        title={`Router probability, experts × tokens — layer ${sel.layer.layer}`}
        testId="heat-token-matrix"
        rowLabels={experts}
        colLabels={tokens.map((t) => cellLabel(t.label))}
        values={byExpert}
        rowTitle="expert"
        colTitle="token"
        valueName="G"
        format={(v) => v.toFixed(3)}
        cellRem={1.5}
        isMarked={(e, t) => routed[t]?.includes(e) ?? false}
        markedName={`the top-${sel.layer.k} experts each token went to`}
        highlightCol={hoverToken}
        highlightRow={hoverExpert}
        onActive={onTokenCell}
      />
      <div className="viz-row">
        <MatrixChart
          title="Load: pairs routed per layer × expert, all steps"
          testId="heat-load-matrix"
          rowLabels={load.map((_, i) => `layer ${steps[0]!.layers[i]!.layer}`)}
          colLabels={experts}
          values={load}
          rowTitle="layer"
          colTitle="expert"
          valueName="pairs"
          format={(v) => String(v)}
          showValues
          cellRem={2.6}
          highlightRow={L}
          highlightCol={hoverExpert}
          onActive={onLoadCell}
        />
        <table className="numbers" data-testid="heat-balance">
          <caption>Load balance per layer (all steps)</caption>
          <thead>
            <tr>
              <th scope="col">layer</th>
              <th scope="col">max / mean</th>
              <th scope="col">CV</th>
              <th scope="col">entropy (bits)</th>
              <th scope="col">of log₂E</th>
              <th scope="col">idle experts</th>
            </tr>
          </thead>
          <tbody>
            {load.map((counts, i) => {
              const b = loadBalance(counts);
              return (
                <tr
                  key={i}
                  data-testid="heat-balance-row"
                  data-max-over-mean={b.maxOverMean}
                  data-idle={b.idleExperts}
                >
                  <th scope="row">{steps[0]!.layers[i]!.layer}</th>
                  <td>{b.maxOverMean.toFixed(2)}</td>
                  <td>{b.cv.toFixed(2)}</td>
                  <td>{b.entropyBits.toFixed(2)}</td>
                  <td>{(100 * b.entropyFraction).toFixed(0)}%</td>
                  <td>{b.idleExperts}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted">
        max / mean = 1 and entropy = log₂E = {Math.log2(E).toFixed(2)} bits mean a perfectly even
        load; the busiest expert sets the layer&apos;s time.
      </p>
      <ExpertSpecialisation layer={L} />
    </div>
  );
}
