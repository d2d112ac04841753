// Keeps the URL hash and the store in step: the hash is read once at start and on every
// `hashchange` (back/forward, a pasted link); store changes are written back with
// replaceState so sliders do not flood the history.
import { useEffect } from 'react';
import { useLabStore } from './labStore';
import { decodeHash, encodeHash } from './urlHash';

export function useHashSync(): void {
  useEffect(() => {
    const read = () => {
      const decoded = decodeHash(window.location.hash);
      useLabStore.getState().applyDecodedHash(decoded);
    };
    read();
    // Show the canonical link from the start (a repaired one if the link was bad).
    const { panel, settings } = useLabStore.getState();
    let lastWritten = encodeHash({ panel, settings });
    if (window.location.hash !== lastWritten) window.history.replaceState(null, '', lastWritten);
    const unsubscribe = useLabStore.subscribe((state, prev) => {
      if (state.settings === prev.settings && state.panel === prev.panel) return;
      const hash = encodeHash({ panel: state.panel, settings: state.settings });
      if (hash === lastWritten) return;
      lastWritten = hash;
      // A panel change is a navigation (Back returns to it); a slider move is not.
      if (state.panel !== prev.panel) window.history.pushState(null, '', hash);
      else window.history.replaceState(null, '', hash);
    });
    const onHashChange = () => {
      if (window.location.hash === lastWritten) return;
      lastWritten = window.location.hash;
      read();
    };
    window.addEventListener('hashchange', onHashChange);
    window.addEventListener('popstate', onHashChange);
    return () => {
      unsubscribe();
      window.removeEventListener('hashchange', onHashChange);
      window.removeEventListener('popstate', onHashChange);
    };
  }, []);
}
