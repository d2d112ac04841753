// The MoE layer diagram, the lab's landing view: one token of the real run at a time flows into
// the router's bars, its top-k arrows reach the experts (sized by the step's load) and the
// weighted sum gives the layer's output. Top-k, FFN kept and experts on/off sit on the diagram;
// they only move settings — the settings bridge re-runs the warm engine and every view redraws.
import { useRem } from '../../charts/useRem';
import { knobsFromSettings } from '../../engine/knobs';
import { useRunStore } from '../../engine/runStore';
import { useLabStore } from '../../state/labStore';
import { layerDiagram, minWideHeight, orientationFor, tokenRoutes } from '../../viz/layerDiagram';
import { stepTokens } from '../../viz/tokens';
import { NeedsRun } from '../shared/NeedsRun';
import { SettingControl } from '../shared/SettingControl';
import { TokenStrip } from '../shared/TokenStrip';
import { TracePickers } from '../shared/TracePickers';
import { useEngineSetup } from '../shared/useEngineSetup';
import { useTraceSelection } from '../shared/useTraceSelection';
import { LayerDiagramSvg } from './LayerDiagramSvg';
import { TokenPlayer } from './TokenPlayer';
import { useFoldRoom } from './useFoldRoom';
import '../shared/panels.css';
import './layer.css';

const f2 = (v: number) => v.toFixed(2);

export default function LayerPanel() {
  useEngineSetup();
  const sel = useTraceSelection();
  const prompts = useRunStore((s) => s.prompts);
  const outputTokens = useRunStore((s) => s.outputTokens);
  const config = useRunStore((s) => s.config);
  const settings = useLabStore((s) => s.settings);
  const setSetting = useLabStore((s) => s.setSetting);
  const rem = useRem();
  const [frame, { width, room }] = useFoldRoom<HTMLDivElement>();
  const layer = sel.layer;
  if (!layer || !config) {
    return (
      <div className="viz-panel" data-testid="layer-panel">
        <NeedsRun draws="one MoE layer — router, top-k, experts, weighted sum — token by token" />
      </div>
    );
  }

  const E = layer.experts;
  // The same reading of the settings the engine gets (one clamp, one default).
  const { knobs } = knobsFromSettings(settings, E);
  const off = knobs.disabledExperts;
  const toggle = (e: number) => {
    const next = off.includes(e) ? off.filter((x) => x !== e) : [...off, e].sort((a, b) => a - b);
    if (next.length >= E) return; // at least one expert stays on
    setSetting('disabledExperts', next.join(','));
  };
  const row = Math.min(settings.vizToken, layer.T - 1);
  const tokens = stepTokens(sel.steps, sel.stepIndex, prompts, outputTokens);
  const token = tokens[row];
  const rows = sel.steps.map((s) => s.layers[0]?.T ?? 0);
  const step = sel.steps[sel.stepIndex]!;
  const routes = tokenRoutes(layer, row);
  const fontPx = Math.min(rem, 20);
  // A short screen draws the diagram no taller than the room above the fold — unless even the
  // shortest drawing would not fit there (then the page scrolls to it anyway).
  const maxHeight = room !== null && room >= minWideHeight(E, fontPx) ? room : undefined;
  const diagram = width > 0 ? layerDiagram({ layer, row, off, width, fontPx, maxHeight }) : null;
  const shared = config.sharedFfn > 0;
  // A phone (the diagram flows top to bottom): the diagram comes first, under the lede,
  // and its player and knobs follow it, so the first screen shows the picture.
  const toolbarBelow = width > 0 && orientationFor(width) === 'tall';
  const toolbar = (
    <div className="layer-toolbar">
      <TracePickers sel={sel} />
      <TokenPlayer rows={rows} at={{ step: sel.stepIndex, row }} />
      <div className="layer-knobs" role="group" aria-label="Live knobs: they re-run the model">
        <SettingControl
          setting="topK"
          idPrefix="layer"
          testId="layer-topk"
          max={Math.max(1, E - off.length)}
          disabled={E === 1}
          note={`${knobs.topK} of ${E - off.length} experts on`}
        />
        <SettingControl
          setting="ffnKeep"
          idPrefix="layer"
          testId="layer-ffn"
          note={`${Math.max(1, Math.round(knobs.ffnKeep * config.expertFfn))} of ${config.expertFfn} neurons per expert`}
        />
      </div>
    </div>
  );

  return (
    <div
      className="viz-panel layer-panel"
      data-testid="layer-panel"
      data-step={sel.stepIndex}
      data-layer={sel.layerIndex}
      data-row={row}
      data-k={layer.k}
      data-experts={E}
      data-layout={toolbarBelow ? 'diagram-first' : 'controls-first'}
    >
      <p className="viz-lede">
        The real run of <code>{prompts[0]}</code>, token by token: the router scores {E} experts,
        the top {layer.k} compute, and the router’s weights sum their outputs.
      </p>
      {!toolbarBelow && toolbar}
      <div className="layer-frame" ref={frame}>
        {diagram && token && (
          <LayerDiagramSvg
            d={diagram}
            tokenLabel={token.label}
            tokenNote={`pos ${token.pos}`}
            animationKey={`${sel.stepIndex}-${sel.layerIndex}-${row}`}
            onToggleExpert={E > 1 ? toggle : null}
            fontPx={fontPx}
          />
        )}
      </div>
      {toolbarBelow && toolbar}
      <p className="layer-formula" data-testid="layer-formula">
        <code>
          y = {routes.map((r) => `${f2(r.weight)}·FFN${r.expert}(x)`).join(' + ')}
          {shared ? ' + FFN_shared(x)' : ''}
        </code>
        <span className="muted">
          {' '}
          — then the residual x is added. Layer {layer.layer}, step {sel.stepIndex} ({step.phase}, T
          = {layer.T}).{' '}
          {E > 1
            ? 'Click an expert to switch it off: the router renormalises over the rest and the engine re-runs.'
            : 'This model is dense: one FFN, weight 1.'}
        </span>
      </p>
      <TokenStrip
        tokens={tokens}
        selected={row}
        onSelect={(r) => setSetting('vizToken', r)}
        mark={(t) => `e${layer.topkIds[t.row * layer.k]}`}
      />
    </div>
  );
}
