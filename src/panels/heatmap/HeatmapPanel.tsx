import { PanelPending } from '../PanelPending';

export default function HeatmapPanel() {
  return (
    <PanelPending
      needs="the engine's routing trace"
      shows={[
        'the generated text coloured by expert',
        'a tokens × experts matrix and a layers × experts load matrix',
        'load-balance figures per layer',
      ]}
    />
  );
}
