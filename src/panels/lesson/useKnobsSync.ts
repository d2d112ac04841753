// Keeps the engine's live knobs (top-k, experts off, FFN kept) in step with the settings while
// the lesson is open, as the Model view's knob form does when it is on screen: a chapter that
// draws a fresh trace must draw it with the knobs the link asks for.
import { useEffect } from 'react';
import { applyKnobs } from '../../engine/engineActions';
import { useRunStore } from '../../engine/runStore';
import { knobsFromSettings } from '../../lesson/engineKnobs';
import { useLabStore } from '../../state/labStore';

export function useKnobsSync(): void {
  const status = useRunStore((s) => s.status);
  const experts = useRunStore((s) => s.config?.experts ?? null);
  const topK = useLabStore((s) => s.settings.topK);
  const disabled = useLabStore((s) => s.settings.disabledExperts);
  const ffnKeep = useLabStore((s) => s.settings.ffnKeep);
  const ready = status === 'ready' || status === 'running' || status === 'evaluating';
  useEffect(() => {
    if (!ready || experts === null) return;
    applyKnobs(knobsFromSettings(useLabStore.getState().settings, experts));
  }, [ready, experts, topK, disabled, ffnKeep]);
}
