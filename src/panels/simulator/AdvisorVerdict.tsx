// The strategy advisor's verdict for the chosen goal, with the ranking behind it.
import type { Advice } from '../../sim/advisor';
import { fmtMs, fmtRate } from './format';

export function AdvisorVerdict({ advice }: { advice: Advice }) {
  return (
    <section aria-labelledby="sim-advisor-h" className="sim-advisor">
      <h3 id="sim-advisor-h">
        Strategy advisor — best for {advice.goal === 'cost' ? 'per-GPU cost' : advice.goal}
      </h3>
      <p data-testid="sim-advice" data-best={advice.best ? advice.best.strategy : ''}>
        {advice.why}
      </p>
      {advice.ranked.length > 0 && (
        // A region that scrolls sideways on a phone must be reachable by keyboard.
        <div
          className="sim-table-scroll"
          tabIndex={0}
          role="region"
          aria-label="Strategies ranked for this goal"
        >
          <table className="numbers sim-ranking">
            <thead>
              <tr>
                <th scope="col">Strategy</th>
                <th scope="col">GPUs</th>
                <th scope="col">Output tok/s</th>
                <th scope="col">tok/s per GPU</th>
                <th scope="col">E2E</th>
                <th scope="col">Bottleneck</th>
              </tr>
            </thead>
            <tbody>
              {advice.ranked.slice(0, 6).map((c) => (
                <tr key={`${c.strategy}-${c.gpus}`}>
                  <td>
                    {c.strategy}
                    {c.strategy === 'tp-ep' ? ` (${c.tp}×${c.ep})` : ''}
                  </td>
                  <td>{c.gpus}</td>
                  <td>{fmtRate(c.result!.outputTokensPerS)}</td>
                  <td>{fmtRate(c.result!.tokensPerSPerGpu)}</td>
                  <td>{fmtMs(c.result!.e2eMs)}</td>
                  <td>{c.result!.bottleneck}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
