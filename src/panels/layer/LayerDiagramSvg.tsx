// The MoE layer for one token, drawn from the geometry in src/viz/layerDiagram.ts: the token,
// the router's probability bars, the top-k routes to the expert boxes (size and shade = the
// step's load), the weights into Σ and the output. Expert boxes are buttons: a click switches the
// expert off (or on) in the settings, and the settings bridge re-runs the engine.
import { interpolateBlues, scaleSequential } from 'd3';
import type { KeyboardEvent } from 'react';
import { expertColor } from '../../charts/palette';
import type { CaptionKey, ExpertBox, LayerDiagram } from '../../viz/layerDiagram';

const CAPTIONS: Record<CaptionKey, string> = {
  token: 'token',
  router: 'router: softmax p',
  experts: 'experts — size, shade: pairs in this step',
  sum: 'weighted sum',
};

/** Shorter names for the experts' caption, where the long one would run into "weighted sum". */
const EXPERTS_SHORT = ['experts — size: pairs', 'experts'];
/** About how wide an uppercase caption is, per character, in ems (measured in DejaVu Sans:
 *  0.57 for the experts' caption, with its spaces; 0.69 for "weighted sum"). */
const CAPTION_EM = 0.58;
const SUM_EM = 0.7;

/** The captions' texts: the experts' one shortened to the room before the next caption. */
function captionTexts(d: LayerDiagram, small: number): Record<CaptionKey, string> {
  const texts = { ...CAPTIONS };
  const experts = d.captions.find((c) => c.key === 'experts');
  const sum = d.captions.find((c) => c.key === 'sum');
  if (!experts || !sum || sum.y !== experts.y) return texts;
  const room = sum.x - (CAPTIONS.sum.length * SUM_EM * small) / 2 - experts.x - 0.5 * small;
  for (const text of [CAPTIONS.experts, ...EXPERTS_SHORT]) {
    texts.experts = text;
    if (text.length * CAPTION_EM * small <= room) break;
  }
  return texts;
}

// Light to mid blue only, so dark text stays readable on every box.
const loadFill = scaleSequential((t: number) => interpolateBlues(0.08 + 0.5 * t)).domain([0, 1]);

const f2 = (v: number) => v.toFixed(2);
const pct = (v: number) => `${Math.round(v * 100)} %`;

type Props = {
  d: LayerDiagram;
  tokenLabel: string;
  tokenNote: string;
  /** Changes with the token, step and layer shown: restarts the flow animation. */
  animationKey: string;
  onToggleExpert: ((expert: number) => void) | null;
  fontPx: number;
};

function boxText(b: ExpertBox, wide: boolean, fontPx: number) {
  const name = `e${b.expert}`;
  if (b.off) return { name, detail: 'off' };
  if (wide && b.w > 9 * fontPx)
    return { name, detail: `${b.pairs} ${b.pairs === 1 ? 'pair' : 'pairs'} · ${pct(b.share)}` };
  return { name, detail: String(b.pairs) };
}

