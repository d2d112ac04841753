import { PanelPending } from '../PanelPending';

export default function GatingPanel() {
  return (
    <PanelPending
      needs="the engine's per-token router trace"
      shows={[
        'the softmax over all experts for a chosen token and layer',
        'the top-k picked and the renormalised weights',
        'the output written as a weighted sum of expert outputs',
      ]}
    />
  );
}
