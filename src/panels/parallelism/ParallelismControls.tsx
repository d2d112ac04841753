// The virtual GPUs' controls, each bound to a shared setting so a link reproduces the cut.
import type { ChangeEvent, ReactNode } from 'react';
import { useLabStore } from '../../state/labStore';
import {
  INTERCONNECTS,
  PLACEMENTS,
  SETTINGS_SCHEMA,
  STRATEGIES,
  type LabSettings,
  type SettingKey,
} from '../../state/settingsSchema';

export const STRATEGY_TEXT: Record<(typeof STRATEGIES)[number], string> = {
  tp: 'TP — every expert cut across all GPUs',
  ep: 'EP — whole experts per GPU, TP attention',
  'dp-ep': 'DP attention + EP (DeepSeek-V3)',
  'tp-ep': 'TP × EP hybrid',
  pp: 'PP — layers per GPU, micro-batches',
};

const PLACEMENT_TEXT: Record<(typeof PLACEMENTS)[number], string> = {
  contiguous: 'contiguous blocks',
  'round-robin': 'round-robin',
  eplb: 'load-balanced + hot copies (EPLB)',
};

const LINK_TEXT: Record<(typeof INTERCONNECTS)[number], string> = {
  nvlink: 'NVLink 4 (H100 node)',
  pcie: 'PCIe 5',
  infiniband: 'InfiniBand NDR',
};

function Field({
  label,
  id,
  children,
  hint,
}: {
  label: string;
  id: string;
  children: ReactNode;
  hint?: string;
}) {
  return (
    <div className="par-field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <span className="muted">{hint}</span>}
    </div>
  );
}

export function ParallelismControls({ hasRun, layers }: { hasRun: boolean; layers: number }) {
  const s = useLabStore((st) => st.settings);
  const setSetting = useLabStore((st) => st.setSetting);
  const set =
    <K extends SettingKey>(key: K, parse: (v: string) => LabSettings[K]) =>
    (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setSetting(key, parse(e.target.value));
  const random = s.parSource === 'random';
  const batch = SETTINGS_SCHEMA.batch;
  return (
    <div className="par-controls" data-testid="par-controls">
      <Field label="Runs on" id="par-source">
        <select
          id="par-source"
          value={s.parSource}
          onChange={set('parSource', (v) => v as LabSettings['parSource'])}
        >
          <option value="model">
            the trained model{hasRun ? ' (last run)' : ' (needs a run)'}
          </option>
          <option value="random">a random layer stack</option>
        </select>
      </Field>
      {!random && layers > 1 && (
        <Field label="Layer" id="par-layer">
          <select
            id="par-layer"
            value={Math.min(s.vizLayer, layers - 1)}
            onChange={set('vizLayer', Number)}
          >
            {Array.from({ length: layers }, (_, l) => (
              <option key={l} value={l}>
                layer {l}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label="Virtual GPUs" id="par-gpus">
        <select
          id="par-gpus"
          value={s.gpus}
          onChange={set('gpus', (v) => v as LabSettings['gpus'])}
        >
          {(['1', '2', '4', '8'] as const).map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Strategy" id="par-strategy">
        <select
          id="par-strategy"
          value={s.strategy}
          onChange={set('strategy', (v) => v as LabSettings['strategy'])}
        >
          {STRATEGIES.map((v) => (
            <option key={v} value={v}>
              {STRATEGY_TEXT[v]}
            </option>
          ))}
        </select>
      </Field>
      {s.strategy === 'tp-ep' && (
        <Field
          label="GPUs per TP group"
          id="par-tp"
          hint={`${Number(s.gpus) / Number(s.parTp)} expert groups`}
        >
          <select
            id="par-tp"
            value={s.parTp}
            onChange={set('parTp', (v) => v as LabSettings['parTp'])}
          >
            {(['1', '2', '4', '8'] as const).map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </Field>
      )}
      {s.strategy !== 'tp' && s.strategy !== 'pp' && (
        <Field label="Expert placement" id="par-placement">
          <select
            id="par-placement"
            value={s.placement}
            onChange={set('placement', (v) => v as LabSettings['placement'])}
          >
            {PLACEMENTS.map((v) => (
              <option key={v} value={v}>
                {PLACEMENT_TEXT[v]}
              </option>
            ))}
          </select>
        </Field>
      )}
      {s.strategy === 'pp' && (
        <Field label={`Micro-batches: ${s.microBatches}`} id="par-micro">
          <input
            id="par-micro"
            type="range"
            min={1}
            max={8}
            value={Math.min(8, s.microBatches)}
            onChange={set('microBatches', Number)}
          />
        </Field>
      )}
      {random && (
        <>
          <Field label={`Batch: ${s.batch} tokens`} id="par-batch">
            <input
              id="par-batch"
              type="range"
              min={batch.min}
              max={batch.max}
              value={s.batch}
              onChange={set('batch', Number)}
            />
          </Field>
          <Field
            label={`Routing skew: ${s.skew.toFixed(2)}`}
            id="par-skew"
            hint="0 = uniform, 1 = a few hot experts"
          >
            <input
              id="par-skew"
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={s.skew}
              onChange={set('skew', Number)}
              data-testid="par-skew"
            />
          </Field>
        </>
      )}
      {!random && (
        <p className="muted par-note">
          On the trained model the batch is the last run&apos;s tokens and the routing is the
          model&apos;s own; run the random stack to set the batch and dial routing skew.
        </p>
      )}
      <Field label="Interconnect" id="par-link">
        <select
          id="par-link"
          value={s.interconnect}
          onChange={set('interconnect', (v) => v as LabSettings['interconnect'])}
        >
          {INTERCONNECTS.map((v) => (
            <option key={v} value={v}>
              {LINK_TEXT[v]}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
