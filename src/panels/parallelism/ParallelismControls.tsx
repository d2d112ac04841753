// The virtual GPUs' controls, each bound to a shared setting so a link reproduces the cut.
import type { ReactNode } from 'react';
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

const POWERS = ['1', '2', '4', '8'] as const;

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

/** A labelled select bound to one setting; options are [value, text]. */
function Choice<K extends SettingKey>(props: {
  setting: K;
  label: string;
  options: readonly (readonly [LabSettings[K], string])[];
  hint?: string;
}) {
  const value = useLabStore((st) => st.settings[props.setting]);
  const setSetting = useLabStore((st) => st.setSetting);
  const id = `par-${props.setting}`;
  return (
    <Field label={props.label} id={id} hint={props.hint}>
      <select
        id={id}
        value={String(value)}
        onChange={(e) => {
          const hit = props.options.find(([v]) => String(v) === e.target.value);
          if (hit) setSetting(props.setting, hit[0]);
        }}
      >
        {props.options.map(([v, text]) => (
          <option key={String(v)} value={String(v)}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A labelled range input bound to one numeric setting. */
function Slider(props: {
  setting: 'batch' | 'skew' | 'microBatches';
  label: string;
  min: number;
  max: number;
  step?: number;
  hint?: string;
}) {
  const value = useLabStore((st) => st.settings[props.setting]);
  const setSetting = useLabStore((st) => st.setSetting);
  const id = `par-${props.setting}`;
  return (
    <Field label={props.label} id={id} hint={props.hint}>
      <input
        id={id}
        type="range"
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        value={Math.min(props.max, value)}
        onChange={(e) => setSetting(props.setting, Number(e.target.value))}
        data-testid={id}
      />
    </Field>
  );
}

export function ParallelismControls({ hasRun, layers }: { hasRun: boolean; layers: number }) {
  const s = useLabStore((st) => st.settings);
  const random = s.parSource === 'random';
  return (
    <div className="par-controls" data-testid="par-controls">
      <Choice
        setting="parSource"
        label="Runs on"
        options={[
          ['model', `the trained model${hasRun ? ' (last run)' : ' (needs a run)'}`],
          ['random', 'a random layer stack'],
        ]}
      />
      {!random && layers > 1 && (
        <Choice
          setting="vizLayer"
          label="Layer"
          options={Array.from({ length: layers }, (_, l) => [l, `layer ${l}`] as const)}
        />
      )}
      <Choice setting="gpus" label="Virtual GPUs" options={POWERS.map((g) => [g, g] as const)} />
      <Choice
        setting="strategy"
        label="Strategy"
        options={STRATEGIES.map((v) => [v, STRATEGY_TEXT[v]] as const)}
      />
      {s.strategy === 'tp-ep' && (
        <Choice
          setting="parTp"
          label="GPUs per TP group"
          hint={`${Number(s.gpus) / Number(s.parTp)} expert groups`}
          options={POWERS.map((g) => [g, g] as const)}
        />
      )}
      {s.strategy !== 'tp' && s.strategy !== 'pp' && (
        <Choice
          setting="placement"
          label="Expert placement"
          options={PLACEMENTS.map((v) => [v, PLACEMENT_TEXT[v]] as const)}
        />
      )}
      {s.strategy === 'pp' && (
        <Slider setting="microBatches" label={`Micro-batches: ${s.microBatches}`} min={1} max={8} />
      )}
      {random ? (
        <>
          <Slider
            setting="batch"
            label={`Batch: ${s.batch} tokens`}
            min={SETTINGS_SCHEMA.batch.min}
            max={SETTINGS_SCHEMA.batch.max}
          />
          <Slider
            setting="skew"
            label={`Routing skew: ${s.skew.toFixed(2)}`}
            min={0}
            max={1}
            step={0.05}
            hint="0 = uniform, 1 = a few hot experts"
          />
        </>
      ) : (
        <p className="muted par-note">
          On the trained model the batch is the last run&apos;s tokens and the routing is the
          model&apos;s own; run the random stack to set the batch and dial routing skew.
        </p>
      )}
      <Choice
        setting="interconnect"
        label="Interconnect"
        options={INTERCONNECTS.map((v) => [v, LINK_TEXT[v]] as const)}
      />
    </div>
  );
}
