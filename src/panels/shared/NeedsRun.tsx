// What a trace-drawing view shows before there is a trace: the engine loads the model and runs
// the prompt by itself, so this says how far it has got (or why it stopped) — never made-up data.
import { retryLoad, generateNow } from '../../engine/settingsBridge';
import { useRunStore } from '../../engine/runStore';
import { useLabStore } from '../../state/labStore';

export function NeedsRun({ draws }: { draws: string }) {
  const status = useRunStore((s) => s.status);
  const error = useRunStore((s) => s.error);
  const progress = useRunStore((s) => s.progress);
  const prompt = useLabStore((s) => s.settings.prompt);
  const what =
    status === 'loading' || status === 'recovering'
      ? `Loading the model… ${progress?.text ?? ''}`
      : status === 'running'
        ? (progress?.text ?? `Running “${prompt}”…`)
        : status === 'error'
          ? (error ?? 'The engine failed.')
          : status === 'ready' && error
            ? error
            : 'Starting the engine…';
  return (
    <div className="pending" data-testid="needs-run" data-status={status}>
      <p>
        This view draws {draws} from the engine&apos;s trace of a real run of the prompt{' '}
        <code>{prompt}</code>.
      </p>
      <p role="status" className={status === 'error' ? 'bad' : 'muted'}>
        {what}
      </p>
      {status === 'error' && (
        <button type="button" onClick={() => void retryLoad()} data-testid="needs-run-retry">
          Load the model again
        </button>
      )}
      {status === 'ready' && (
        <button
          type="button"
          className="primary"
          onClick={() => void generateNow()}
          data-testid="needs-run-generate"
        >
          Run the prompt
        </button>
      )}
    </div>
  );
}
