// Says when the run a view draws is older than the settings: what changed, and that the engine
// is already re-running (or why it is not). Views keep drawing the old run until the new lands.
import { useRunStore } from '../../engine/runStore';
import { signatureChanges } from '../../engine/runSignature';
import { wantedSignature } from '../../engine/settingsBridge';
import { useLabStore } from '../../state/labStore';

export function RunFreshness() {
  const settings = useLabStore((s) => s.settings);
  const run = useRunStore();
  const wanted = wantedSignature(settings, run);
  if (!wanted || !run.ranWith) return null;
  const changes = signatureChanges(run.ranWith, wanted);
  if (changes.length === 0) return null;
  const busy = run.status === 'running' || run.status === 'loading' || run.status === 'recovering';
  return (
    <p className="stale-note" role="status" data-testid="stale-notice" data-busy={busy}>
      <strong>{busy ? 'Updating:' : 'Out of date:'}</strong> shown is the run before{' '}
      {changes.join(', ')}.{' '}
      {busy
        ? 'The engine is running the new settings; this view redraws when that run lands.'
        : run.status === 'evaluating'
          ? 'The engine re-runs once the evaluation ends.'
          : run.error
            ? `The new run failed: ${run.error}`
            : ''}
    </p>
  );
}
