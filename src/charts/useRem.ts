// The root font size in px, kept current when presentation mode changes the root's class. Charts
// lay out their SVG in rem multiples of it, so a projector's bigger type enlarges them too.
import { useEffect, useState } from 'react';

const read = () =>
  typeof document === 'undefined'
    ? 16
    : parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

export function useRem(): number {
  const [rem, setRem] = useState(read);
  useEffect(() => {
    const obs = new MutationObserver(() => setRem(read()));
    obs.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['class', 'style'],
    });
    return () => obs.disconnect();
  }, []);
  return rem;
}
