import { describe, expect, it } from 'vitest';
import { lessonKeyAction, stepChapter } from './chapterKeys';

const free = { inControl: false, defaultPrevented: false, modifiers: false };

describe('lessonKeyAction', () => {
  it('moves on clicker and arrow keys', () => {
    expect(lessonKeyAction('PageDown', free, false)).toBe(1);
    expect(lessonKeyAction('PageUp', free, false)).toBe(-1);
    expect(lessonKeyAction('ArrowRight', free, false)).toBe(1);
    expect(lessonKeyAction('ArrowLeft', free, false)).toBe(-1);
    expect(lessonKeyAction('a', free, false)).toBeNull();
    expect(lessonKeyAction(' ', free, false)).toBeNull();
    expect(lessonKeyAction('Home', free, false)).toBeNull();
  });

  it('leaves the arrows to a view that steps with them, but keeps the clicker keys', () => {
    expect(lessonKeyAction('ArrowRight', free, true)).toBeNull();
    expect(lessonKeyAction('ArrowLeft', free, true)).toBeNull();
    expect(lessonKeyAction('PageDown', free, true)).toBe(1);
  });

  it('never takes a key from a control, a handled key or a shortcut', () => {
    for (const key of ['PageDown', 'PageUp', 'ArrowRight', 'ArrowLeft']) {
      expect(lessonKeyAction(key, { ...free, inControl: true }, false)).toBeNull();
      expect(lessonKeyAction(key, { ...free, defaultPrevented: true }, false)).toBeNull();
      expect(lessonKeyAction(key, { ...free, modifiers: true }, false)).toBeNull();
    }
  });
});

describe('stepChapter', () => {
  it('stays within 1..count', () => {
    expect(stepChapter(1, -1, 8)).toBe(1);
    expect(stepChapter(1, 1, 8)).toBe(2);
    expect(stepChapter(8, 1, 8)).toBe(8);
    expect(stepChapter(5, -1, 8)).toBe(4);
  });
});
