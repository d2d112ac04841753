// Embed mode, read once from the page's query string (`?embed=gating`): which view to show alone,
// or null for the whole lab. A refused value becomes a notice.
import { useEffect, useState } from 'react';
import { useLabStore } from '../state/labStore';
import type { PanelId } from '../state/panelIds';
import { decodeEmbed } from '../state/urlHash';

export function useEmbed(): PanelId | null {
  const [decoded] = useState(() => decodeEmbed(window.location.search));
  const hashPanel = useLabStore((s) => s.panel);
  useEffect(() => {
    if (decoded.notice) useLabStore.getState().addNotice(decoded.notice, 'warning');
  }, [decoded]);
  if (decoded.embed === null) return null;
  return decoded.embed === 'hash' ? hashPanel : decoded.embed;
}
