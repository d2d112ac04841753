// What a trace-drawing view shows before there is a trace: the engine loads the model and runs
// the prompt by itself, so this says how far it has got (or why it stopped) — never made-up data.
// Two steps, each marked waiting, in progress or done, with a bar: the download's fraction while
// the pack downloads, an indeterminate bar while it is checked and while the prompt runs. It names no other view: in embed
// mode (an iframe on a slide) there is none to go to.
import { retryLoad, generateNow } from '../../engine/settingsBridge';
import { useRunStore } from '../../engine/runStore';
import { useLabStore } from '../../state/labStore';

type StepState = 'todo' | 'active' | 'done';

function Step({ n, state, children }: { n: number; state: StepState; children: string }) {
  return (
    <li data-state={state} data-mark={state === 'done' ? '✓' : String(n)}>
      {children}
      {state === 'done' && <span className="visually-hidden"> (done)</span>}
      {state === 'active' && <span className="visually-hidden"> (in progress)</span>}
    </li>
  );
}

export function NeedsRun({ draws }: { draws: string }) {
  const status = useRunStore((s) => s.status);
  const error = useRunStore((s) => s.error);
  const progress = useRunStore((s) => s.progress);
  const loaded = useRunStore((s) => s.config !== null);
  const prompt = useLabStore((s) => s.settings.prompt);
  const loading = status === 'loading' || status === 'recovering';
  const what = loading
    ? `Loading the model… ${progress?.text ?? ''}`
    : status === 'running'
      ? (progress?.text ?? `Running “${prompt}”…`)
      : status === 'error'
        ? (error ?? 'The engine failed.')
        : status === 'evaluating'
          ? 'Scoring the held-out prompts; the run follows…'
          : status === 'ready'
            ? (error ?? 'The model is loaded; the run starts…')
            : 'Starting the engine…';
  const loadState: StepState = loaded && !loading ? 'done' : status === 'error' ? 'todo' : 'active';
  const runState: StepState = status === 'running' || status === 'evaluating' ? 'active' : 'todo';
  // The load's fraction counts the download; the checks after it have none (an unfilled bar).
  const downloaded =
    loading && progress && progress.fraction > 0 && progress.fraction < 1
      ? progress.fraction
      : null;
  const busy = loading || runState === 'active' || status === 'idle';
  return (
    <div className="pending needs-run" data-testid="needs-run" data-status={status}>
      <p>
        This view draws {draws} from the engine&apos;s trace of a real run of the prompt{' '}
        <code>{prompt}</code>.
      </p>
      <ol className="needs-run-steps" aria-label="Before it can draw">
        <Step n={1} state={loadState}>
          Load the model
        </Step>
        <Step n={2} state={runState}>
          Run the prompt
        </Step>
      </ol>
      {busy && (
        <progress
          aria-label={loading ? 'Loading the model' : 'Running the prompt'}
          data-testid="needs-run-progress"
          max={1}
          {...(downloaded !== null ? { value: downloaded } : {})}
        />
      )}
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
