// The live view a chapter talks about: the lab's own panel component, embedded. On a phone the
// heavy views are folded away until the student opens them, so the lesson text stays readable.
// On a wide screen it is a column of its own beside the chapter, scrolling on its own: it can be
// reached with Tab (a region to scroll with the keys) and starts at its top for each new view.
import { useContext, useEffect, useRef, useState } from 'react';
import type { PanelId } from '../../state/panelIds';
import { PANEL_INFO } from '../shared/panelInfo';
import { PanelViewContext } from '../shared/panelView';
import { useNarrowScreen } from './useNarrowScreen';

function Embedded({ panel }: { panel: PanelId }) {
  const renderPanel = useContext(PanelViewContext);
  if (!renderPanel)
    return <p role="status">The {PANEL_INFO[panel].title} view opens inside the lab.</p>;
  return renderPanel(panel);
}

export function LiveView({ panel }: { panel: PanelId }) {
  const narrow = useNarrowScreen();
  const [open, setOpen] = useState(false);
  const pane = useRef<HTMLElement>(null);
  useEffect(() => {
    if (pane.current) pane.current.scrollTop = 0;
  }, [panel]);
  const entry = PANEL_INFO[panel];
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
      ref={pane}
      className="lesson-live"
      aria-labelledby="lesson-live-title"
      tabIndex={0}
      data-testid="lesson-live"
      data-panel={panel}
    >
      <h3 id="lesson-live-title">{heading}</h3>
      <Embedded panel={panel} />
    </section>
  );
}
