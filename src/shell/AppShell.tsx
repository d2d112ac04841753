// The lab's frame: header (title, GPU status, presentation toggle), navigation to every panel,
// notices, and the active panel.
import { Suspense, useEffect } from 'react';
import { PANELS, panelById } from '../panels/registry';
import { useLabStore } from '../state/labStore';
import { encodeHash } from '../state/urlHash';
import { ErrorBoundary } from './ErrorBoundary';
import { GpuBadge, GpuFallbackBanner } from './GpuBanner';
import { NoticeList } from './NoticeList';

export function AppShell() {
  const panel = useLabStore((s) => s.panel);
  const setPanel = useLabStore((s) => s.setPanel);
  const settings = useLabStore((s) => s.settings);
  const presentation = settings.presentation;
  const setSetting = useLabStore((s) => s.setSetting);
  const active = panelById(panel);

  useEffect(() => {
    document.documentElement.classList.toggle('presentation', presentation);
  }, [presentation]);
  useEffect(() => {
    document.title = `${active.title} · MoE Lab`;
  }, [active.title]);

  return (
    <div className="shell">
      <header className="topbar">
        <h1 className="brand">
          <a href="#/model">MoE Lab</a>
        </h1>
        <GpuBadge />
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
        <ul>
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
        <ErrorBoundary key={active.id} where={`the ${active.title} view`}>
          <Suspense fallback={<p role="status">Loading {active.title}…</p>}>
            <active.Component />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}
