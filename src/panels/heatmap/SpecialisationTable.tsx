// One specialisation table: rows (skills or characters) × experts, each cell the share of the
// row's (token, expert) pairs that went to that expert, with the number of tokens under it.
import { pairShares, type SpecTable } from '../../viz/specialisation';

type Props = { title: string; rowTitle: string; table: SpecTable; experts: number; testId: string };

export function SpecialisationTable({ title, rowTitle, table, experts, testId }: Props) {
  const shares = pairShares(table);
  return (
    <figure className="spec-table" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div className="spec-scroll">
        <table className="numbers">
          <thead>
            <tr>
              <th scope="col">{rowTitle}</th>
              <th scope="col">tokens</th>
              {Array.from({ length: experts }, (_, e) => (
                <th scope="col" key={e}>
                  e{e}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.labels.map((label, r) => (
              <tr key={label} data-label={label} data-tokens={table.tokens[r]}>
                <th scope="row">{label}</th>
                <td>{table.tokens[r]}</td>
                {shares[r]!.map((s, e) => (
                  <td
                    key={e}
                    className="spec-cell"
                    data-testid={`${testId}-cell`}
                    data-value={s}
                    style={{ background: `rgba(31, 119, 180, ${(0.55 * s).toFixed(3)})` }}
                    data-count={table.counts[r]![e]}
                    title={`${rowTitle} ${label}, expert ${e}: ${table.counts[r]![e]} of ${table.tokens[r]} tokens (${(100 * s).toFixed(1)}% of the pairs)`}
                  >
                    <span className="spec-share">{s === 0 ? '' : `${Math.round(s * 100)}%`}</span>
                    <span className="spec-n">{table.counts[r]![e]}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
