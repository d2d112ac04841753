// The content width of an element, kept current as the window or the layout changes, so a chart
// is laid out in real pixels and its text keeps the CSS font size at any width (a fixed viewBox
// would scale the text with the chart). A callback ref: the element may appear after the
// component (after the first run lands). Until the first measurement the width is 0.
import { useCallback, useEffect, useState } from 'react';

export function useElementWidth<T extends Element>(): [(el: T | null) => void, number] {
  const [el, setEl] = useState<T | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el) return;
    const read = () => setWidth(Math.floor(el.clientWidth));
    read();
    if (typeof ResizeObserver === 'undefined') return;
    const obs = new ResizeObserver(read);
    obs.observe(el);
    return () => obs.disconnect();
  }, [el]);
  const ref = useCallback((node: T | null) => setEl(node), []);
  return [ref, width];
}
