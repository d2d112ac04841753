// "Best available", said: which backend runs and why, in a sentence computed from what was
// measured on this device (or plainly why nothing was), with a way to measure again. Shown only
// while the Backend setting is "best available"; the explicit choices need no reason.
import { useBestAvailable, keyFor } from '../../engine/bestAvailable';
import { PROBE_DECODE_STEPS, verdictSentence } from '../../engine/backendChoice';
import { remeasureBackend } from '../../engine/settingsBridge';
import { useEngineGpu } from '../../engine/useEngineGpu';
import { useLabStore } from '../../state/labStore';

export function BackendVerdict({ testId = 'backend-verdict' }: { testId?: string }) {
  const s = useLabStore((st) => st.settings);
  const gpu = useEngineGpu();
  const { verdict, measuring } = useBestAvailable();
  if (s.engineBackend !== 'auto' || !gpu.data) return null;
  const key = keyFor(gpu.data, s.model, s.densePath);
  const remeasure = (
    <button
      type="button"
      onClick={() => void remeasureBackend()}
      disabled={measuring !== null}
      data-testid={`${testId}-remeasure`}
    >
      Measure again
    </button>
  );
  if (measuring?.key === key)
    return (
      <p
        className="backend-verdict muted"
        role="status"
        data-testid={testId}
        data-state="measuring"
      >
        Best available: timing wasm and WebGPU (
        {s.densePath === 'wgsl' ? 'our WGSL kernels' : 'onnxruntime-web dense'}) on this device — a
        warm-up, then {PROBE_DECODE_STEPS} decode steps on each, at {measuring.batch}{' '}
        {measuring.batch === 1 ? 'request' : 'requests at once'}…
      </p>
    );
  // A verdict of other settings (another model or dense path) says nothing about these.
  if (!verdict || verdict.key !== key)
    return (
      <p className="backend-verdict muted" data-testid={testId} data-state="pending">
        Best available: decided for {s.model} when it loads.
      </p>
    );
  const batch = verdict.measurement?.batch;
  return (
    <p
      className="backend-verdict"
      data-testid={testId}
      data-state={verdict.how}
      data-choice={verdict.choice}
    >
      <span data-testid={`${testId}-sentence`}>{verdictSentence(verdict)}</span>
      {batch !== undefined && batch !== s.genBatch && (
        <>
          {' '}
          The settings now ask for {s.genBatch} {s.genBatch === 1 ? 'request' : 'requests at once'}:
          measure again to decide for that batch.
        </>
      )}{' '}
      {verdict.how !== 'no-webgpu' && remeasure}
    </p>
  );
}
