import { PanelPending } from '../PanelPending';

export default function ModelPanel() {
  return (
    <PanelPending
      needs="the trained model packs and the in-browser engine"
      shows={[
        'a prompt box and the text the model generates, token by token',
        'per-skill accuracy on the evaluation sets',
        'live knobs: top-k, expert pruning, FFN pruning',
      ]}
    />
  );
}
