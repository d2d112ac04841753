// The honest face of a panel whose live data is not wired yet: it says what the panel will
// draw and from what, instead of showing made-up numbers.
type Props = { shows: string[]; needs: string };

export function PanelPending({ shows, needs }: Props) {
  return (
    <div className="pending" data-testid="panel-pending">
      <p>
        <strong>Not live yet.</strong> This view needs {needs}.
      </p>
      <p>When it is, it will show:</p>
      <ul>
        {shows.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </div>
  );
}
