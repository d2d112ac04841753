// The tokens of one step as buttons: pick the row a view explains. ←/→ move along the strip.
import type { KeyboardEvent } from 'react';
import type { TracedToken } from '../../viz/tokens';

type Props = {
  tokens: TracedToken[];
  selected: number;
  onSelect: (row: number) => void;
  /** Optional mark under each token, e.g. its top expert. */
  mark?: (t: TracedToken) => string;
};

export function TokenStrip({ tokens, selected, onSelect, mark }: Props) {
  const onKey = (ev: KeyboardEvent) => {
    const d = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
    if (!d) return;
    ev.preventDefault();
    const next = Math.min(tokens.length - 1, Math.max(0, selected + d));
    onSelect(next);
    const strip = ev.currentTarget as HTMLElement;
    strip.querySelectorAll('button')[next]?.focus();
  };
  return (
    <div className="token-strip" role="toolbar" aria-label="Tokens of this step" onKeyDown={onKey}>
      {tokens.map((t) => (
        <button
          key={t.row}
          type="button"
          aria-pressed={t.row === selected}
          className={t.row === selected ? 'token selected' : 'token'}
          onClick={() => onSelect(t.row)}
          data-testid="token-chip"
          data-row={t.row}
          title={`row ${t.row}: sequence ${t.seq}, position ${t.pos}`}
        >
          <span className="token-char">{t.label}</span>
          {mark && <span className="token-mark">{mark(t)}</span>}
        </button>
      ))}
    </div>
  );
}
