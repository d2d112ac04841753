// Which benchmark, how big, Run and Cancel. The choice is part of the lab's settings, so a
// lecturer's link opens the panel on the same benchmark for the whole class.
import { useLabStore } from '../../state/labStore';
import { SETTINGS_SCHEMA, type LabSettings } from '../../state/settingsSchema';
import { SettingControl } from '../shared/SettingControl';

/** What each benchmark measures, and whether it needs WebGPU (its name is in the schema). */
export const BENCH_CHOICES: Record<LabSettings['benchKind'], { what: string; needsGpu: boolean }> =
  {
    align: {
      what: 'Grouping tokens by expert (count, prefix sum, padding, scatter): our single- and multi-workgroup kernels against a naive serial scan.',
      needsGpu: true,
    },
    layer: {
      what: 'One MoE layer at the shapes of Mixtral, Qwen-MoE, OLMoE and DeepSeek: our fused kernels vs per-expert dispatch vs onnxruntime-web, against this GPU’s own copy bandwidth and matmul rate.',
      needsGpu: true,
    },
    model: {
      what: 'The model chosen in the Model view generating one greedy continuation: our engine vs the onnxruntime-only reference graph, on WebGPU and on the CPU (wasm) — TTFT, inter-token latency, tokens/s.',
      needsGpu: false,
    },
  };

type Props = { running: boolean; hasGpu: boolean; onRun: () => void; onCancel: () => void };

export function BenchControls({ running, hasGpu, onRun, onCancel }: Props) {
  const kind = useLabStore((s) => s.settings.benchKind);
  const choice = BENCH_CHOICES[kind];
  const blocked = choice.needsGpu && !hasGpu;
  return (
    <div className="bench-controls">
      <fieldset disabled={running}>
        <legend>Benchmark</legend>
        <SettingControl setting="benchKind" testId="bench-kind" />
        <p className="bench-what">{choice.what}</p>
        <SettingControl setting="benchSize" testId="bench-size" />
        {kind === 'layer' && <SettingControl setting="benchShape" testId="bench-shape" />}
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
            {SETTINGS_SCHEMA.benchKind.optionText?.[kind] ?? kind} runs our WebGPU kernels: it needs
            WebGPU. The whole-model benchmark runs without it.
          </span>
        )}
      </div>
    </div>
  );
}
