// How a panel shows another view inside itself (the lesson's live view) without importing the
// registry, which imports every panel and so would close a cycle: the shell, which owns the
// registry, provides the function that renders a view by id.
import { createContext, type ReactNode } from 'react';
import type { PanelId } from '../../state/panelIds';

export type PanelView = (panel: PanelId) => ReactNode;

/** Null outside the shell (a panel rendered alone); the live view then says so. */
export const PanelViewContext = createContext<PanelView | null>(null);
