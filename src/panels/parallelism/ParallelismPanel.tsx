import { PanelPending } from '../PanelPending';

export default function ParallelismPanel() {
  return (
    <PanelPending
      needs="the virtual-GPU executor"
      shows={[
        'weights and KV cache per virtual GPU',
        'tokens per GPU from the real routing',
        'bytes per collective and a per-GPU timeline',
      ]}
    />
  );
}
