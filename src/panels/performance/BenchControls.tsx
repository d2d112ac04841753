// Which benchmark, how big, Run and Cancel. The choice is part of the lab's settings, so a
// lecturer's link opens the panel on the same benchmark for the whole class.
import { useLabStore } from '../../state/labStore';
import type { LabSettings } from '../../state/settingsSchema';

export const BENCH_CHOICES: Record<
  LabSettings['benchKind'],
  { label: string; what: string; needsGpu: boolean }
> = {
  align: {
    label: 'Align & sort',
    what: 'Grouping tokens by expert (count, prefix sum, padding, scatter): our single- and multi-workgroup kernels against a naive serial scan.',
    needsGpu: true,
  },
  layer: {
    label: 'MoE layer',
    what: 'One MoE layer at the shapes of Mixtral, Qwen-MoE, OLMoE and DeepSeek: our fused kernels vs per-expert dispatch vs onnxruntime-web, against this GPU’s own copy bandwidth and matmul rate.',
    needsGpu: true,
  },
  model: {
    label: 'Whole model',
    what: 'The default model generating one greedy continuation: our engine vs the onnxruntime-only reference graph, on WebGPU and on the CPU (wasm) — TTFT, inter-token latency, tokens/s.',
    needsGpu: false,
  },
};

const SIZE_HINT: Record<LabSettings['benchSize'], string> = {
  quick: 'quick — small shapes: seconds on a laptop GPU, a few minutes on a software adapter',
  full: 'full — the real models’ shapes (a data-centre GPU; scaled down to fit this one)',
};

type Props = { running: boolean; hasGpu: boolean; onRun: () => void; onCancel: () => void };

export function BenchControls({ running, hasGpu, onRun, onCancel }: Props) {
  const kind = useLabStore((s) => s.settings.benchKind);
  const size = useLabStore((s) => s.settings.benchSize);
  const setSetting = useLabStore((s) => s.setSetting);
  const choice = BENCH_CHOICES[kind];
  const blocked = choice.needsGpu && !hasGpu;
  return (
    <div className="bench-controls">
      <fieldset disabled={running}>
        <legend>Benchmark</legend>
        {(Object.keys(BENCH_CHOICES) as LabSettings['benchKind'][]).map((k) => (
          <label key={k} className="bench-choice">
            <input
              type="radio"
              name="bench-kind"
              value={k}
              checked={kind === k}
              data-testid={`bench-kind-${k}`}
              onChange={() => setSetting('benchKind', k)}
            />{' '}
            {BENCH_CHOICES[k].label}
          </label>
        ))}
        <p className="bench-what">{choice.what}</p>
        <label>
          Size{' '}
          <select
            value={size}
            data-testid="bench-size"
            onChange={(e) => setSetting('benchSize', e.target.value as LabSettings['benchSize'])}
          >
            {(Object.keys(SIZE_HINT) as LabSettings['benchSize'][]).map((s) => (
              <option key={s} value={s}>
                {SIZE_HINT[s]}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <div className="bench-actions">
        <button
          type="button"
          className="primary"
          data-testid="bench-run"
          disabled={running || blocked}
          onClick={onRun}
        >
          Run on this device
        </button>
        <button type="button" data-testid="bench-cancel" disabled={!running} onClick={onCancel}>
          Cancel
        </button>
        {blocked && (
          <span data-testid="bench-needs-gpu">
            {choice.label} runs our WebGPU kernels: it needs WebGPU. The whole-model benchmark runs
            without it.
          </span>
        )}
      </div>
    </div>
  );
}
