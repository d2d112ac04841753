// What a trace-drawing view shows before there is a trace: where to get one, and a button that
// runs the default prompt with tracing on. Never made-up data.
import { generateFromSettings } from '../../engine/engineActions';
import { useRunStore } from '../../engine/runStore';
import { useLabStore } from '../../state/labStore';

export function NeedsRun({ draws }: { draws: string }) {
  const status = useRunStore((s) => s.status);
  const error = useRunStore((s) => s.error);
  const progress = useRunStore((s) => s.progress);
  const settings = useLabStore((s) => s.settings);
  const run = () => void generateFromSettings(settings, true);
  return (
    <div className="pending" data-testid="needs-run">
      <p>
        <strong>Generate text in the Model view first.</strong> This view draws {draws} from the
        engine&apos;s trace of a real run; there is none yet.
      </p>
      <p>
        <button
          type="button"
          className="primary"
          onClick={run}
          disabled={status !== 'ready'}
          data-testid="needs-run-generate"
        >
          Run the prompt <code>{settings.prompt}</code> here
        </button>{' '}
        <span className="muted" role="status">
          {status === 'loading'
            ? `Loading the model… ${progress?.text ?? ''}`
            : status === 'running'
              ? 'Generating…'
              : status === 'error'
                ? (error ?? 'The engine failed.')
                : ''}
        </span>
      </p>
    </div>
  );
}
