// Model & generation: pick a trained pack, write a prompt, watch the model generate token by
// token on WebGPU (or the CPU path), with live serving metrics, knobs and per-skill accuracy.
import { useQuery } from '@tanstack/react-query';
import { cancelRun, simulateDeviceLoss } from '../../engine/engineActions';
import { evaluateNow, generateNow, retryLoad } from '../../engine/settingsBridge';
import { useRunStore } from '../../engine/runStore';
import { fetchModelIndex } from '../../model/loader';
import { formatBytes } from '../../loading/format';
import { MODEL_IDS } from '../../state/settingsSchema';
import { SettingControl } from '../shared/SettingControl';

type ModelId = (typeof MODEL_IDS)[number];
import { useLabStore } from '../../state/labStore';
import { BackendVerdict } from '../shared/BackendVerdict';
import { EvalTable } from './EvalTable';
import { GoldenCheck } from './GoldenCheck';
import { KnobsForm } from './KnobsForm';
import { PromptFormats } from './PromptFormats';
import { MetricsCards } from '../shared/MetricsCards';
import { useEngineSetup } from '../shared/useEngineSetup';
import { RunFreshness } from '../shared/RunFreshness';
import './model.css';

function ModelPicker() {
  const model = useLabStore((s) => s.settings.model);
  const index = useQuery({
    queryKey: ['model-index'],
    queryFn: () => fetchModelIndex(`${import.meta.env.BASE_URL}models/index.json`),
  });
  const entries = index.data?.models ?? MODEL_IDS.map((id) => ({ id, description: '' }));
  const current = index.data?.models.find((m) => m.id === model);
  return (
    <div className="model-picker">
      <SettingControl
        setting="model"
        testId="model-select"
        choices={entries.flatMap((m) =>
          MODEL_IDS.includes(m.id as ModelId) ? [[m.id as ModelId, m.id] as const] : [],
        )}
      />
      <SettingControl setting="engineBackend" testId="backend-select" />
      <SettingControl setting="densePath" testId="dense-path-select" />
      <BackendVerdict />
      {current && (
        <p className="muted" data-testid="model-description">
          {current.description} Download: {formatBytes(current.bytes)}, fetched only when chosen.
        </p>
      )}
      {index.isError && (
        <p className="muted" data-testid="model-index-error">
          The model list could not be read ({index.error.message}); the built-in names are shown.
        </p>
      )}
    </div>
  );
}

