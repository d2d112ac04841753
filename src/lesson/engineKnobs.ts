// The engine's live knobs as the settings ask for them, for a model with `experts` experts — the
// same reading the Model view's knob form makes, so a lesson action and the sliders agree.
import type { Knobs } from '../engine/protocol';
import { parseExpertList } from '../panels/model/expertList';
import type { LabSettings } from '../state/settingsSchema';

export function knobsFromSettings(settings: LabSettings, experts: number): Knobs {
  const E = Math.max(1, experts);
  const disabledExperts = parseExpertList(settings.disabledExperts, E);
  return {
    topK: Math.max(1, Math.min(settings.topK, E - disabledExperts.length)),
    disabledExperts,
    ffnKeep: settings.ffnKeep,
  };
}

export function sameKnobs(a: Knobs, b: Knobs): boolean {
  return (
    a.topK === b.topK &&
    a.ffnKeep === b.ffnKeep &&
    a.disabledExperts.length === b.disabledExperts.length &&
    a.disabledExperts.every((e, i) => e === b.disabledExperts[i])
  );
}
