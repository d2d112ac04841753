// Chapter 5's way from the measured loads to a live run: two packs of the mixtral-style shape
// trained like two of the runs in the chart (no balancing loss; DeepSeek-V3 bias balancing), and
// the default pack (auxiliary loss). A button sets the model — the settings drive the load and the
// run — and the chapter's live view, the routing heatmap, measures the new run's loads in its
// balance table; the lecturer stays in the lesson.
import { useLabStore } from '../../state/labStore';
import type { LabSettings } from '../../state/settingsSchema';

type PackChoice = { id: LabSettings['model']; label: string };

const PACKS: readonly PackChoice[] = [
  { id: 'collapse', label: 'no balancing loss (collapse)' },
  { id: 'bias-balance', label: 'bias balancing (bias-balance)' },
  { id: 'mixtral-style', label: 'auxiliary loss (mixtral-style, the default)' },
];

export function BalancePacks() {
  const model = useLabStore((s) => s.settings.model);
  const setSetting = useLabStore((s) => s.setSetting);
  return (
    <div className="lesson-fact" data-testid="balance-packs">
      <p>
        The lab ships three packs of this shape trained on its ten skills, one per way of balancing.
        Run one and read its loads in the live routing heatmap&apos;s balance table:
      </p>
      <p className="balance-pack-buttons">
        {PACKS.map((p) => (
          <button
            key={p.id}
            type="button"
            aria-pressed={model === p.id}
            data-testid={`balance-pack-${p.id}`}
            onClick={() => setSetting('model', p.id)}
          >
            {p.label}
          </button>
        ))}
      </p>
    </div>
  );
}