function EngineStatus() {
  const s = useRunStore();
  if (s.status === 'loading' || s.status === 'recovering') {
    return (
      <div role="status" className="engine-status" data-testid="engine-loading">
        Loading {s.modelId}…{' '}
        {s.progress ? `${s.progress.text} (${Math.round(s.progress.fraction * 100)}%)` : ''}
        <progress value={s.progress?.fraction ?? 0} max={1} />
        {s.progress && s.progress.files.length > 0 && (
          <ul className="file-progress">
            {s.progress.files.map((f) => (
              <li key={f.name}>
                <code>{f.name}</code> {f.status}
                {f.bytesTotal ? ` ${formatBytes(f.bytesDone)} of ${formatBytes(f.bytesTotal)}` : ''}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  if (!s.config)
    return s.error ? (
      <div role="alert" className="error-box">
        {s.error}{' '}
        {s.status === 'error' && (
          <button type="button" onClick={() => void retryLoad()} data-testid="retry-load">
            Load the model again
          </button>
        )}
      </div>
    ) : null;
  const c = s.config;
  // Which of onnxruntime-web's two builds runs it (src/engine/ortBuilds.ts), and why not JSPI.
  const ortBuildText = s.ortBuild
    ? ` (its ${s.ortBuild.build === 'jspi' ? 'JSPI' : 'asyncify'} build${s.ortBuild.reason ? `: ${s.ortBuild.reason}` : ''})`
    : '';
  return (
    <div
      className="engine-status"
      data-testid="engine-status"
      data-backend={s.backend ?? ''}
      data-dense-path={s.densePath ?? ''}
      data-status={s.status}
    >
      <strong>{c.id}</strong>: {c.layers} layers, hidden {c.hidden},{' '}
      {c.experts > 1 ? `${c.experts} experts, top-${c.topK}` : 'dense FFN'}
      {c.sharedFfn > 0 ? ' + 1 shared expert' : ''}, expert FFN {c.expertFfn}. Running on{' '}
      <strong data-testid="engine-backend">
        {s.backend === 'webgpu' ? `WebGPU (${s.adapter})` : 'the CPU (wasm)'}
      </strong>
      {s.backend === 'webgpu' &&
        (s.densePath === 'wgsl'
          ? ', every layer on our WGSL kernels (one submission per token)'
          : `, dense layers on onnxruntime-web${ortBuildText}${s.graphCapture ? ' (decode steps replay graph-captured sessions: one call per layer for the whole batch)' : ''}, MoE layers on our kernels`)}
      {s.backend === 'cpu' && ortBuildText && `, onnxruntime-web${ortBuildText}`}
      {s.loadMs !== null ? `, loaded in ${(s.loadMs / 1000).toFixed(1)} s` : ''}.
      {s.fallbackReason && (
        <span data-testid="engine-fallback">
          {' '}
          {s.backend === 'webgpu' ? 'Not on the path asked for' : 'Not on WebGPU'}:{' '}
          {s.fallbackReason}.
        </span>
      )}
    </div>
  );
}

export default function ModelPanel() {
  useEngineSetup();
  const settings = useLabStore((s) => s.settings);
  const setSetting = useLabStore((s) => s.setSetting);
  const run = useRunStore();
  const busy = run.status === 'running' || run.status === 'evaluating';
  const generate = () => void generateNow();
  const maxTokensLimit = run.config ? run.config.maxContext - 2 : 512;
  return (
    <div className="model-panel">
      <ModelPicker />
      <EngineStatus />
      {run.error && run.config && (
        <div role="alert" className="error-box">
          {run.error}
        </div>
      )}
      <div className="prompt-row">
        <label className="prompt-label">
          Prompt
          <textarea
            value={settings.prompt}
            rows={2}
            onChange={(e) => setSetting('prompt', e.target.value)}
            data-testid="prompt"
          />
        </label>
        <div className="prompt-buttons">
          {busy ? (
            <button type="button" onClick={() => void cancelRun()} data-testid="cancel">
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={generate}
              disabled={run.status !== 'ready'}
              data-testid="generate"
            >
              Generate
            </button>
          )}
        </div>
      </div>
      <PromptFormats prompt={settings.prompt} onPick={(p) => setSetting('prompt', p)} />
      <div className="gen-settings">
        <SettingControl setting="maxTokens" testId="max-tokens" max={maxTokensLimit} />
        <SettingControl setting="genBatch" testId="gen-batch" />
        <SettingControl setting="temperature" testId="temperature" />
        <SettingControl setting="topP" testId="top-p" />
      </div>
      <RunFreshness />
      <output
        className="generation"
        data-testid="generation"
        data-runs={run.runCount}
        aria-live="polite"
      >
        <span className="gen-prompt">{run.prompts[0] ?? ''}</span>
        <span className="gen-text" data-testid="generated-text">
          {run.outputs[0] ?? ''}
        </span>
        {run.status === 'running' && <span className="cursor">▍</span>}
      </output>
      {run.outputs.length > 1 && (
        <ol className="batch-outputs" start={2} data-testid="batch-outputs">
          {run.outputs.slice(1).map((text, i) => (
            <li key={i}>
              <code>{text}</code>
            </li>
          ))}
        </ol>
      )}
      {run.done && (
        <p className="muted" data-testid="run-reason">
          {run.done.reason === 'cancelled'
            ? `Stopped by you after ${run.outputTokens[0]?.length ?? 0} tokens.`
            : run.done.reason === 'stop'
              ? 'The model ended its answer.'
              : 'Reached the maximum length.'}
          {run.done.notices.map((n) => ` ${n}`)}
        </p>
      )}
      <MetricsCards />
      <KnobsForm />
      <section>
        <h3>Skills</h3>
        <p className="muted">
          Greedy completions of the pack's held-out evaluation prompts, exact match. Change a knob
          and score again to see what it costs.
        </p>
        <button
          type="button"
          onClick={() => void evaluateNow(4)}
          disabled={run.status !== 'ready'}
          data-testid="evaluate"
        >
          Score 4 prompts per skill
        </button>{' '}
        <button
          type="button"
          onClick={() => void evaluateNow(20)}
          disabled={run.status !== 'ready'}
        >
          Score 20 per skill
        </button>
        <EvalTable />
      </section>
      <GoldenCheck />
      {run.backend === 'webgpu' && (
        <section>
          <h3>Robustness</h3>
          <p className="muted">
            A driver reset or a GPU hang loses the WebGPU device. The lab notices, restarts the
            engine on a new device (or the CPU) and keeps what it has computed. Try it:
          </p>
          <button
            type="button"
            onClick={simulateDeviceLoss}
            disabled={run.status === 'loading'}
            data-testid="simulate-device-loss"
          >
            Lose the GPU device
          </button>
        </section>
      )}
    </div>
  );
}
