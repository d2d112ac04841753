import { PanelPending } from '../PanelPending';

export default function SimulatorPanel() {
  return (
    <PanelPending
      needs="the cluster cost model"
      shows={[
        'TTFT, ITL and throughput of real MoE models on real GPUs',
        'memory per GPU and the bottleneck',
        'sweeps over concurrency and strategies',
      ]}
    />
  );
}
