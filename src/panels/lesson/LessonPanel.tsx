// The guided lesson: eight chapters, each a few sentences, one "try this" and the live view it
// talks about. The chapter is a setting (`#/lesson?chapter=3`), so a lecturer links one from a
// slide; PageDown/PageUp (a clicker) and →/← step through it. On a wide screen the chapter
// (text, "try this" and its result) and the live view sit side by side, each scrolling on its
// own, so a projector shows all three at once (lesson.css).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useRunStore } from '../../engine/runStore';
import { chapterBaseline, enterChapter } from '../../lesson/chapterBaseline';
import { CHAPTERS, CHAPTER_COUNT, chapterAt } from '../../lesson/chapters';
import { engineBlock } from '../../lesson/engineBlock';
import { useLabStore } from '../../state/labStore';
import { encodeHash } from '../../state/urlHash';
import { useEngineSetup } from '../shared/useEngineSetup';
import { ChapterFacts } from './ChapterFacts';
import { LiveView } from './LiveView';
import { ChapterMeasured } from './MeasuredResults';
import { PresetList } from './PresetList';
import type { ActionOutcome } from './runLessonAction';
import { TryThis } from './TryThis';
import { useLessonKeys } from './useLessonKeys';
import './lesson.css';

export default function LessonPanel() {
  useEngineSetup();
  const number = useLabStore((s) => s.settings.chapter);
  const settings = useLabStore((s) => s.settings);
  const setSetting = useLabStore((s) => s.setSetting);
  const status = useRunStore((s) => s.status);
  const error = useRunStore((s) => s.error);
  const chapter = chapterAt(number);
  const [outcomes, setOutcomes] = useState<Record<string, ActionOutcome | undefined>>({});
  const article = useRef<HTMLElement>(null);
  const main = useRef<HTMLDivElement>(null);
  const moved = useRef(false);

  const go = useCallback(
    (n: number) => {
      moved.current = true;
      setSetting('chapter', Math.min(CHAPTER_COUNT, Math.max(1, n)));
    },
    [setSetting],
  );
  // Its baseline comes back on entry (by key, click or a link's hash alike), so a result shown
  // from an earlier visit would be stale: dropped in the same render that shows the chapter.
  const [entered, setEntered] = useState(number);
  if (entered !== number) {
    setEntered(number);
    const id = chapterAt(number).id;
    setOutcomes((all) => (all[id] ? { ...all, [id]: undefined } : all));
  }
  useLessonKeys(go);

  // Entering a chapter (by link, key or click) puts back its baseline settings, so what its
  // "try this" compares never depends on the chapter visited before.
  useEffect(() => {
    const lab = useLabStore.getState();
    for (const d of enterChapter(lab.settings, chapterAt(number)).diff) lab.setSetting(d.key, d.to);
  }, [number]);

  // After a move, focus the new chapter (a region named by its title, so a screen reader reads
  // it; not a tab stop, so it draws no focus ring) and bring it to the top as a slide would be.
  useEffect(() => {
    if (!moved.current || !article.current) return;
    article.current.focus({ preventScroll: true });
    // Side by side, the chapter's column scrolls on its own: back to its top. Stacked (a phone),
    // the page scrolls to the chapter.
    if (main.current && getComputedStyle(main.current).overflowY !== 'visible')
      main.current.scrollTop = 0;
    else article.current.scrollIntoView({ block: 'start' });
  }, [number]);

  // A result that lands below the visible part of the chapter's column is scrolled into view.
  const outcome = outcomes[chapter.id];
  useEffect(() => {
    if (!outcome || !main.current) return;
    const result = main.current.querySelector('.lesson-try');
    if (!result) return;
    const pane = main.current.getBoundingClientRect();
    const box = result.getBoundingClientRect();
    if (main.current.scrollHeight > main.current.clientHeight && box.bottom > pane.bottom)
      main.current.scrollTop += Math.min(box.bottom - pane.bottom, box.top - pane.top);
  }, [outcome]);

  const blocked = chapter.tryThis.rerun === 'none' ? null : engineBlock(status, error);
  const link = (n: number) =>
    encodeHash({ panel: 'lesson', settings: { ...settings, chapter: n } });

  return (
    <div className="lesson" data-testid="lesson" data-chapter={number} data-chapter-id={chapter.id}>
      <nav className="lesson-chapters" aria-label="Lesson chapters">
        <ol>
          {CHAPTERS.map((c, i) => (
            <li key={c.id}>
              <a
                href={link(i + 1)}
                aria-current={i + 1 === number ? 'step' : undefined}
                title={c.title}
                onClick={(e) => {
                  e.preventDefault();
                  go(i + 1);
                }}
                data-testid={`chapter-link-${i + 1}`}
              >
                <span className="lesson-chapter-number">{i + 1}</span>
                <span className="lesson-chapter-title">{c.title.split(':')[0]}</span>
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <div className="lesson-main" ref={main}>
        <article
          className="lesson-chapter"
          aria-labelledby="lesson-chapter-title"
          ref={article}
          tabIndex={-1}
          data-testid="lesson-chapter"
        >
          <h3 id="lesson-chapter-title" data-testid="chapter-title">
            <span className="lesson-count">
              Chapter {number} of {CHAPTER_COUNT}
            </span>{' '}
            {chapter.title}
          </h3>
          {chapter.text.map((t) => (
            <p key={t} className="lesson-text">
              {t}
            </p>
          ))}
          <ChapterFacts chapter={chapter} />
          <TryThis
            key={chapter.id}
            chapterId={chapter.id}
            action={chapter.tryThis}
            baseline={chapterBaseline(chapter)}
            outcome={outcome}
            onOutcome={(o) => setOutcomes((all) => ({ ...all, [chapter.id]: o }))}
            blocked={blocked}
          />
          <ChapterMeasured chapter={chapter} />
          <div className="lesson-pager">
            <button
              type="button"
              onClick={() => go(number - 1)}
              disabled={number <= 1}
              data-testid="chapter-prev"
            >
              ← Previous
            </button>
            <button
              type="button"
              onClick={() => go(number + 1)}
              disabled={number >= CHAPTER_COUNT}
              data-testid="chapter-next"
            >
              Next →
            </button>
            <span className="muted lesson-keys">
              Keys: PageDown / PageUp{chapter.panelUsesArrows ? '' : ' or → / ←'}
            </span>
          </div>
        </article>
        <PresetList />
      </div>
      <LiveView panel={chapter.panel} />
    </div>
  );
}
