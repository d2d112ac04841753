// The run's text with every character tinted by the expert the router ranked first at one
// layer; the expert number is written under it, so colour is never the only cue. The text wraps
// (never scrolls), and a marker shows where the prompt ends and the generated answer begins.
import { Fragment } from 'react';
import { expertColor } from '../../charts/palette';
import type { TracedToken } from '../../viz/tokens';

type Props = {
  tokens: TracedToken[];
  top: number[];
  /** Experts each token was routed to (all k), to light up the tokens of a hovered expert. */
  routed: number[][];
  hoverToken: number | null;
  hoverExpert: number | null;
  onHoverToken: (i: number | null) => void;
};

export function RoutedText({ tokens, top, routed, hoverToken, hoverExpert, onHoverToken }: Props) {
  return (
    <div className="routed-text" data-testid="heat-text" aria-label="Text coloured by top expert">
      {tokens.map((t, i) => {
        const lit = hoverToken === i || (hoverExpert !== null && routed[i]!.includes(hoverExpert));
        const dim = hoverExpert !== null && !routed[i]!.includes(hoverExpert);
        // The first character fed back from a decode step: the answer starts here.
        const answerStarts = t.step > 0 && (i === 0 || tokens[i - 1]!.step === 0);
        return (
          <Fragment key={i}>
            {answerStarts && (
              <span className="routed-split" data-testid="heat-answer-start">
                answer →
              </span>
            )}
            <span
              tabIndex={0}
              className={`routed-char${lit ? ' lit' : ''}${dim ? ' dim' : ''}`}
              style={{ background: `${expertColor(top[i]!)}66` }}
              data-testid="heat-char"
              data-index={i}
              data-expert={top[i]}
              data-step={t.step}
              data-row={t.row}
              aria-label={`“${t.label}” at position ${t.pos}: top expert ${top[i]}, routed to ${routed[i]!.join(' and ')}`}
              onMouseEnter={() => onHoverToken(i)}
              onMouseLeave={() => onHoverToken(null)}
              onFocus={() => onHoverToken(i)}
              onBlur={() => onHoverToken(null)}
            >
              <span className="routed-glyph">{t.label}</span>
              <span className="routed-expert">{top[i]}</span>
            </span>
          </Fragment>
        );
      })}
    </div>
  );
}
