// The buffers of align & sort, one stage after another up to the chosen one, drawn from the
// engine's trace (or recomputed by the CPU twin for another BM; the panel says which).
import { ArrayStrip, type StripCell } from '../../charts/ArrayStrip';
import { expertColor } from '../../charts/palette';
import type { MoeLayerTrace } from '../../engine/trace';
import { combineTerms, slots, type AlignView } from '../../viz/permutation';
import { cellLabel, type TracedToken } from '../../viz/tokens';

type Props = {
  view: AlignView;
  layer: MoeLayerTrace;
  stage: number;
  tokens: TracedToken[];
  combineToken: number;
};

// Lines of 16 cells (32 for big blocks) stay within a projector's width.
const perLineFor = (bm: number) => (bm >= 64 ? 32 : 16);

export function PermutationStages({ view, layer, stage, tokens, combineToken }: Props) {
  const { k, E, bm } = view;
  const label = (t: number) => tokens[t]?.label ?? `t${t}`;
  const short = (t: number) => cellLabel(label(t));
  const dropped = new Set(view.dropped);
  const pairCells: StripCell[] = Array.from(view.topkIds, (e, i) => ({
    text: dropped.has(i) ? `✕e${e}` : `e${e}`,
    value: e,
    tint: expertColor(e),
    detail:
      `pair ${i} = token ${Math.floor(i / k)} (“${label(Math.floor(i / k))}”) · k + ${i % k}: expert ${e}` +
      (dropped.has(i)
        ? ` — dropped: expert ${e} already had its ${view.capacity} pairs, this pair is computed by no expert`
        : ''),
  }));
  const perExpert = (vals: number[], what: string): StripCell[] =>
    vals.map((v, e) => ({
      text: String(v),
      value: v,
      tint: expertColor(e),
      detail: `expert ${e}: ${what} ${v}`,
    }));
  const slotList = slots(view);
  const terms = combineTerms(view, layer.topkWeights, combineToken);
  const termSlots = new Set(terms.map((t) => t.slot));
  const sortedCells: StripCell[] = slotList.map((s) => ({
    text: s.pair === null ? '' : String(s.pair),
    value: s.pair ?? view.sentinel,
    empty: s.pair === null,
    tint: expertColor(s.expert),
    detail:
      s.pair === null
        ? `padding of expert ${s.expert}, block ${s.block} (sentinel ${view.sentinel})`
        : `block ${s.block}, expert ${s.expert}: pair ${s.pair} = token ${s.token} · k + ${s.j}`,
  }));
  const gatherCells: StripCell[] = slotList.map((s) => ({
    text: s.token === null ? '' : short(s.token),
    value: s.token ?? -1,
    empty: s.token === null,
    tint: expertColor(s.expert),
    detail:
      s.token === null
        ? 'padding: computed, never stored'
        : `reads row t = ${s.pair} / ${k} = ${s.token} (“${label(s.token)}”) for expert ${s.expert}`,
  }));
  const cellRem = bm >= 64 ? 1.3 : 1.9;
  const sum = view.counts.reduce((a, b) => a + b, 0);
  return (
    <div className="perm-stages">
      <ArrayStrip
        title={
          `1. topk_ids: ${view.T} tokens × k = ${k} → ${view.T * k} (token, expert) pairs, pair i = t·k + j` +
          (view.dropped.length > 0 ? `; ✕ = dropped over capacity (${view.dropped.length})` : '')
        }
        cells={pairCells}
        indexName="pair"
        perLine={Math.max(k, Math.floor(16 / k) * k)}
        cellRem={2}
        testId="perm-topk"
      />
      {stage >= 1 && (
        <div
          data-testid="perm-counts-sum"
          data-sum={sum}
          data-expected={view.T * k - view.dropped.length}
        >
          <ArrayStrip
            title={
              view.capacity === null
                ? `2. counts per expert (Σ = ${sum} = T·k)`
                : `2. counts per expert, each at most its capacity (Σ = ${sum} = T·k − ${view.dropped.length} dropped)`
            }
            cells={perExpert(view.counts, 'pairs')}
            indexName="expert"
            testId="perm-counts"
          />
        </div>
      )}
      {stage >= 2 && (
        <ArrayStrip
          title={`3. padded counts: ⌈count / BM⌉ · BM with BM = ${bm}`}
          cells={perExpert(view.padded, 'padded rows')}
          indexName="expert"
          testId="perm-padded"
        />
      )}
      {stage >= 3 && (
        <ArrayStrip
          title={`4. exclusive prefix sum of the padded counts: offsets[0..${E}], num_post_pad = ${view.numPostPad}`}
          cells={view.offsets.map((o, e) => ({
            text: String(o),
            value: o,
            detail: e < E ? `expert ${e} starts at slot ${o}` : `num_post_pad = ${o}`,
          }))}
          indexName="e"
          testId="perm-offsets"
        />
      )}
      {stage >= 4 && (
        <ArrayStrip
          title={`5. expert_ids: one per BM-row block (${view.expertIds.length} blocks)`}
          cells={view.expertIds.map((e, b) => ({
            text: `e${e}`,
            value: e,
            tint: expertColor(e),
            detail: `block ${b} = slots ${b * bm}…${(b + 1) * bm - 1}: expert ${e}`,
          }))}
          indexName="block"
          testId="perm-expert-ids"
        />
      )}
      {stage >= 5 && (
        <ArrayStrip
          title={`6. sorted_ids: pair ids grouped by expert; dashed = padding (sentinel ${view.sentinel}), ${view.paddingSlots} of ${view.numPostPad} slots`}
          cells={sortedCells}
          indexName="slot"
          perLine={perLineFor(bm)}
          cellRem={cellRem}
          groupEvery={bm}
          highlight={stage >= 7 ? termSlots : undefined}
          testId="perm-sorted"
        />
      )}
      {stage >= 6 && (
        <ArrayStrip
          title="7. gathered rows: slot s reads hidden row t = sorted_ids[s] / k (an address, not a copy)"
          cells={gatherCells}
          indexName="slot"
          perLine={perLineFor(bm)}
          cellRem={cellRem}
          groupEvery={bm}
          highlight={stage >= 7 ? termSlots : undefined}
          testId="perm-gather"
        />
      )}
      {stage >= 7 && (
        <section className="formula" data-testid="perm-combine">
          <h3>
            8. Weighted combine for token {combineToken} (“{label(combineToken)}”)
          </h3>
          <p>
            GEMM2 stores each pair&apos;s scaled output at row <code>sorted_id</code> (the
            un-permute is the store address); the combine adds the token&apos;s {k} rows:
          </p>
          <p className="formula-output">
            <code>
              y_{combineToken} ={' '}
              {terms
                .filter((t) => !t.dropped)
                .map((t) => `${t.weight.toFixed(3)} · C[${t.pair}]`)
                .join(' + ') || '0'}
              {terms.some((t) => t.dropped) &&
                ` (dropped: ${terms
                  .filter((t) => t.dropped)
                  .map((t) => `C[${t.pair}]`)
                  .join(', ')})`}
            </code>
          </p>
          <table className="numbers">
            <thead>
              <tr>
                <th scope="col">j</th>
                <th scope="col">pair t·k+j</th>
                <th scope="col">expert</th>
                <th scope="col">slot in sorted_ids</th>
                <th scope="col">weight s_j</th>
              </tr>
            </thead>
            <tbody>
              {terms.map((t) => (
                <tr
                  key={t.j}
                  data-testid="perm-combine-term"
                  data-pair={t.pair}
                  data-slot={t.slot}
                  data-expert={t.expert}
                  data-dropped={t.dropped ? 'true' : 'false'}
                >
                  <td>{t.j}</td>
                  <td>{t.pair}</td>
                  <td>e{t.expert}</td>
                  <td>{t.dropped ? 'dropped (over capacity)' : t.slot}</td>
                  <td>{t.weight.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
