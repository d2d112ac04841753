// Permutation (align & sort): the steps of moe_align_block_size on one layer's real buffers,
// stepped with ←/→ or the buttons; a BM slider re-pads the same counts; the CSR view beside it;
// then the grouped GEMM's blocks those buffers produce.
import { useEffect, useState } from 'react';
import { useRunStore } from '../../engine/runStore';
import { useLabStore } from '../../state/labStore';
import {
  PERMUTATION_STAGES,
  alignView,
  dropSummary,
  traceMatchesReference,
} from '../../viz/permutation';
import { stepTokens } from '../../viz/tokens';
import { NeedsRun } from '../shared/NeedsRun';
import { SettingControl } from '../shared/SettingControl';
import { TokenStrip } from '../shared/TokenStrip';
import { TracePickers } from '../shared/TracePickers';
import { useTraceSelection } from '../shared/useTraceSelection';
import { useEngineSetup } from '../shared/useEngineSetup';
import { CsrView } from './CsrView';
import { GemmBlocks } from './GemmBlocks';
import { PermutationStages } from './PermutationStages';
import '../shared/panels.css';
import './permutation.css';

const LAST = PERMUTATION_STAGES.length - 1;

/** Arrow keys step the stages unless focus is in a control that uses them itself. */
function usesArrows(el: EventTarget | null): boolean {
  if (!(el instanceof Element)) return false;
  return !!el.closest('input, select, textarea, [role=toolbar], [role=grid], .viz-matrix');
}

