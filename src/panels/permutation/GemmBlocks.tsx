// The grouped GEMM's blocks: one box per BM-row block, labelled with its expert (expert_ids),
// filled as far as real tokens go (the rest is padding it computes anyway), and the work each
// expert gets.
import { useState } from 'react';
import { ChartFrame } from '../../charts/ChartFrame';
import { useRem } from '../../charts/useRem';
import { heatColor } from '../../charts/palette';
import { gemmBlocks, workPerExpert } from '../../viz/gemmBlocks';
import type { AlignView } from '../../viz/permutation';

type Props = { view: AlignView; hidden: number; expertFfn: number };

const mflop = (v: number) => (v / 1e6).toFixed(2);

export function GemmBlocks({ view, hidden, expertFfn }: Props) {
  const rem = useRem();
  const [active, setActive] = useState<number | null>(null);
  const blocks = gemmBlocks(view);
  const work = workPerExpert(view, hidden, expertFfn);
  const bw = 3.4 * rem;
  const bh = 6 * rem;
  const gap = 0.4 * rem;
  const perLine = 16;
  const lineH = bh + 3.2 * rem;
  const width = Math.min(blocks.length, perLine) * (bw + gap) + gap;
  const height = Math.max(1, Math.ceil(blocks.length / perLine)) * lineH;
  const a = active === null ? null : blocks[active];
  const total = work.reduce((s, w) => s + w.flops, 0);
  const useful = work.reduce((s, w) => s + w.usefulFlops, 0);
  return (
    <section className="perm-gemm" aria-label="Grouped GEMM blocks" data-testid="gemm-blocks">
      <h3>
        Grouped GEMM: {blocks.length} blocks of BM = {view.bm} rows
      </h3>
      <p className="muted">
        One workgroup per block reads its expert from <code>expert_ids</code> and multiplies all{' '}
        {view.bm} rows; the fill (colour and bar height) is the share holding real tokens.
      </p>
      <ChartFrame
        title={`Blocks of the grouped GEMM (BM = ${view.bm})`}
        testId="gemm-chart"
        data={() => ({
          header: ['block', 'expert', 'rows with tokens', 'BM', 'fill'],
          rows: blocks.map((b) => [b.block, b.expert, b.rows, b.bm, b.fill]),
        })}
        detail={
          a ? (
            <strong>{`block ${a.block}: expert ${a.expert}, ${a.rows} of ${a.bm} rows hold tokens (${Math.round(a.fill * 100)}% full)`}</strong>
          ) : undefined
        }
      >
        <svg
          width={width}
          height={height}
          className="viz-svg"
          role="group"
          aria-label="Grouped GEMM blocks"
        >
          {blocks.map((b, i) => {
            const x = gap + (i % perLine) * (bw + gap);
            const y = Math.floor(i / perLine) * lineH + 1.5 * rem;
            const filled = bh * b.fill;
            return (
              <g
                key={i}
                tabIndex={0}
                role="img"
                aria-label={`block ${b.block}: expert ${b.expert}, ${b.rows} of ${b.bm} rows`}
                className="viz-mark"
                data-testid="gemm-block"
                data-expert={b.expert}
                data-rows={b.rows}
                onMouseEnter={() => setActive(i)}
                onMouseLeave={() => setActive(null)}
                onFocus={() => setActive(i)}
                onBlur={() => setActive(null)}
              >
                <text x={x + bw / 2} y={y - 0.4 * rem} textAnchor="middle" className="viz-tag">
                  e{b.expert}
                </text>
                <rect x={x} y={y} width={bw} height={bh} className="viz-empty" />
                <rect
                  x={x}
                  y={y + bh - filled}
                  width={bw}
                  height={filled}
                  style={{ fill: heatColor(0.2 + 0.8 * b.fill) }}
                />
                <text
                  x={x + bw / 2}
                  y={y + bh + 1.1 * rem}
                  textAnchor="middle"
                  className="viz-tick"
                >
                  {b.rows}/{b.bm}
                </text>
              </g>
            );
          })}
        </svg>
      </ChartFrame>
      <table className="numbers" data-testid="gemm-work">
        <caption>
          Work per expert: FLOPs = 6 · rows · D · I (GEMM1 gate+up and GEMM2), D = {hidden}, I ={' '}
          {expertFfn}
        </caption>
        <thead>
          <tr>
            <th scope="col">expert</th>
            <th scope="col">tokens</th>
            <th scope="col">blocks</th>
            <th scope="col">rows computed</th>
            <th scope="col">MFLOP computed</th>
            <th scope="col">of which useful</th>
          </tr>
        </thead>
        <tbody>
          {work.map((w) => (
            <tr key={w.expert}>
              <th scope="row">e{w.expert}</th>
              <td>{w.tokens}</td>
              <td>{w.blocks}</td>
              <td>{w.computedRows}</td>
              <td>{mflop(w.flops)}</td>
              <td>{w.computedRows ? `${Math.round((100 * w.tokens) / w.computedRows)}%` : '—'}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">all</th>
            <td>{view.counts.reduce((s, c) => s + c, 0)}</td>
            <td>{blocks.length}</td>
            <td>{view.numPostPad}</td>
            <td>{mflop(total)}</td>
            <td>{total ? `${Math.round((100 * useful) / total)}%` : '—'}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
