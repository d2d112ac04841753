// One control for any setting, drawn from the settings schema: its label, range, step, unit,
// options and help all come from src/state/settingsSchema.ts, so no panel writes a limit by hand.
// Numbers get a slider (and a number box when the range is too fine for a slider alone), enums a
// select (or a slider through ordered values), booleans a checkbox.
import type { ReactNode } from 'react';
import { useLabStore } from '../../state/labStore';
import { SETTINGS_SCHEMA, type LabSettings } from '../../state/settingsSchema';
import {
  controlKind,
  enumOptions,
  formatControlValue,
  clampTo,
  numberRange,
  settingLabel,
  type ControlSettingKey,
  type RuntimeBounds,
} from './settingControlSpec';

type SettingValue = number | string | boolean;

export type SettingControlProps<K extends ControlSettingKey> = RuntimeBounds & {
  setting: K;
  /**
   * A select of these [value, text] pairs instead of the schema's: a trace's own steps for a
   * number setting, or run-time texts for an enum's options (values outside the schema are dropped).
   */
  choices?: readonly (readonly [LabSettings[K], string])[];
  /** Element id `${idPrefix}-${setting}` (also the test id unless `testId` is given). */
  idPrefix?: string;
  testId?: string;
  /** Run-time words after the schema's help ("2 expert groups"). */
  note?: ReactNode;
  disabled?: boolean;
};

type InputProps = Omit<SettingControlProps<ControlSettingKey>, 'choices'> & {
  choices?: readonly (readonly [SettingValue, string])[];
  value: SettingValue;
  onChange: (value: SettingValue) => void;
};

/** The control itself, given its value: what SettingControl draws, testable without a store. */
export function SettingInput(props: InputProps) {
  const { setting, value, onChange, disabled } = props;
  const field = SETTINGS_SCHEMA[setting];
  const id = `${props.idPrefix ?? 'setting'}-${setting}`;
  const testId = props.testId ?? id;
  const label = settingLabel(setting);
  const helpId = `${id}-help`;
  const describedBy = field.help || props.note ? helpId : undefined;
  const helpText = (field.help || props.note) && (
    <span id={helpId} className="muted setting-help">
      {field.help}
      {field.help && props.note ? ' ' : null}
      {props.note}
    </span>
  );

  if (field.kind === 'bool') {
    return (
      <div className="setting-control">
        <label>
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            disabled={disabled}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.checked)}
            data-testid={testId}
          />{' '}
          {label}
        </label>
        {helpText}
      </div>
    );
  }

  if (props.choices || (field.kind === 'enum' && !field.ordinal)) {
    const allowed = field.kind === 'enum' ? (field.values as readonly SettingValue[]) : null;
    const options: (readonly [SettingValue, string])[] =
      props.choices?.filter(([v]) => !allowed || allowed.includes(v)) ??
      (field.kind === 'enum' ? enumOptions(field) : []);
    // A number picked from choices shows the value clamped as the view uses it (a link's step 9
    // on a run of 3 steps shows, and is, the last step).
    const selected =
      field.kind === 'enum' ? value : clampTo(numberRange(field, props), Number(value));
    return (
      <div className="setting-control">
        <label htmlFor={id}>{label}</label>{' '}
        <select
          id={id}
          value={String(selected)}
          disabled={disabled}
          aria-describedby={describedBy}
          onChange={(e) => {
            const hit = options.find(([v]) => String(v) === e.target.value);
            if (hit) onChange(hit[0]);
          }}
          data-testid={testId}
        >
          {options.map(([v, text]) => (
            <option key={String(v)} value={String(v)}>
              {text}
            </option>
          ))}
        </select>
        {helpText}
      </div>
    );
  }

  if (field.kind === 'enum') {
    // Ordered values (block sizes): a slider through their positions.
    const at = Math.max(0, (field.values as readonly string[]).indexOf(String(value)));
    return (
      <div className="setting-control">
        <label htmlFor={id}>
          {label} = <strong>{String(value)}</strong>
        </label>
        <input
          id={id}
          type="range"
          min={0}
          max={field.values.length - 1}
          step={1}
          value={at}
          disabled={disabled}
          aria-valuetext={`${label} = ${String(value)}`}
          aria-describedby={describedBy}
          onChange={(e) => onChange(field.values[Number(e.target.value)] ?? field.default)}
          data-testid={testId}
        />
        {helpText}
      </div>
    );
  }

  const range = numberRange(field, props);
  const shown = clampTo(range, Number(value));
  const text = formatControlValue(field, shown);
  const change = (raw: string) => {
    const n = Number(raw);
    if (raw.trim() !== '' && Number.isFinite(n)) onChange(clampTo(range, n));
  };
  return (
    <div className="setting-control">
      <label htmlFor={id}>
        {label}: <strong data-testid={`${testId}-value`}>{text}</strong>
      </label>
      <input
        id={id}
        type="range"
        min={range.min}
        max={range.max}
        step={range.step}
        value={shown}
        disabled={disabled}
        aria-valuetext={text}
        aria-describedby={describedBy}
        onChange={(e) => change(e.target.value)}
        data-testid={testId}
      />
      {controlKind(setting, props) === 'slider+number' && (
        <input
          type="number"
          min={range.min}
          max={range.max}
          step={range.step}
          value={shown}
          disabled={disabled}
          aria-label={`${label} (exact)`}
          onChange={(e) => change(e.target.value)}
          data-testid={`${testId}-number`}
        />
      )}
      {helpText}
    </div>
  );
}

/** A setting's control, bound to the lab's settings store. */
export function SettingControl<K extends ControlSettingKey>(props: SettingControlProps<K>) {
  const value = useLabStore((s) => s.settings[props.setting]);
  const setSetting = useLabStore((s) => s.setSetting);
  return (
    <SettingInput
      {...props}
      value={value}
      onChange={(v) => setSetting(props.setting, v as LabSettings[K])}
    />
  );
}
