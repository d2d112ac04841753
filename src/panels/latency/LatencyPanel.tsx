import { PanelPending } from '../PanelPending';

export default function LatencyPanel() {
  return (
    <PanelPending
      needs="the engine's live metrics"
      shows={[
        'time to first token and inter-token latency',
        'output and total tokens per second',
        'dispatches per token and GPU vs CPU time',
      ]}
    />
  );
}
