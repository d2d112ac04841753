// The simulator's controls, each bound to a shared setting (so a link reproduces the view).
import type { ChangeEvent, ReactNode } from 'react';
import { ENGINES } from '../../sim/engines';
import { HARDWARE } from '../../sim/hardware';
import { MODELS, modelById } from '../../sim/models';
import { RELEASE_TEXT, releaseExplanation } from '../../sim/release';
import { WORKLOADS } from '../../sim/workloads';
import { useLabStore } from '../../state/labStore';
import {
  HARDWARE_IDS,
  INTERCONNECTS,
  PRECISIONS,
  SETTINGS_SCHEMA,
  SIM_GOALS,
  SIM_MODEL_IDS,
  STRATEGIES,
  type LabSettings,
  type SettingKey,
} from '../../state/settingsSchema';

const LENGTH_TEXT: Record<LabSettings['simLengths'], string> = {
  fixed: 'fixed',
  uniform: 'uniform ±50%',
  sharegpt: 'ShareGPT-like (long tail)',
};

const STRATEGY_LABEL: Record<(typeof STRATEGIES)[number], string> = {
  tp: 'TP — tensor parallel',
  ep: 'EP — experts spread, TP attention',
  'dp-ep': 'DP attention + EP',
  'tp-ep': 'TP × EP hybrid',
  pp: 'PP — pipeline',
};

function Field({
  label,
  htmlFor,
  children,
  hint,
}: {
  label: string;
  htmlFor: string;
  children: ReactNode;
  hint?: string;
}) {
  return (
    <div className="sim-field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && <span className="sim-hint">{hint}</span>}
    </div>
  );
}

