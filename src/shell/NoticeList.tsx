// The lab's notices: each with its details (a link's repairs, all of them), and a line saying how
// many older notices were removed when there were more than fit.
import { useLabStore } from '../state/labStore';

export function NoticeList() {
  const notices = useLabStore((s) => s.notices);
  const dropped = useLabStore((s) => s.droppedNotices);
  const dismiss = useLabStore((s) => s.dismissNotice);
  const dismissDropped = useLabStore((s) => s.dismissDroppedCount);
  if (notices.length === 0 && dropped === 0) return null;
  return (
    <div className="notices" aria-live="polite" data-testid="notices">
      {dropped > 0 && (
        <div className="banner banner-info" data-testid="notices-dropped">
          <span>
            {dropped === 1
              ? '1 older notice was removed to keep this list short.'
              : `${dropped} older notices were removed to keep this list short.`}
          </span>
          <button type="button" aria-label="Dismiss notice" onClick={dismissDropped}>
            ×
          </button>
        </div>
      )}
      {notices.map((n) => (
        <div key={n.id} className={`banner banner-${n.tone}`} data-testid="notice">
          <div>
            {n.text}
            {n.details.length > 0 && (
              <ul>
                {n.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            )}
          </div>
          <button type="button" aria-label="Dismiss notice" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
