// The one-click scenarios in the lesson, as buttons with a sentence each. The header's menu
// (PresetMenu) runs the same preset data through the same runner.
import { PRESETS } from '../../lesson/presets';
import { runPreset } from './runPreset';

export function PresetList() {
  return (
    <section className="lesson-presets" aria-labelledby="lesson-presets-title">
      <h3 id="lesson-presets-title">One-click scenarios</h3>
      <ul>
        {PRESETS.map((p) => (
          <li key={p.id}>
            <button type="button" onClick={() => void runPreset(p)} data-testid={`preset-${p.id}`}>
              {p.title}
            </button>{' '}
            <span className="muted">{p.summary}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
