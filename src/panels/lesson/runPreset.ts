// A preset from anywhere in the lab: open its view, run it as a lesson action, and report what
// changed as a notice (the notice list is on every view).
import type { Preset } from '../../lesson/lessonAction';
import { describeDiff } from '../../lesson/settingsChange';
import { useLabStore } from '../../state/labStore';
import { runLessonAction, type ActionOutcome } from './runLessonAction';

export function outcomeSentence(preset: Preset, outcome: ActionOutcome): string {
  const parts = [
    ...outcome.diff.map(describeDiff),
    ...outcome.measured.map((m) => `${m.label}: ${m.before} → ${m.after}`),
  ];
  if (outcome.note) parts.push(outcome.note);
  return `“${preset.title}”: ${parts.join('; ')}.`;
}

export async function runPreset(preset: Preset): Promise<ActionOutcome> {
  useLabStore.getState().setPanel(preset.panel);
  const outcome = await runLessonAction(preset);
  useLabStore.getState().addNotice(outcomeSentence(preset, outcome), 'info');
  return outcome;
}
