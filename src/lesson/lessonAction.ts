// The shape shared by a chapter's "try this" and a preset: which settings move, what must run
// again for the change to show, and which numbers tell the student what it did.
import type { PanelId } from '../state/panelIds';
import type { MeasureId } from './measures';
import type { SettingChanges } from './settingsChange';

/**
 * What a change affects: `generate` re-runs the prompt (a short greedy run; routing, timing and
 * the answer change), `evaluate` re-scores the held-out prompts (per-skill accuracy), `none`
 * means the views recompute by themselves (the simulator, the permutation's padding).
 */
export type Rerun = 'none' | 'generate' | 'evaluate';

export type LessonAction = {
  /** The button's words: what the student asks for. */
  label: string;
  changes: SettingChanges;
  rerun: Rerun;
  /** Numbers compared before and after, in this order. */
  measures: readonly MeasureId[];
  /** One sentence: where to look in the live view once it has changed. */
  lookAt: string;
};

/** A one-click scenario usable from the lesson and from the header: an action plus a view. */
export type Preset = LessonAction & {
  id: string;
  title: string;
  /** The view the scenario opens. */
  panel: PanelId;
  summary: string;
};
