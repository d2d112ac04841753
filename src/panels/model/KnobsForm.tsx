// Live knobs on the trained model: top-k, experts switched off, FFN neurons kept, block size,
// expert capacity factor, expert weight precision.
// They only move settings: the settings bridge applies them to the warm engine and re-runs the
// prompt, so every open view redraws (this form need not be on screen for that).
import { knobsFromSettings } from '../../engine/knobs';
import { useRunStore } from '../../engine/runStore';
import { useLabStore } from '../../state/labStore';
import { SettingControl } from '../shared/SettingControl';
import { expertUse, leastUsedExperts } from '../../viz/leastUsedExperts';
import { droppedInRun } from '../../viz/permutation';
import { PrecisionCost } from './PrecisionCost';
import { precisionLine } from './precisionLine';

export function KnobsForm() {
  const config = useRunStore((s) => s.config);
  const status = useRunStore((s) => s.status);
  const steps = useRunStore((s) => s.steps);
  const ranWith = useRunStore((s) => s.ranWith);
  const f16Weights = useRunStore((s) => s.f16Weights);
  const settings = useLabStore((s) => s.settings);
  const setSetting = useLabStore((s) => s.setSetting);
  const E = config?.experts ?? 1;
  // The same reading of the settings the engine gets (one clamp, one default).
  const { knobs } = knobsFromSettings(settings, E, { f16: f16Weights ?? true });
  const disabled = knobs.disabledExperts;
  const k = knobs.topK;
  const ffnKeep = knobs.ffnKeep;
  const updating = status === 'running';

  if (!config) return null;
  const toggle = (e: number) => {
    const next = disabled.includes(e)
      ? disabled.filter((x) => x !== e)
      : [...disabled, e].sort((a, b) => a - b);
    if (next.length >= E) return; // at least one expert must stay on
    setSetting('disabledExperts', next.join(','));
  };
  return (
    <fieldset className="knobs" data-testid="knobs" data-updating={updating}>
      <legend>Live knobs</legend>
      <p className="muted">
        Each change re-runs the prompt on the loaded model{updating ? ' (running…)' : ''}; every
        view redraws from the new run.
      </p>
      <SettingControl
        setting="topK"
        testId="knob-topk"
        max={Math.max(1, E - disabled.length)}
        disabled={E === 1}
        note={`${k} of ${E - disabled.length} experts on`}
      />
      <SettingControl
        setting="ffnKeep"
        testId="knob-ffn"
        note={`${Math.max(1, Math.round(ffnKeep * config.expertFfn))} of ${config.expertFfn} neurons`}
      />
      {E > 1 && (
        <div>
          <div>Experts (click to switch off; the router renormalises over the rest):</div>
          <div>
            <button
              type="button"
              disabled={steps.length === 0}
              onClick={() =>
                setSetting(
                  'disabledExperts',
                  leastUsedExperts(expertUse(steps, E), Math.floor(E / 4)).join(','),
                )
              }
              data-testid="prune-least-used"
            >
              Switch off the {Math.floor(E / 4)} least-used experts of the last run
            </button>{' '}
            <button
              type="button"
              disabled={disabled.length === 0}
              onClick={() => setSetting('disabledExperts', '')}
            >
              All experts on
            </button>
          </div>
          <div className="expert-chips" role="group" aria-label="Experts on and off">
            {Array.from({ length: E }, (_, e) => (
              <button
                type="button"
                key={e}
                className={disabled.includes(e) ? 'chip chip-off' : 'chip'}
                aria-pressed={!disabled.includes(e)}
                onClick={() => toggle(e)}
              >
                E{e}
              </button>
            ))}
          </div>
        </div>
      )}
      <SettingControl setting="blockSize" testId="knob-block-size" />
      <SettingControl
        setting="capacityFactor"
        testId="knob-capacity"
        note={capacityNote(droppedInRun(steps))}
      />
      <SettingControl
        setting="expertPrecision"
        testId="knob-precision"
        note={
          f16Weights === false
            ? 'f16 cannot run here: this GPU lacks the shader-f16 feature, so choosing f16 keeps f32'
            : undefined
        }
      />
      {ranWith && steps.length > 0 && (
        <p className="muted" data-testid="precision-line">
          {precisionLine(config, ranWith.knobs, steps)}.
        </p>
      )}
      <PrecisionCost knobs={knobs} />
    </fieldset>
  );
}

/** What the run on screen dropped (measured from its traces), or nothing without a capacity. */
function capacityNote(d: { dropped: number; pairs: number } | null): string | undefined {
  if (!d) return undefined;
  const pct = d.pairs > 0 ? ((100 * d.dropped) / d.pairs).toFixed(1) : '0.0';
  return `run shown: ${d.dropped} of ${d.pairs} (token, expert) pairs dropped (${pct}%), all layers and steps`;
}
