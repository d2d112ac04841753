import { PanelPending } from '../PanelPending';

export default function LessonPanel() {
  return (
    <PanelPending
      needs="the guided lesson"
      shows={['eight short chapters, each with a live panel and a "try this" action']}
    />
  );
}
