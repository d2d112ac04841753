// Fidelity: does this browser's engine reproduce the exporter's logits and routing?
import { checkGoldenOutputs } from '../../engine/engineActions';
import { GOLDEN_LOGITS_TOLERANCE } from '../../engine/golden';
import { useRunStore } from '../../engine/runStore';
import { loadKey } from './precisionCost';
import { recordGolden } from './precisionStore';

/** Runs the check at the model as trained and keeps it as the f32 golden error too. */
async function checkAsTrained(): Promise<void> {
  const report = await checkGoldenOutputs();
  if (report) recordGolden(loadKey(useRunStore.getState()), report);
}

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
        onClick={() => void checkAsTrained()}
        disabled={status !== 'ready'}
        data-testid="check-golden"
      >
        Check against the exporter
      </button>
      {golden && (
        <table
          className="numbers"
          data-testid="golden-table"
          data-backend={golden.backend}
          data-precision={golden.expertPrecision ?? 'f32'}
        >
          {(golden.expertPrecision ?? 'f32') !== 'f32' && (
            <caption>
              With the experts at {golden.expertPrecision} (the other knobs as trained): the
              exporter computed in f32, so the tolerance measures what the precision costs.
            </caption>
          )}
          <thead>
            <tr>
              <th scope="col">prompt</th>
              <th scope="col">logits max |Δ|</th>
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
                <td>{c.logitsMaxAbs.toExponential(1)}</td>
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
