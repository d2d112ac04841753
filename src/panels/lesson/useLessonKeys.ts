// Next/previous chapter from the keyboard or a lecture clicker (PageDown/PageUp), without taking
// keys from text fields, sliders, selects or widgets that move with the arrows themselves (the
// charts' cell grids).
import { useEffect } from 'react';
import { CHAPTER_COUNT, chapterAt } from '../../lesson/chapters';
import { lessonKeyAction, stepChapter } from '../../lesson/chapterKeys';
import { useLabStore } from '../../state/labStore';

const CONTROLS =
  'input, select, textarea, [contenteditable=""], [contenteditable="true"], [role=toolbar], [role=grid], [role=slider], [role=tablist], [role=listbox], .viz-matrix';

function inControl(target: EventTarget | null): boolean {
  return target instanceof Element && !!target.closest(CONTROLS);
}

export function useLessonKeys(onMove: (chapter: number) => void): void {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const current = useLabStore.getState().settings.chapter;
      const step = lessonKeyAction(
        ev.key,
        {
          inControl: inControl(ev.target),
          defaultPrevented: ev.defaultPrevented,
          modifiers: ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey,
        },
        chapterAt(current).panelUsesArrows,
      );
      if (step === null) return;
      ev.preventDefault();
      const next = stepChapter(current, step, CHAPTER_COUNT);
      if (next !== current) onMove(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onMove]);
}
