// The scenarios as a menu in the lab's header, usable from every view. It holds only the preset
// data; the runner (engine, simulator) is loaded when a scenario is picked, so the header stays
// light and the engine's modules load with the first view that needs them. The simulator's
// number beside each scenario's source is computed when the menu is first approached (focus or
// pointer), for the same reason.
import { useState } from 'react';
import { PRESETS, presetById } from '../../lesson/presets';

export default function PresetMenu() {
  const [value, setValue] = useState('');
  const [versus, setVersus] = useState<Record<string, { short: string; full: string }> | null>(
    null,
  );
  const [asked, setAsked] = useState(false);
  const loadComparisons = () => {
    if (asked) return;
    setAsked(true);
    void import('../../lesson/scenarioSources').then((m) => {
      const out: Record<string, { short: string; full: string }> = {};
      for (const c of m.compareAllScenarios()) out[c.source.presetId] = m.scenarioRatioLabel(c);
      setVersus(out);
    });
  };
  return (
    <label className="preset-menu">
      <span className="visually-hidden">Scenario</span>
      <select
        value={value}
        data-testid="preset-menu"
        onFocus={loadComparisons}
        onPointerEnter={loadComparisons}
        onChange={(e) => {
          const preset = presetById(e.target.value);
          setValue('');
          if (preset) void import('./runPreset').then((m) => m.runPreset(preset));
        }}
      >
        <option value="">Scenarios…</option>
        {PRESETS.map((p) => (
          <option
            key={p.id}
            value={p.id}
            title={versus?.[p.id]?.full}
            data-testid={`preset-option-${p.id}`}
          >
            {versus?.[p.id] ? `${p.title} (${versus[p.id]!.short})` : p.title}
          </option>
        ))}
      </select>
    </label>
  );
}
