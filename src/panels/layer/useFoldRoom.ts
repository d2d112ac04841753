// The layer diagram's frame: its width (the drawing is laid out in real pixels) and the room from
// its top edge down to the fold of the window, so a short screen (a 1280×720 projector) gets the
// whole diagram above the fold. The room is measured on the page, not the screen — scrolled
// down, the answer stays the same — and is null inside a scrolling container of its own (the
// lesson's live column), where the window's fold is not the one that counts.
import { useCallback, useEffect, useState } from 'react';

/** What is kept clear under the diagram: its frame's border and a little air. */
const BELOW_PX = 10;

export function useFoldRoom<T extends HTMLElement>(): [
  (el: T | null) => void,
  { width: number; room: number | null },
] {
  const [el, setEl] = useState<T | null>(null);
  const [width, setWidth] = useState(0);
  const [room, setRoom] = useState<number | null>(null);
  useEffect(() => {
    if (!el) return;
    const own = el.closest('.lesson-live, .lesson') !== null;
    const read = () => {
      setWidth(Math.floor(el.clientWidth));
      if (own) return setRoom(null);
      const top = el.getBoundingClientRect().top + window.scrollY;
      setRoom(Math.floor(window.innerHeight - top - BELOW_PX));
    };
    read();
    window.addEventListener('resize', read);
    if (typeof ResizeObserver === 'undefined')
      return () => window.removeEventListener('resize', read);
    // The frame moves when anything above it changes height (a banner, a wrapped toolbar).
    const obs = new ResizeObserver(read);
    obs.observe(el);
    const main = el.closest('main');
    if (main) obs.observe(main);
    return () => {
      window.removeEventListener('resize', read);
      obs.disconnect();
    };
  }, [el]);
  const ref = useCallback((node: T | null) => setEl(node), []);
  return [ref, { width, room }];
}
