// Play, pause and step the diagram token by token through the run: the prefill's rows, then each
// decode step. The position lives in the URL (vizStep, vizToken) like every trace view's.
import { useEffect, useState } from 'react';
import { useLabStore } from '../../state/labStore';
import { walkIndex, walkTokens, type StepRows, type TokenPosition } from '../../viz/tokenWalk';

/** Time each token stays on screen while playing: long enough to follow the arrows. */
const TOKEN_MS = 1400;

export function TokenPlayer({ rows, at }: { rows: StepRows; at: TokenPosition }) {
  const setSetting = useLabStore((s) => s.setSetting);
  const [playing, setPlaying] = useState(false);
  const go = (p: TokenPosition | null) => {
    if (!p) return false;
    if (p.step !== at.step) setSetting('vizStep', p.step);
    setSetting('vizToken', p.row);
    return true;
  };
  const next = walkTokens(rows, at, 1);
  const prev = walkTokens(rows, at, -1);
  useEffect(() => {
    if (!playing) return;
    const id = window.setTimeout(() => {
      if (!go(walkTokens(rows, at, 1))) setPlaying(false);
    }, TOKEN_MS);
    return () => window.clearTimeout(id);
    // `go` only writes settings; re-arming on every position is the point.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, at.step, at.row, rows]);
  const { index, total } = walkIndex(rows, at);
  return (
    <div className="token-player" role="group" aria-label="Step through the run's tokens">
      <button
        type="button"
        onClick={() => go(prev)}
        disabled={!prev}
        data-testid="layer-prev"
        aria-label="Previous token"
      >
        ◀
      </button>
      <button
        type="button"
        className="primary"
        onClick={() => {
          // Playing from the last token starts over from the first.
          if (!playing && !next) go({ step: 0, row: 0 });
          setPlaying(!playing);
        }}
        aria-pressed={playing}
        data-testid="layer-play"
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button
        type="button"
        onClick={() => go(next)}
        disabled={!next}
        data-testid="layer-next"
        aria-label="Next token"
      >
        ▶
      </button>
      <span className="muted" data-testid="layer-position">
        token {index + 1} of {total}
      </span>
    </div>
  );
}
