// Live knobs on the trained model: top-k, experts switched off, FFN neurons kept. Applied in the
// engine without reloading; the next run (or evaluation) uses them.
import { useEffect } from 'react';
import { applyKnobs } from '../../engine/engineActions';
import { useRunStore } from '../../engine/runStore';
import { useLabStore } from '../../state/labStore';
import { parseExpertList } from './expertList';
import { expertUse, leastUsedExperts } from './leastUsedExperts';

export function KnobsForm() {
  const config = useRunStore((s) => s.config);
  const status = useRunStore((s) => s.status);
  const steps = useRunStore((s) => s.steps);
  const topK = useLabStore((s) => s.settings.topK);
  const ffnKeep = useLabStore((s) => s.settings.ffnKeep);
  const disabledText = useLabStore((s) => s.settings.disabledExperts);
  const setSetting = useLabStore((s) => s.setSetting);
  const E = config?.experts ?? 1;
  const disabled = parseExpertList(disabledText, E);
  const k = Math.min(topK, Math.max(1, E - disabled.length));
  const ready = status === 'ready' || status === 'running' || status === 'evaluating';

  useEffect(() => {
    if (ready) applyKnobs({ topK: k, disabledExperts: disabled, ffnKeep });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `disabled` is derived from disabledText
  }, [ready, k, disabledText, ffnKeep, E]);

  if (!config) return null;
  const toggle = (e: number) => {
    const next = disabled.includes(e)
      ? disabled.filter((x) => x !== e)
      : [...disabled, e].sort((a, b) => a - b);
    if (next.length >= E) return; // at least one expert must stay on
    setSetting('disabledExperts', next.join(','));
  };
  return (
    <fieldset className="knobs" data-testid="knobs">
      <legend>Live knobs</legend>
      <label>
        Top-k: <strong data-testid="knob-topk">{k}</strong> of {E - disabled.length} experts
        <input
          type="range"
          min={1}
          max={Math.max(1, E - disabled.length)}
          value={k}
          disabled={E === 1}
          onChange={(e) => setSetting('topK', Number(e.target.value))}
          aria-label="Top-k experts per token"
        />
      </label>
      <label>
        FFN neurons kept per expert: <strong>{Math.round(ffnKeep * 100)}%</strong> (
        {Math.max(1, Math.round(ffnKeep * config.expertFfn))} of {config.expertFfn})
        <input
          type="range"
          min={0.05}
          max={1}
          step={0.05}
          value={ffnKeep}
          onChange={(e) => setSetting('ffnKeep', Number(e.target.value))}
          aria-label="Fraction of FFN neurons kept"
        />
      </label>
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
    </fieldset>
  );
}
