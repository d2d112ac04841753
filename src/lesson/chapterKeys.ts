// Which key moves the lesson, and where. Lecture clickers send PageDown/PageUp; a keyboard has
// the arrows. Keys typed into a control belong to that control, and a view that steps with the
// arrows itself (the permutation) keeps them.

export type KeyTarget = {
  /** Focus is in a text field, select, slider or a widget that handles arrows itself. */
  inControl: boolean;
  /** Another handler already used the key (e.g. a token strip moving its selection). */
  defaultPrevented: boolean;
  modifiers: boolean;
};

/**
 * +1 next, -1 previous, or null when the key is not the lesson's. (Home/End and Space stay the
 * page's scrolling keys.)
 */
export function lessonKeyAction(
  key: string,
  target: KeyTarget,
  panelUsesArrows: boolean,
): 1 | -1 | null {
  if (target.inControl || target.defaultPrevented || target.modifiers) return null;
  switch (key) {
    case 'PageDown':
      return 1;
    case 'PageUp':
      return -1;
    case 'ArrowRight':
      return panelUsesArrows ? null : 1;
    case 'ArrowLeft':
      return panelUsesArrows ? null : -1;
    default:
      return null;
  }
}

/** The chapter a step leads to, kept inside 1..count. */
export function stepChapter(current: number, step: 1 | -1, count: number): number {
  return Math.min(count, Math.max(1, current + step));
}
