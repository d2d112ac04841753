import { useLabStore } from '../state/labStore';

export function NoticeList() {
  const notices = useLabStore((s) => s.notices);
  const dismiss = useLabStore((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <div key={n.id} className={`banner banner-${n.tone}`} data-testid="notice">
          <span>{n.text}</span>
          <button type="button" aria-label="Dismiss notice" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
