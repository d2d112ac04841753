// The live view a chapter talks about: the lab's own panel component, embedded. On a phone the
// heavy views are folded away until the student opens them, so the lesson text stays readable.
import { Suspense, useState } from 'react';
import { panelById } from '../registry';
import type { PanelId } from '../../state/panelIds';
import { ErrorBoundary } from '../../shell/ErrorBoundary';
import { useNarrowScreen } from './useNarrowScreen';

function Embedded({ panel }: { panel: PanelId }) {
  const entry = panelById(panel);
  return (
    <ErrorBoundary key={panel} where={`the ${entry.title} view`}>
      <Suspense fallback={<p role="status">Loading {entry.title}…</p>}>
        <entry.Component />
      </Suspense>
    </ErrorBoundary>
  );
}

export function LiveView({ panel }: { panel: PanelId }) {
  const narrow = useNarrowScreen();
  const [open, setOpen] = useState(false);
  const entry = panelById(panel);
  const heading = (
    <>
      Live: {entry.title} <span className="muted">— {entry.question}</span>
    </>
  );
  if (narrow) {
    // Closed, the view is not even mounted: it neither computes nor loads the model.
    return (
      <details
        className="lesson-live"
        data-testid="lesson-live"
        data-panel={panel}
        open={open}
        onToggle={(e) => setOpen(e.currentTarget.open)}
      >
        <summary>{heading}</summary>
        {open && <Embedded panel={panel} />}
      </details>
    );
  }
  return (
    <section
      className="lesson-live"
      aria-labelledby="lesson-live-title"
      data-testid="lesson-live"
      data-panel={panel}
    >
      <h3 id="lesson-live-title">{heading}</h3>
      <Embedded panel={panel} />
    </section>
  );
}