export function SimulatorControls() {
  const s = useLabStore((st) => st.settings);
  const setSetting = useLabStore((st) => st.setSetting);
  const set =
    <K extends SettingKey>(key: K, parse: (v: string) => LabSettings[K]) =>
    (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setSetting(key, parse(e.target.value));
  const num = (v: string) => Number(v);
  const S = SETTINGS_SCHEMA;
  const model = modelById(s.simModel);
  const preset = WORKLOADS.find(
    (w) =>
      w.inputLen === s.inputLen &&
      w.outputLen === s.outputLen &&
      w.concurrency === s.concurrency &&
      w.prompts === s.prompts,
  );
  const applyPreset = (e: ChangeEvent<HTMLSelectElement>) => {
    const w = WORKLOADS.find((x) => x.id === e.target.value);
    if (!w) return;
    setSetting('inputLen', w.inputLen);
    setSetting('outputLen', w.outputLen);
    setSetting('concurrency', Math.min(w.concurrency, SETTINGS_SCHEMA.concurrency.max));
    setSetting('prompts', w.prompts);
  };
  const checkbox = (key: 'fusedMoe' | 'overlapComm') => (e: ChangeEvent<HTMLInputElement>) =>
    setSetting(key, e.target.checked);

  return (
    <form
      className="sim-controls"
      aria-label="Simulation settings"
      onSubmit={(e) => e.preventDefault()}
    >
      <fieldset>
        <legend>Deployment</legend>
        <Field label="Model" htmlFor="sim-model">
          <select
            id="sim-model"
            data-testid="sim-model"
            value={s.simModel}
            onChange={set('simModel', (v) => v as LabSettings['simModel'])}
          >
            {SIM_MODEL_IDS.map((id) => (
              <option key={id} value={id}>
                {MODELS.find((m) => m.id === id)?.name ?? id}
              </option>
            ))}
          </select>
        </Field>
        <Field label="GPU" htmlFor="sim-hardware">
          <select
            id="sim-hardware"
            data-testid="sim-hardware"
            value={s.hardware}
            onChange={set('hardware', (v) => v as LabSettings['hardware'])}
          >
            {HARDWARE_IDS.map((id) => (
              <option key={id} value={id}>
                {HARDWARE.find((h) => h.id === id)?.name ?? id}
              </option>
            ))}
          </select>
        </Field>
        <div className="sim-row">
          <Field label={`GPUs: ${s.simGpus}`} htmlFor="sim-gpus">
            <input
              id="sim-gpus"
              data-testid="sim-gpus"
              type="range"
              min={0}
              max={Math.log2(S.simGpus.max)}
              step={1}
              value={Math.round(Math.log2(s.simGpus))}
              onChange={set('simGpus', (v) => 2 ** Number(v))}
            />
          </Field>
          <Field label="or exactly" htmlFor="sim-gpus-exact">
            <input
              id="sim-gpus-exact"
              data-testid="sim-gpus-exact"
              type="number"
              min={S.simGpus.min}
              max={S.simGpus.max}
              value={s.simGpus}
              onChange={set('simGpus', num)}
            />
          </Field>
        </div>
        <Field label="Strategy" htmlFor="sim-strategy">
          <select
            id="sim-strategy"
            data-testid="sim-strategy"
            value={s.strategy}
            onChange={set('strategy', (v) => v as LabSettings['strategy'])}
          >
            {STRATEGIES.map((id) => (
              <option key={id} value={id}>
                {STRATEGY_LABEL[id]}
              </option>
            ))}
          </select>
        </Field>
        {s.strategy === 'tp-ep' && (
          <div className="sim-row">
            <Field label="TP degree" htmlFor="sim-tp">
              <input
                id="sim-tp"
                type="number"
                min={S.simTp.min}
                max={S.simTp.max}
                value={s.simTp}
                onChange={set('simTp', num)}
              />
            </Field>
            <Field label="EP degree" htmlFor="sim-ep">
              <input
                id="sim-ep"
                type="number"
                min={S.simEp.min}
                max={S.simEp.max}
                value={s.simEp}
                onChange={set('simEp', num)}
              />
            </Field>
          </div>
        )}
        <Field label="Precision" htmlFor="sim-precision">
          <select
            id="sim-precision"
            data-testid="sim-precision"
            value={s.precision}
            onChange={set('precision', (v) => v as LabSettings['precision'])}
          >
            {PRECISIONS.map((p) => (
              <option key={p} value={p}>
                {p === 'int4' ? 'INT4 weights' : p.toUpperCase()}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Link inside a node" htmlFor="sim-interconnect">
          <select
            id="sim-interconnect"
            value={s.interconnect}
            onChange={set('interconnect', (v) => v as LabSettings['interconnect'])}
          >
            {INTERCONNECTS.map((i) => (
              <option key={i} value={i}>
                {i === 'nvlink'
                  ? 'NVLink / Infinity Fabric'
                  : i === 'pcie'
                    ? 'PCIe'
                    : 'InfiniBand only'}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>

      <fieldset>
        <legend>Workload</legend>
        <Field
          label="Serving engine"
          htmlFor="sim-engine"
          hint="efficiencies, fixed costs and limits fitted to published runs"
        >
          <select
            id="sim-engine"
            data-testid="sim-engine"
            value={s.simEngine}
            onChange={set('simEngine', (v) => v as LabSettings['simEngine'])}
          >
            {S.simEngine.values.map((id) => (
              <option key={id} value={id}>
                {ENGINES[id].name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Engine build"
          htmlFor="sim-release"
          hint={releaseExplanation(ENGINES[s.simEngine], s.simRelease)}
        >
          <select
            id="sim-release"
            data-testid="sim-release"
            value={s.simRelease}
            onChange={set('simRelease', (v) => v as LabSettings['simRelease'])}
          >
            {S.simRelease.values.map((id) => (
              <option key={id} value={id}>
                {RELEASE_TEXT[id]}
              </option>
            ))}
          </select>
        </Field>
        <div className="sim-row">
          <Field label="Request lengths" htmlFor="sim-lengths">
            <select
              id="sim-lengths"
              data-testid="sim-lengths"
              value={s.simLengths}
              onChange={set('simLengths', (v) => v as LabSettings['simLengths'])}
            >
              {S.simLengths.values.map((id) => (
                <option key={id} value={id}>
                  {LENGTH_TEXT[id]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Requests/s (0 = all at once)" htmlFor="sim-rate">
            <input
              id="sim-rate"
              data-testid="sim-rate"
              type="number"
              min={S.simRate.min}
              max={S.simRate.max}
              step="any"
              value={s.simRate}
              onChange={set('simRate', num)}
            />
          </Field>
        </div>
        <Field label="Preset" htmlFor="sim-workload">
          <select
            id="sim-workload"
            data-testid="sim-workload"
            value={preset?.id ?? 'custom'}
            onChange={applyPreset}
          >
            <option value="custom">custom</option>
            {WORKLOADS.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </Field>
        <div className="sim-row">
          <Field label="Input tokens" htmlFor="sim-input">
            <input
              id="sim-input"
              data-testid="sim-input"
              type="number"
              min={S.inputLen.min}
              max={S.inputLen.max}
              value={s.inputLen}
              onChange={set('inputLen', num)}
            />
          </Field>
          <Field label="Output tokens" htmlFor="sim-output">
            <input
              id="sim-output"
              data-testid="sim-output"
              type="number"
              min={S.outputLen.min}
              max={S.outputLen.max}
              value={s.outputLen}
              onChange={set('outputLen', num)}
            />
          </Field>
        </div>
        <Field label={`Concurrency: ${s.concurrency}`} htmlFor="sim-concurrency">
          <input
            id="sim-concurrency"
            data-testid="sim-concurrency"
            type="range"
            min={Math.log2(S.concurrency.min)}
            max={Math.log2(S.concurrency.max)}
            step={1}
            value={Math.round(Math.log2(s.concurrency))}
            onChange={set('concurrency', (v) => 2 ** Number(v))}
          />
        </Field>
        <Field label="Prompts" htmlFor="sim-prompts">
          <input
            id="sim-prompts"
            type="number"
            min={S.prompts.min}
            max={S.prompts.max}
            value={s.prompts}
            onChange={set('prompts', num)}
          />
        </Field>
      </fieldset>

      <fieldset>
        <legend>MoE &amp; kernels</legend>
        <Field
          label={`Routing skew: ${s.skew.toFixed(2)}`}
          htmlFor="sim-skew"
          hint="0 uniform … 1 Zipf-skewed expert popularity"
        >
          <input
            id="sim-skew"
            data-testid="sim-skew"
            type="range"
            min={S.skew.min}
            max={S.skew.max}
            step={0.05}
            value={s.skew}
            onChange={set('skew', num)}
          />
        </Field>
        <Field label="Expert placement" htmlFor="sim-placement">
          <select
            id="sim-placement"
            value={s.placement === 'eplb' ? 'eplb' : 'contiguous'}
            onChange={set('placement', (v) => v as LabSettings['placement'])}
          >
            <option value="contiguous">contiguous blocks</option>
            <option value="eplb">balanced (EPLB)</option>
          </select>
        </Field>
        <label className="sim-check">
          <input type="checkbox" checked={s.fusedMoe} onChange={checkbox('fusedMoe')} /> Fused MoE
          kernel
        </label>
        <label className="sim-check">
          <input type="checkbox" checked={s.overlapComm} onChange={checkbox('overlapComm')} />{' '}
          Two-batch overlap
        </label>
        <Field
          label={`Inter-expert pruning: ${Math.round(s.pruneInter * 100)}%`}
          htmlFor="sim-prune-inter"
          hint="remove whole experts"
        >
          <input
            id="sim-prune-inter"
            type="range"
            min={S.pruneInter.min}
            max={S.pruneInter.max}
            step={0.125}
            value={s.pruneInter}
            onChange={set('pruneInter', num)}
          />
        </Field>
        <Field
          label={`Intra-expert pruning: ${Math.round(s.pruneIntra * 100)}%`}
          htmlFor="sim-prune-intra"
          hint="narrow every expert"
        >
          <input
            id="sim-prune-intra"
            type="range"
            min={S.pruneIntra.min}
            max={S.pruneIntra.max}
            step={0.125}
            value={s.pruneIntra}
            onChange={set('pruneIntra', num)}
          />
        </Field>
      </fieldset>

      <fieldset>
        <legend>Decoding</legend>
        <Field
          label={`Speculative draft: ${s.specDraftB > 0 ? `${s.specDraftB} B params` : 'off'}`}
          htmlFor="sim-spec-draft"
        >
          <input
            id="sim-spec-draft"
            data-testid="sim-spec-draft"
            type="range"
            min={S.specDraftB.min}
            max={S.specDraftB.max}
            step={0.5}
            value={s.specDraftB}
            onChange={set('specDraftB', num)}
          />
        </Field>
        {s.specDraftB > 0 && (
          <div className="sim-row">
            <Field label={`Draft tokens: ${s.specTokens}`} htmlFor="sim-spec-tokens">
              <input
                id="sim-spec-tokens"
                type="range"
                min={S.specTokens.min}
                max={S.specTokens.max}
                step={1}
                value={s.specTokens}
                onChange={set('specTokens', num)}
              />
            </Field>
            <Field
              label={`Acceptance: ${Math.round(s.specAccept * 100)}%`}
              htmlFor="sim-spec-accept"
            >
              <input
                id="sim-spec-accept"
                type="range"
                min={S.specAccept.min}
                max={S.specAccept.max}
                step={0.05}
                value={s.specAccept}
                onChange={set('specAccept', num)}
              />
            </Field>
          </div>
        )}
        {model?.diffusion && (
          <Field label={`Denoising steps: ${s.diffusionSteps}`} htmlFor="sim-diffusion-steps">
            <input
              id="sim-diffusion-steps"
              type="range"
              min={S.diffusionSteps.min}
              max={S.diffusionSteps.max}
              step={1}
              value={s.diffusionSteps}
              onChange={set('diffusionSteps', num)}
            />
          </Field>
        )}
        <Field label="Advisor goal" htmlFor="sim-goal">
          <select
            id="sim-goal"
            data-testid="sim-goal"
            value={s.goal}
            onChange={set('goal', (v) => v as LabSettings['goal'])}
          >
            {SIM_GOALS.map((g) => (
              <option key={g} value={g}>
                {g === 'cost' ? 'per-GPU cost' : g}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
    </form>
  );
}
