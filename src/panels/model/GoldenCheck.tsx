// Fidelity: does this browser's engine reproduce the exporter's logits and routing?
import { checkGoldenOutputs } from '../../engine/engineActions';
import { GOLDEN_LOGITS_TOLERANCE } from '../../engine/golden';
import { useRunStore } from '../../engine/runStore';

export function GoldenCheck() {
  const golden = useRunStore((s) => s.golden);
  const status = useRunStore((s) => s.status);
  return (
    <section>
      <h3>Fidelity</h3>
      <p className="muted">
        Runs the pack's golden prompts and compares with what PyTorch computed at export:
        last-position logits (relative error under {GOLDEN_LOGITS_TOLERANCE}), each token's chosen
        experts, and the greedy completion.
      </p>
      <button
        type="button"
        onClick={() => void checkGoldenOutputs()}
        disabled={status !== 'ready'}
        data-testid="check-golden"
      >
        Check against the exporter
      </button>
      {golden && (
        <table className="numbers" data-testid="golden-table" data-backend={golden.backend}>
          <thead>
            <tr>
              <th scope="col">prompt</th>
              <th scope="col">logits rel. error</th>
              <th scope="col">routing</th>
              <th scope="col">completion</th>
              <th scope="col">result</th>
            </tr>
          </thead>
          <tbody>
            {golden.checks.map((c) => (
              <tr key={c.prompt} data-testid="golden-row" data-pass={c.pass}>
                <td style={{ textAlign: 'left' }}>
                  <code>{c.prompt}</code>
                </td>
                <td>{c.logitsRelError.toExponential(1)}</td>
                <td>
                  {c.routingTokensMatched}/{c.routingTokens} tokens
                </td>
                <td style={{ textAlign: 'left' }}>
                  <code>{c.completion}</code>
                </td>
                <td className={c.pass ? 'ok' : 'bad'}>{c.pass ? '✔ same' : '✘ differs'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
