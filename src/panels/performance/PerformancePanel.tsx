import { PanelPending } from '../PanelPending';

export default function PerformancePanel() {
  return (
    <PanelPending
      needs="the in-browser benchmark runner"
      shows={['the MoE layer benchmark table on this GPU', 'a chart of the ratios']}
    />
  );
}