export default function PermutationPanel() {
  useEngineSetup();
  const sel = useTraceSelection();
  const prompts = useRunStore((s) => s.prompts);
  const outputTokens = useRunStore((s) => s.outputTokens);
  const config = useRunStore((s) => s.config);
  const stage = useLabStore((s) => s.settings.permStage);
  const bmSetting = useLabStore((s) => s.settings.vizBm);
  const wantToken = useLabStore((s) => s.settings.vizToken);
  const setSetting = useLabStore((s) => s.setSetting);

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
      if (ev.altKey || ev.ctrlKey || ev.metaKey || usesArrows(ev.target)) return;
      ev.preventDefault();
      const now = useLabStore.getState().settings.permStage;
      const next = Math.min(LAST, Math.max(0, now + (ev.key === 'ArrowRight' ? 1 : -1)));
      useLabStore.getState().setSetting('permStage', next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Play: one stage every 1.5 s up to the last, as a lecturer would click through.
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    if (!playing) return;
    const id = window.setInterval(() => {
      const now = useLabStore.getState().settings.permStage;
      if (now >= LAST) {
        setPlaying(false);
        return;
      }
      useLabStore.getState().setSetting('permStage', now + 1);
    }, 1500);
    return () => window.clearInterval(id);
  }, [playing]);

  const layer = sel.layer;
  if (!layer) return <NeedsRun draws="the align-and-sort buffers (counts, offsets, sorted_ids)" />;

  const bm = Number(bmSetting);
  const view = alignView(layer, bm);
  const twinMatches = traceMatchesReference(layer);
  const drops = dropSummary(layer);
  const tokens = stepTokens(sel.steps, sel.stepIndex, prompts, outputTokens);
  const combineToken = Math.min(wantToken, layer.T - 1);
  const current = PERMUTATION_STAGES[stage]!;
  const go = (s: number) => setSetting('permStage', Math.min(LAST, Math.max(0, s)));

  return (
    <div className="viz-panel" data-testid="permutation-panel" data-stage={stage} data-bm={bm}>
      <p className="viz-lede">
        To run all experts in one grouped GEMM, the kernel groups the {layer.T}·{layer.k} ={' '}
        {layer.T * layer.k} (token, expert) pairs by expert: count, pad each count to the block size
        BM, prefix-sum into offsets, and scatter pair ids into <code>sorted_ids</code>. These are
        the engine&apos;s buffers from step {sel.stepIndex}, layer {layer.layer}.
      </p>
      <TracePickers sel={sel} />
      <div className="perm-controls">
        <div
          className="perm-stepper"
          role="group"
          aria-label="Stages of align and sort"
          data-testid="perm-stepper"
        >
          <button
            type="button"
            onClick={() => go(stage - 1)}
            disabled={stage === 0}
            data-testid="perm-prev"
          >
            ← Previous
          </button>
          <span className="perm-stage-name" aria-live="polite" data-testid="perm-stage-name">
            Stage {stage + 1} of {PERMUTATION_STAGES.length}: <strong>{current.title}</strong>
          </span>
          <button
            type="button"
            onClick={() => go(stage + 1)}
            disabled={stage === LAST}
            data-testid="perm-next"
          >
            Next →
          </button>
          <button
            type="button"
            aria-pressed={playing}
            onClick={() => {
              if (!playing && stage === LAST) go(0);
              setPlaying(!playing);
            }}
            data-testid="perm-play"
          >
            {playing ? 'Pause' : 'Play'}
          </button>
        </div>
        <p>
          {current.what}. <span className="muted">Keys: ← / → step through the stages.</span>
        </p>
        <SettingControl setting="vizBm" testId="perm-bm" />
        <p data-testid="perm-source" data-from-trace={view.fromTrace ? 'true' : 'false'}>
          {view.fromTrace ? (
            <>
              These are the kernel&apos;s own buffers (the engine ran with BM = {layer.blockSize}).
            </>
          ) : (
            <>
              The engine ran with BM = {layer.blockSize}; for BM = {bm} the padding, offsets,
              expert_ids and sorted_ids are <strong>recomputed</strong> from the traced topk_ids by{' '}
              <code>alignReference</code>, the kernels&apos; CPU twin.
            </>
          )}{' '}
          <span data-testid="perm-twin-check" data-match={twinMatches ? 'true' : 'false'}>
            {twinMatches
              ? 'The CPU twin reproduces the traced buffers exactly.'
              : 'Warning: the CPU twin does not reproduce the traced buffers.'}
          </span>
        </p>
        <p
          className="perm-waste"
          data-testid="perm-waste"
          data-padding={view.paddingSlots}
          data-total={view.numPostPad}
        >
          Padding waste: <strong>{view.paddingSlots}</strong> of {view.numPostPad} rows (
          {(100 * view.paddingFraction).toFixed(1)}%) are computed for nothing — the dashed cells.
        </p>
        {drops && (
          <p
            className="perm-dropped"
            data-testid="perm-dropped"
            data-dropped={drops.dropped}
            data-pairs={drops.pairs}
            data-capacity={drops.capacity}
          >
            Capacity: each expert takes at most <strong>{drops.capacity}</strong> pairs per call
            {drops.calls > 1
              ? ` (this layer ran in ${drops.calls} calls; shown: the largest call's limit)`
              : ''}
            , first come first served in token order. <strong>{drops.dropped}</strong> of{' '}
            {drops.pairs} pairs dropped
            {drops.dropped > 0 && (
              <>
                {' '}
                (✕ in topk_ids), {(100 * drops.weightShare).toFixed(1)}% of the routed weight;{' '}
                {drops.tokensLostAll} token{drops.tokensLostAll === 1 ? '' : 's'} lost all {layer.k}{' '}
                experts and kept only the residual
                {(config?.sharedFfn ?? 0) > 0 ? ' and the shared expert' : ''}
              </>
            )}
            .
          </p>
        )}
      </div>
      {stage === LAST && (
        <TokenStrip
          tokens={tokens}
          selected={combineToken}
          onSelect={(r) => setSetting('vizToken', r)}
        />
      )}
      <div className="perm-layout">
        <PermutationStages
          view={view}
          layer={layer}
          stage={stage}
          tokens={tokens}
          combineToken={combineToken}
        />
        <CsrView view={view} tokens={tokens} />
      </div>
      <GemmBlocks view={view} hidden={config?.hidden ?? 0} expertFfn={config?.expertFfn ?? 0} />
    </div>
  );
}
