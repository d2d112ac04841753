// The same grouping as the lecture writes it: CSR with indptr = prefix sum of the *unpadded*
// counts and, per expert, the tokens it serves. Padding is a kernel detail CSR does not have.
import { ArrayStrip } from '../../charts/ArrayStrip';
import { expertColor } from '../../charts/palette';
import { csrFromSorted } from '../../viz/csr';
import type { AlignView } from '../../viz/permutation';
import { cellLabel, type TracedToken } from '../../viz/tokens';

export function CsrView({ view, tokens }: { view: AlignView; tokens: TracedToken[] }) {
  const csr = csrFromSorted(view.sortedIds, view.offsets, view.k, view.T);
  const expertOf = (i: number) => {
    let e = 0;
    while (csr.indptr[e + 1]! <= i) e++;
    return e;
  };
  return (
    <section className="perm-csr" aria-label="CSR view" data-testid="perm-csr">
      <h3>CSR view (the lecture&apos;s notation)</h3>
      <p className="muted">
        <code>indptr[e+1] = indptr[e] + counts[e]</code>: the same prefix sum without padding.
        Expert e serves <code>indices[indptr[e] : indptr[e+1]]</code>.
      </p>
      <ArrayStrip
        title={`indptr (E + 1 = ${view.E + 1} entries)`}
        cells={csr.indptr.map((v, e) => ({
          text: String(v),
          value: v,
          detail: e < view.E ? `expert ${e} starts at ${v}` : `nnz = ${v}`,
        }))}
        indexName="e"
        perLine={12}
        cellRem={2.2}
        testId="perm-indptr"
      />
      <ArrayStrip
        title="indices: token of each pair, grouped by expert"
        cells={csr.tokens.map((t, i) => ({
          text: cellLabel(tokens[t]?.label ?? String(t)),
          value: t,
          tint: expertColor(expertOf(i)),
          detail: `expert ${expertOf(i)}: token ${t} (pair ${csr.pairIds[i]})`,
        }))}
        indexName="nnz"
        perLine={8}
        cellRem={2.2}
        testId="perm-indices"
      />
    </section>
  );
}
