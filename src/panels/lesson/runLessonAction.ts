// Runs a lesson action or a preset for real: takes the "before" numbers from a finished run (or
// evaluation) of the current settings, moves the settings through the store — the settings
// bridge then re-runs the warm engine, as for any knob — and takes the "after" numbers from the
// run of the new settings, from the same sources.
import { evaluateSkills } from '../../engine/engineActions';
import { sameKnobs } from '../../engine/knobs';
import { useRunStore } from '../../engine/runStore';
import { engineSettled, wantedSignature } from '../../engine/settingsBridge';
import type { LessonAction } from '../../lesson/lessonAction';
import {
  compareMeasures,
  measureAll,
  measureValues,
  readsRun,
  type MeasuredChange,
} from '../../lesson/measures';
import type { DeviceContext } from '../../lesson/outcomeSentence';
import { applyChanges, type SettingDiff } from '../../lesson/settingsChange';
import { useLabStore } from '../../state/labStore';
import type { LabSettings, SettingKey } from '../../state/settingsSchema';

export type ActionOutcome = {
  diff: SettingDiff[];
  measured: MeasuredChange[];
  /** The device the runs were measured on, for the sentence that reads the numbers. */
  device: DeviceContext;
  /** Why the action did less than it says (engine failed, nothing to change). */
  note: string | null;
};

/** Evaluations score 4 held-out prompts per skill: enough to see a knob's effect, quick on a CPU. */
const EVAL_PER_SKILL = 4;

/** A lesson run that has not finished by then is reported instead of waited for forever. */
const RUN_LIMIT_MS = 180_000;

function withinLimit<T>(work: Promise<T>, what: string): Promise<T> {
  let timer = 0;
  const limit = new Promise<never>((_, reject) => {
    timer = window.setTimeout(
      () => reject(new Error(`${what} did not finish within ${RUN_LIMIT_MS / 1000} s`)),
      RUN_LIMIT_MS,
    );
  });
  return Promise.race([work, limit]).finally(() => window.clearTimeout(timer));
}

/** Waits for the engine to show a finished run of the current settings; fails on an engine error. */
async function settled(what: string): Promise<void> {
  const run = await withinLimit(engineSettled(), what);
  if (run.status === 'error') throw new Error(run.error ?? 'the engine failed');
}

/** True when the last evaluation was scored with the knobs the current settings ask for. */
function lastEvalMatches(): boolean {
  const { evals } = useRunStore.getState();
  const last = evals[evals.length - 1];
  const wanted = wantedSignature();
  return !!last && !!wanted && sameKnobs(last.knobs, wanted.knobs);
}

async function rerun(action: LessonAction): Promise<void> {
  const kind = action.rerun;
  // A change that re-runs nothing is still measured on a run of the current settings: a
  // chapter's baseline may have asked for one that has not landed yet.
  if (kind === 'none' && !action.measures.some(readsRun)) return;
  await settled('the run');
  if (kind === 'evaluate' && !lastEvalMatches())
    await withinLimit(evaluateSkills(EVAL_PER_SKILL), 'the evaluation');
}

/** The backend and adapter of the engine that made the run on screen. */
function device(): DeviceContext {
  const { backend, adapter } = useRunStore.getState();
  return { backend, adapter };
}

/** ORT calls per generated token of the last finished run, or null without one. */
function ortCallsPerToken(): number | null {
  const v = useRunStore.getState().done?.perToken.ortCalls;
  return v === undefined || !Number.isFinite(v) ? null : v;
}

export async function runLessonAction(action: LessonAction): Promise<ActionOutcome> {
  const lab = useLabStore.getState();
  const { next, diff } = applyChanges(lab.settings, action.changes);
  const move = (settings: Partial<LabSettings>) => {
    for (const [key, value] of Object.entries(settings))
      lab.setSetting(key as SettingKey, value as LabSettings[SettingKey]);
  };
  try {
    // The "before" uses the model the action asks for, so only the knob under study differs.
    if (next.model !== lab.settings.model) move({ model: next.model });
    await rerun(action);
    const input = () => ({
      settings: useLabStore.getState().settings,
      run: useRunStore.getState(),
    });
    const before = measureAll(action.measures, input());
    const beforeValues = measureValues(action.measures, input());
    const callsBefore = ortCallsPerToken();
    for (const d of diff) lab.setSetting(d.key, d.to as LabSettings[SettingKey]);
    await rerun(action);
    const after = measureAll(action.measures, input());
    const afterValues = measureValues(action.measures, input());
    const error = useRunStore.getState().error;
    return {
      diff,
      measured: compareMeasures(action.measures, before, after, {
        before: beforeValues,
        after: afterValues,
      }),
      device: { ...device(), ortCallsPerToken: { before: callsBefore, after: ortCallsPerToken() } },
      note:
        error && action.rerun !== 'none'
          ? error
          : diff.length === 0
            ? action.rerun === 'none'
              ? 'These settings were already in place.'
              : 'These settings were already in place; the numbers are from the run on screen.'
            : null,
    };
  } catch (err) {
    // The settings still move (the views show them); the engine said why it could not run.
    for (const d of diff) lab.setSetting(d.key, d.to as LabSettings[SettingKey]);
    return {
      diff,
      measured: [],
      device: device(),
      note: `The settings moved, but the engine could not run: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
