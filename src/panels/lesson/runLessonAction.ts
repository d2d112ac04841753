// Runs a lesson action or a preset for real: takes the "before" numbers (running the prompt or
// the evaluation first when there is nothing comparable yet), moves the settings through the
// store, re-runs what the change affects, and takes the "after" numbers from the same sources.
import {
  applyKnobs,
  evaluateSkills,
  generateFromSettings,
  loadModel,
} from '../../engine/engineActions';
import type { Backend } from '../../engine/protocol';
import { useRunStore, type RunState } from '../../engine/runStore';
import { knobsFromSettings, sameKnobs } from '../../lesson/engineKnobs';
import type { LessonAction } from '../../lesson/lessonAction';
import { compareMeasures, measureAll, type MeasuredChange } from '../../lesson/measures';
import { applyChanges, type SettingDiff } from '../../lesson/settingsChange';
import { useLabStore } from '../../state/labStore';
import type { LabSettings, SettingKey } from '../../state/settingsSchema';

export type ActionOutcome = {
  diff: SettingDiff[];
  measured: MeasuredChange[];
  /** Why the action did less than it says (engine failed, nothing to change). */
  note: string | null;
};

/** Evaluations score 4 held-out prompts per skill: enough to see a knob's effect, quick on a CPU. */
const EVAL_PER_SKILL = 4;

/** Resolves once the engine holds `model` and is idle; rejects if loading it failed. */
function engineReady(model: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (s: RunState): boolean => {
      if (s.modelId === model && s.status === 'ready') resolve();
      else if (s.modelId === model && s.status === 'error') reject(new Error(s.error ?? 'failed'));
      else return false;
      return true;
    };
    if (check(useRunStore.getState())) return;
    const unsubscribe = useRunStore.subscribe((s) => {
      if (check(s)) unsubscribe();
    });
  });
}

async function prepareEngine(settings: LabSettings, prefer: Backend): Promise<void> {
  await loadModel(settings.model, prefer);
  await engineReady(settings.model);
  const experts = useRunStore.getState().config?.experts ?? 1;
  // Knob changes are queued in the worker ahead of the next run, so the run sees them.
  applyKnobs(knobsFromSettings(settings, experts));
}

/** A lesson run that has not finished by then is reported instead of waited for forever. */
const RUN_LIMIT_MS = 120_000;

function withinLimit(work: Promise<void>, what: string): Promise<void> {
  let timer = 0;
  const limit = new Promise<never>((_, reject) => {
    timer = window.setTimeout(
      () => reject(new Error(`${what} did not finish within ${RUN_LIMIT_MS / 1000} s`)),
      RUN_LIMIT_MS,
    );
  });
  return Promise.race([work, limit]).finally(() => window.clearTimeout(timer));
}

async function rerun(kind: LessonAction['rerun'], settings: LabSettings, prefer: Backend) {
  if (kind === 'none') return;
  await prepareEngine(settings, prefer);
  // A short greedy run: reproducible, and the default prompt ends in a few tokens.
  if (kind === 'generate') {
    await withinLimit(generateFromSettings(settings, true), 'the run');
  } else {
    await withinLimit(evaluateSkills(EVAL_PER_SKILL), 'the evaluation');
  }
}

/** True when the last evaluation was scored with the knobs these settings ask for. */
function lastEvalMatches(settings: LabSettings): boolean {
  const { evals, config } = useRunStore.getState();
  const last = evals[evals.length - 1];
  return !!last && sameKnobs(last.knobs, knobsFromSettings(settings, config?.experts ?? 1));
}

export async function runLessonAction(
  action: LessonAction,
  prefer: Backend,
): Promise<ActionOutcome> {
  const lab = useLabStore.getState();
  const { next, diff } = applyChanges(lab.settings, action.changes);
  // The "before" run uses the model the action asks for, so only the knob under study differs.
  const baseline: LabSettings = { ...lab.settings, model: next.model };
  try {
    // Twice: the first run of a session pays for warm-up (JIT, pipelines, caches), which would
    // make the "before" look slower than it is.
    if (action.rerun === 'generate') {
      await rerun('generate', baseline, prefer);
      await rerun('generate', baseline, prefer);
    }
    if (action.rerun === 'evaluate') {
      await prepareEngine(baseline, prefer);
      if (!lastEvalMatches(baseline)) await rerun('evaluate', baseline, prefer);
    }
    const input = () => ({
      settings: useLabStore.getState().settings,
      run: useRunStore.getState(),
    });
    const before = measureAll(action.measures, { ...input(), settings: baseline });
    for (const d of diff) lab.setSetting(d.key, d.to as LabSettings[SettingKey]);
    await rerun(action.rerun, useLabStore.getState().settings, prefer);
    const after = measureAll(action.measures, input());
    const error = useRunStore.getState().error;
    return {
      diff,
      measured: compareMeasures(action.measures, before, after),
      note:
        error && action.rerun !== 'none'
          ? error
          : diff.length === 0
            ? action.rerun === 'none'
              ? 'These settings were already in place.'
              : 'These settings were already in place; the numbers are from a fresh run.'
            : null,
    };
  } catch (err) {
    // The settings still move (the views show them); the engine said why it could not run.
    for (const d of diff) lab.setSetting(d.key, d.to as LabSettings[SettingKey]);
    return {
      diff,
      measured: [],
      note: `The settings moved, but the engine could not run: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
