// Each chapter starts from its own baseline: entering it puts back every setting the lesson (or
// a one-click scenario) ever moves — to the default, or to the chapter's own choice — so its
// "try this" compares the same before and after whichever chapter was visited first.
import { KNOB_SETTING_KEYS } from '../engine/knobs';
import { defaultSettings, type LabSettings, type SettingKey } from '../state/settingsSchema';
import type { Chapter } from './chapters';
import { CHAPTERS } from './chapters';
import { PRESETS } from './presets';
import { applyChanges, type SettingChanges, type SettingDiff } from './settingsChange';

/** What the engine reads at run time: every chapter's live view may draw a run of them. */
const ENGINE_KEYS: readonly SettingKey[] = ['model', 'genBatch', ...KNOB_SETTING_KEYS];

/** Every setting a chapter baseline puts back: the engine's, and whatever a lesson action moves. */
export const LESSON_KEYS: readonly SettingKey[] = [
  ...new Set<SettingKey>([
    ...ENGINE_KEYS,
    ...[...CHAPTERS.map((c) => c.tryThis), ...PRESETS].flatMap(
      (a) => Object.keys(a.changes) as SettingKey[],
    ),
    ...CHAPTERS.flatMap((c) => Object.keys(c.baseline) as SettingKey[]),
  ]),
];

/** The chapter's starting values of every lesson key. */
export function chapterBaseline(chapter: Chapter): SettingChanges {
  const defaults = defaultSettings();
  const out: Record<string, unknown> = {};
  for (const key of LESSON_KEYS) out[key] = defaults[key];
  return { ...(out as SettingChanges), ...chapter.baseline };
}

/** The settings on entering `chapter` from `settings`, and what that put back. */
export function enterChapter(
  settings: LabSettings,
  chapter: Chapter,
): { next: LabSettings; diff: SettingDiff[] } {
  return applyChanges(settings, chapterBaseline(chapter));
}
