// The lab's frame: header (title, GPU status, scenarios, presentation toggle), navigation to
// every panel, notices, and the active panel. In embed mode (`?embed=<view>`) only that view,
// its notices and a link to the full lab, for an iframe on a slide.
import { Suspense, useEffect, useRef } from 'react';
import {
  PANELS,
  PanelViewContext,
  ScenarioMenu,
  panelById,
  type PanelEntry,
} from '../panels/registry';
import type { PanelId } from '../state/panelIds';
import { useLabStore } from '../state/labStore';
import { encodeHash } from '../state/urlHash';
import { ErrorBoundary } from './ErrorBoundary';
import { GpuBadge, GpuFallbackBanner } from './GpuBanner';
import { NoticeList } from './NoticeList';
import { useEmbed } from './useEmbed';

/** A view, kept apart by its own error boundary; it may embed other views (the lesson does). */
function ActivePanel({ active }: { active: PanelEntry }) {
  return (
    <ErrorBoundary key={active.id} where={`the ${active.title} view`}>
      <Suspense fallback={<p role="status">Loading {active.title}…</p>}>
        <PanelViewContext.Provider value={renderPanelById}>
          <active.Component />
        </PanelViewContext.Provider>
      </Suspense>
    </ErrorBoundary>
  );
}

function renderPanelById(panel: PanelId) {
  return <ActivePanel active={panelById(panel)} />;
}

/** Printed pages say where they came from: the view's own link. */
function PrintSource({ link }: { link: string }) {
  return (
    <p className="print-only">
      MoE Lab — {window.location.origin}
      {window.location.pathname}
      {link}
    </p>
  );
}

function EmbeddedView({ active }: { active: PanelEntry }) {
  const settings = useLabStore((s) => s.settings);
  const link = encodeHash({ panel: active.id, settings });
  return (
    <div className="shell shell-embed">
      <main className="content" data-testid={`panel-${active.id}`} data-embed="true">
        <GpuFallbackBanner />
        <NoticeList />
        <h1 className="embed-title">{active.title}</h1>
        <ActivePanel active={active} />
        <p className="embed-footer">
          <a href={`${window.location.pathname}${link}`} target="_blank" rel="noopener">
            Open in MoE Lab
          </a>
        </p>
        <PrintSource link={link} />
      </main>
    </div>
  );
}

export function AppShell() {
  const panel = useLabStore((s) => s.panel);
  const setPanel = useLabStore((s) => s.setPanel);
  const settings = useLabStore((s) => s.settings);
  const presentation = settings.presentation;
  const setSetting = useLabStore((s) => s.setSetting);
  const embed = useEmbed();
  const active = panelById(embed ?? panel);

  useEffect(() => {
    document.documentElement.classList.toggle('presentation', presentation);
  }, [presentation]);
  useEffect(() => {
    document.documentElement.classList.toggle('embedded', embed !== null);
  }, [embed]);
  useEffect(() => {
    document.title = `${active.title} · MoE Lab`;
  }, [active.title]);
  // On a phone the navigation is one row that scrolls sideways: keep the current view in it.
  const navList = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const list = navList.current;
    const current = list?.querySelector('[aria-current="page"]');
    if (!list || !current || list.scrollWidth <= list.clientWidth) return;
    const a = current.getBoundingClientRect();
    const l = list.getBoundingClientRect();
    if (a.left < l.left || a.right > l.right)
      list.scrollLeft += a.left - l.left - (l.width - a.width) / 2;
  }, [panel, embed]);

  if (embed) return <EmbeddedView active={active} />;

  return (
    <div className="shell">
      <header className="topbar">
        <h1 className="brand">
          <a href="#/model">MoE Lab</a>
        </h1>
        <GpuBadge />
        <Suspense fallback={null}>
          <ScenarioMenu />
        </Suspense>
        <label className="toggle">
          <input
            type="checkbox"
            checked={presentation}
            onChange={(e) => setSetting('presentation', e.target.checked)}
            data-testid="presentation-toggle"
          />
          Presentation mode
        </label>
      </header>
      <nav className="sidenav" aria-label="Lab views">
        <ul ref={navList}>
          {PANELS.map((p) => (
            <li key={p.id}>
              <a
                href={encodeHash({ panel: p.id, settings })}
                aria-current={p.id === panel ? 'page' : undefined}
                data-testid={`nav-${p.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  setPanel(p.id);
                }}
              >
                {p.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content" data-testid={`panel-${active.id}`}>
        <GpuFallbackBanner />
        <NoticeList />
        <h2>{active.title}</h2>
        <p className="question">{active.question}</p>
        <ActivePanel active={active} />
        <PrintSource link={encodeHash({ panel: active.id, settings })} />
      </main>
    </div>
  );
}
