// The content width of an element, kept current as the window or the layout changes, so the
// diagram is laid out in real pixels (its text keeps one size at any width). A callback ref:
// the element may appear later than the component (after the first run lands).
import { useCallback, useEffect, useState } from 'react';

export function useElementWidth<T extends HTMLElement>(): [(el: T | null) => void, number] {
  const [el, setEl] = useState<T | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el) return;
    const read = () => setWidth(Math.floor(el.clientWidth));
    read();
    const obs = new ResizeObserver(read);
    obs.observe(el);
    return () => obs.disconnect();
  }, [el]);
  const ref = useCallback((node: T | null) => setEl(node), []);
  return [ref, width];
}
