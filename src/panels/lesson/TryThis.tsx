// A chapter's "try this": one button that moves the settings (and re-runs what they affect),
// then says in words what changed — each setting from → to, the numbers before → after, and a
// sentence written from those numbers (src/lesson/outcomeSentence.ts): what the change did here,
// and why when this device shows otherwise than the chapter teaches.
// A second button puts the chapter's baseline settings back.
import { useState } from 'react';
import type { LessonAction } from '../../lesson/lessonAction';
import { outcomeSentence } from '../../lesson/outcomeSentence';
import { describeDiff, type SettingChanges } from '../../lesson/settingsChange';
import { runLessonAction, type ActionOutcome } from './runLessonAction';

type Props = {
  /** The chapter whose lesson the sentence under the numbers reads them against. */
  chapterId: string;
  action: LessonAction;
  /** The settings the chapter starts from: "Put it back" returns to them. */
  baseline: SettingChanges;
  outcome: ActionOutcome | undefined;
  onOutcome: (o: ActionOutcome | undefined) => void;
  /** Why the button cannot run now (the engine is loading), or null. */
  blocked: string | null;
};

export function OutcomeText({ outcome, testId }: { outcome: ActionOutcome; testId: string }) {
  return (
    <div className="lesson-outcome" data-testid={testId}>
      {outcome.diff.length > 0 && (
        <ul aria-label="Settings changed">
          {outcome.diff.map((d) => (
            <li key={d.key} data-testid="changed-setting" data-key={d.key} data-to={String(d.to)}>
              {describeDiff(d)}
            </li>
          ))}
        </ul>
      )}
      {outcome.measured.length > 0 && (
        <ul aria-label="What it did">
          {outcome.measured.map((m) => (
            <li
              key={m.id}
              data-testid="measured"
              data-measure={m.id}
              data-before={m.before}
              data-after={m.after}
            >
              {m.label}: <strong>{m.before}</strong> → <strong>{m.after}</strong>
            </li>
          ))}
        </ul>
      )}
      {outcome.note && <p className="muted">{outcome.note}</p>}
    </div>
  );
}

/** What the numbers say, against what the chapter teaches. */
export function OutcomeSentenceText({
  chapterId,
  outcome,
}: {
  chapterId: string;
  outcome: ActionOutcome;
}) {
  const s = outcomeSentence(chapterId, outcome.measured, outcome.device);
  return (
    <p className="lesson-sentence" data-testid="try-this-sentence" data-verdict={s.verdict}>
      {s.text}
    </p>
  );
}

export function TryThis({ chapterId, action, baseline, outcome, onOutcome, blocked }: Props) {
  const [busy, setBusy] = useState(false);
  const run = async (a: LessonAction, undo: boolean) => {
    setBusy(true);
    try {
      const result = await runLessonAction(a);
      onOutcome(undo ? undefined : result);
    } finally {
      setBusy(false);
    }
  };
  const undo = () =>
    outcome && void run({ ...action, changes: baseline, label: 'Put it back' }, true);
  return (
    <section className="lesson-try" aria-labelledby="lesson-try-title" data-testid="try-this">
      <h4 id="lesson-try-title">Try this</h4>
      <p>
        <button
          type="button"
          className="primary"
          onClick={() => void run(action, false)}
          disabled={busy || blocked !== null}
          data-testid="try-this-button"
        >
          {action.label}
        </button>{' '}
        {outcome && outcome.diff.length > 0 && (
          <button type="button" onClick={undo} disabled={busy} data-testid="try-this-undo">
            Put it back
          </button>
        )}{' '}
        <span role="status" className="muted" data-testid="try-this-status">
          {busy
            ? action.rerun === 'generate'
              ? 'Running the prompt before and after…'
              : action.rerun === 'evaluate'
                ? 'Scoring the held-out prompts…'
                : 'Working…'
            : (blocked ?? '')}
        </span>
      </p>
      {outcome && !busy && (
        <>
          <OutcomeText outcome={outcome} testId="try-this-result" />
          <OutcomeSentenceText chapterId={chapterId} outcome={outcome} />
          <p className="muted" data-testid="try-this-look">
            Where to look: {action.lookAt}
          </p>
        </>
      )}
    </section>
  );
}