export function LayerDiagramSvg({
  d,
  tokenLabel,
  tokenNote,
  animationKey,
  onToggleExpert,
  fontPx,
}: Props) {
  const wide = d.orientation === 'wide';
  const small = Math.round(fontPx * 0.8);
  const onKey = (e: number) => (ev: KeyboardEvent) => {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    ev.preventDefault();
    onToggleExpert?.(e);
  };
  const chosen = [...d.routes].sort((a, b) => a.rank - b.rank);
  const captions = captionTexts(d, small);
  return (
    <svg
      className={`layer-diagram ${d.orientation}`}
      width={d.width}
      height={d.height}
      viewBox={`0 0 ${d.width} ${d.height}`}
      role="group"
      aria-label={`Token “${tokenLabel}” routed to ${chosen.map((r) => `expert ${r.expert} (weight ${f2(r.weight)})`).join(', ')}`}
      data-testid="layer-diagram"
      data-orientation={d.orientation}
      style={{ fontSize: fontPx }}
    >
      <defs>
        <pattern id="layer-off" width="6" height="6" patternUnits="userSpaceOnUse">
          <path d="M0,6 L6,0" stroke="currentColor" strokeWidth="1" opacity="0.45" />
        </pattern>
        <marker
          id="layer-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="5"
          markerHeight="5"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="context-stroke" />
        </marker>
      </defs>
      <g key={animationKey} className="layer-flow">
        <path className="layer-feed" d={d.tokenToRouter} markerEnd="url(#layer-arrow)" />
        {/* A dark casing under each route, so light expert colours stay visible on white. */}
        {chosen.map((r) => (
          <path
            key={`case-${r.expert}`}
            className="layer-route layer-casing"
            d={r.toExpert}
            pathLength={1}
            strokeWidth={r.strokeWidth + 2.5}
          />
        ))}
        {chosen.map((r) => (
          <path
            key={`to-${r.expert}`}
            className="layer-route"
            d={r.toExpert}
            pathLength={1}
            stroke={expertColor(r.expert)}
            strokeWidth={r.strokeWidth}
            data-testid="layer-route"
            data-expert={r.expert}
            data-rank={r.rank}
            data-weight={r.weight}
          />
        ))}
        {chosen.map((r) => (
          <g key={`sum-${r.expert}`} className="layer-combine">
            <path
              className="layer-casing"
              d={r.toSum}
              pathLength={1}
              strokeWidth={r.strokeWidth + 2.5}
            />
            <path
              d={r.toSum}
              pathLength={1}
              stroke={expertColor(r.expert)}
              strokeWidth={r.strokeWidth}
            />
            <text
              className="layer-weight"
              x={r.weightAt.x}
              y={r.weightAt.y}
              textAnchor="middle"
              dy="0.35em"
            >
              ×{f2(r.weight)}
            </text>
          </g>
        ))}
      </g>

      {/* Over the routes, on a halo: a route that crosses a caption (on a phone) leaves it legible. */}
      {d.captions.map((c) => (
        <text
          key={c.key}
          className="layer-caption"
          x={c.x}
          y={c.y}
          textAnchor={c.anchor}
          fontSize={small}
        >
          {captions[c.key]}
        </text>
      ))}

      <g className="layer-token" data-testid="layer-token">
        <rect x={d.token.x} y={d.token.y} width={d.token.w} height={d.token.h} rx={6} />
        <text
          x={d.token.x + d.token.w / 2}
          y={d.token.y + d.token.h * 0.45}
          textAnchor="middle"
          dy="0.35em"
          className="layer-token-char"
          fontSize={fontPx * 1.5}
        >
          {tokenLabel}
        </text>
        <text
          x={d.token.x + d.token.w / 2}
          y={d.token.y + d.token.h * 0.85}
          textAnchor="middle"
          fontSize={small}
          className="layer-muted"
        >
          {tokenNote}
        </text>
      </g>

      <g className="layer-router" key={`bars-${animationKey}`}>
        {d.bars.map((b) => {
          const isChosen = b.rank >= 0;
          return (
            <g
              key={b.expert}
              data-testid="layer-bar"
              data-expert={b.expert}
              data-prob={b.prob}
              data-chosen={isChosen}
            >
              <rect
                className={`layer-bar ${isChosen ? 'chosen' : ''}`}
                x={b.bar.x}
                y={b.bar.y}
                width={Math.max(0, b.bar.w)}
                height={Math.max(0, b.bar.h)}
                // Inline, so the chosen expert's colour wins over the stylesheet's grey.
                style={isChosen ? { fill: expertColor(b.expert) } : undefined}
              />
              {(b.labelled || isChosen) && (
                <text
                  x={b.labelAt.x}
                  y={b.labelAt.y}
                  textAnchor={wide ? 'end' : 'middle'}
                  dy="0.35em"
                  fontSize={Math.min(small, wide ? b.bar.h / 0.7 : small)}
                  className={isChosen ? 'layer-strong' : 'layer-muted'}
                >
                  e{b.expert}
                </text>
              )}
              {isChosen && (
                <text
                  x={b.valueAt.x}
                  y={b.valueAt.y}
                  textAnchor={wide ? 'start' : 'middle'}
                  dy={wide ? '0.35em' : 0}
                  fontSize={small}
                  className="layer-strong"
                >
                  {f2(b.prob)}
                </text>
              )}
            </g>
          );
        })}
      </g>

      {d.experts.map((b) => {
        const t = boxText(b, wide, fontPx);
        const isChosen = b.rank >= 0;
        const textSize = Math.min(fontPx, b.h * 0.8);
        const stacked = !wide && b.h > textSize * 2.6;
        const visible = wide || stacked ? `${t.name} ${t.detail}` : t.name;
        return (
          <g
            key={b.expert}
            className={`layer-expert ${isChosen ? 'chosen' : ''} ${b.off ? 'off' : ''}`}
            role={onToggleExpert ? 'button' : undefined}
            tabIndex={onToggleExpert ? 0 : undefined}
            aria-pressed={onToggleExpert ? b.off : undefined}
            // Starts with the box's visible text (WCAG 2.5.3), then says the rest.
            aria-label={`${visible}: ${b.pairs} pairs, ${pct(b.share)} of the step${isChosen ? `, weight ${f2(d.routes.find((r) => r.expert === b.expert)?.weight ?? 0)} for this token` : ''}${b.off ? ', switched off' : ''}. ${b.off ? 'Switch on' : 'Switch off'}.`}
            onClick={onToggleExpert ? () => onToggleExpert(b.expert) : undefined}
            onKeyDown={onToggleExpert ? onKey(b.expert) : undefined}
            data-testid="layer-expert"
            data-expert={b.expert}
            data-pairs={b.pairs}
            data-rank={b.rank}
            data-off={b.off}
          >
            {isChosen && (
              <rect
                className="layer-chosen-ring"
                x={b.x - 3}
                y={b.y - 3}
                width={b.w + 6}
                height={b.h + 6}
                rx={6}
              />
            )}
            <rect
              x={b.x}
              y={b.y}
              width={b.w}
              height={b.h}
              rx={4}
              fill={b.off ? 'url(#layer-off)' : loadFill(b.relativeLoad)}
              // Inline, so the chosen expert's colour wins over the stylesheet's outline.
              style={isChosen ? { stroke: expertColor(b.expert) } : undefined}
            />
            {stacked ? (
              // One text element with a real space between the lines, so its text reads
              // "e1 8" to assistive technology as it does on screen.
              <text textAnchor="middle" fontSize={textSize}>
                <tspan
                  className="layer-strong"
                  x={b.x + b.w / 2}
                  y={b.y + b.h / 2 - textSize * 0.6}
                  dy="0.35em"
                >
                  {t.name}
                </tspan>{' '}
                <tspan
                  x={b.x + b.w / 2}
                  y={b.y + b.h / 2 + textSize * 0.6}
                  dy="0.35em"
                  // A little smaller than the name, never under 13 px (readable on a projector).
                  fontSize={Math.min(textSize, Math.max(13, textSize * 0.85))}
                >
                  {t.detail}
                </tspan>
              </text>
            ) : (
              <text
                x={wide ? b.x + 0.5 * fontPx : b.x + b.w / 2}
                y={b.y + b.h / 2}
                textAnchor={wide ? 'start' : 'middle'}
                dy="0.35em"
                fontSize={textSize}
              >
                <tspan className="layer-strong">{t.name}</tspan>
                {wide && (
                  <>
                    {' '}
                    <tspan dx="0.25em">{t.detail}</tspan>
                  </>
                )}
              </text>
            )}
          </g>
        );
      })}

      <g className="layer-sum" data-testid="layer-sum">
        <circle cx={d.sum.cx} cy={d.sum.cy} r={d.sum.r} />
        <text x={d.sum.cx} y={d.sum.cy} textAnchor="middle" dy="0.35em" fontSize={fontPx * 1.4}>
          Σ
        </text>
        <path className="layer-feed" d={d.sumToOutput} markerEnd="url(#layer-arrow)" />
        <rect x={d.output.x} y={d.output.y} width={d.output.w} height={d.output.h} rx={6} />
        <text
          x={d.output.x + d.output.w / 2}
          y={d.output.y + d.output.h / 2}
          textAnchor="middle"
          dy="0.35em"
          className="layer-strong"
        >
          y
        </text>
      </g>
    </svg>
  );
}
