// The scenarios as a menu in the lab's header, usable from every view. It holds only the preset
// data; the runner (engine, simulator) is loaded when a scenario is picked, so the header stays
// light and the engine's modules load with the first view that needs them.
import { useState } from 'react';
import { PRESETS, presetById } from '../../lesson/presets';

export default function PresetMenu() {
  const [value, setValue] = useState('');
  return (
    <label className="preset-menu">
      <span className="visually-hidden">Scenario</span>
      <select
        value={value}
        data-testid="preset-menu"
        onChange={(e) => {
          const preset = presetById(e.target.value);
          setValue('');
          if (preset) void import('./runPreset').then((m) => m.runPreset(preset));
        }}
      >
        <option value="">Scenarios…</option>
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
    </label>
  );
}
