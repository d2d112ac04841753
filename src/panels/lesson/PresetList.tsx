// The one-click scenarios in the lesson, as buttons with a sentence each, and under each the
// published figure it is built on beside the simulator's own number at its settings (computed
// here by running the simulator, scenarioSources.ts). The header's menu (PresetMenu) runs the
// same preset data through the same runner.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Preset } from '../../lesson/lessonAction';
import { PRESETS } from '../../lesson/presets';
import {
  AGREES_WITHIN,
  cardSource,
  compareAllScenarios,
  figureSentence,
  type FigureComparison,
  type ScenarioComparison,
} from '../../lesson/scenarioSources';
import { fetchModelIndex } from '../../model/loader';
import { runPreset } from './runPreset';

const num = (v: number) =>
  v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2);

function verdict(c: FigureComparison): { text: string; tone: 'ok' | 'near' | 'off' } {
  const off = Math.max(c.ratio, 1 / c.ratio);
  if (off <= AGREES_WITHIN) return { text: 'agrees', tone: 'ok' };
  return c.inBand
    ? {
        text: `in band ${c.figure.band.low.toFixed(2)}–${c.figure.band.high.toFixed(2)}×`,
        tone: 'near',
      }
    : { text: 'far off', tone: 'off' };
}

function SimulatedSource({ comparison: c }: { comparison: ScenarioComparison }) {
  const { source } = c;
  const agrees = (f: FigureComparison) => Math.max(f.ratio, 1 / f.ratio) <= AGREES_WITHIN;
  // A figure outside its band is said in the open; one inside it but not agreeing, on request.
  const farOff = c.figures?.filter((f) => !f.inBand) ?? [];
  const near = c.figures?.filter((f) => f.inBand && !agrees(f)) ?? [];
  return (
    <div className="scenario-source" data-testid={`scenario-source-${source.presetId}`}>
      <p className="muted">
        Source:{' '}
        <a href={source.url} target="_blank" rel="noreferrer">
          {source.citation}
        </a>
      </p>
      {c.figures ? (
        <table className="scenario-figures">
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col">Source</th>
              <th scope="col">Simulator</th>
              <th scope="col">Sim ÷ source</th>
            </tr>
          </thead>
          <tbody>
            {c.figures.map((f) => {
              const v = verdict(f);
              return (
                <tr
                  key={f.figure.id}
                  title={figureSentence(f)}
                  data-testid={`scenario-figure-${source.presetId}-${f.figure.id}`}
                  data-ratio={f.ratio}
                  data-in-band={f.inBand}
                >
                  <th scope="row">
                    {f.figure.what.includes(f.figure.unit)
                      ? f.figure.what
                      : `${f.figure.what}, ${f.figure.unit}`}
                  </th>
                  <td>{num(f.figure.published)}</td>
                  <td>{num(f.simulated)}</td>
                  <td className={`scenario-ratio scenario-ratio-${v.tone}`}>
                    {f.ratio.toFixed(2)}× — {v.text}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p role="alert">The simulator cannot run this scenario’s layout: {c.error}</p>
      )}
      {farOff.map((f) => (
        <p className="scenario-why scenario-ratio-off" key={f.figure.id}>
          {figureSentence(f)}
        </p>
      ))}
      <p className="muted">Operating point: {source.operatingPoint(c.settings)}</p>
      <details className="scenario-why">
        <summary>Source’s conditions, and why each band</summary>
        <p className="muted">{source.conditions}</p>
        {near.map((f) => (
          <p className="muted" key={f.figure.id}>
            {figureSentence(f)}
          </p>
        ))}
      </details>
    </div>
  );
}

function CardSourceLine({ preset }: { preset: Preset }) {
  const source = cardSource(preset.id);
  const index = useQuery({
    queryKey: ['model-index'],
    queryFn: () => fetchModelIndex(`${import.meta.env.BASE_URL}models/index.json`),
  });
  if (!source) return null;
  const modelId = preset.changes.model;
  const entry = index.data?.models.find((m) => m.id === modelId);
  const acc = entry?.mean_accuracy;
  return (
    <p className="muted scenario-source" data-testid={`scenario-source-${preset.id}`}>
      Source: {source.citation}
      {entry && typeof acc === 'number'
        ? `: ${modelId} answers ${(acc * 100).toFixed(1)}% of its held-out prompts at top-${entry.top_k}`
        : index.isError
          ? ' (the models index could not be read)'
          : ''}
      ; {source.conditions}.
    </p>
  );
}

export function PresetList() {
  // The simulator runs once per scenario (a few ms each) when the list first shows.
  const comparisons = useMemo(() => compareAllScenarios(), []);
  return (
    <section className="lesson-presets" aria-labelledby="lesson-presets-title">
      <h3 id="lesson-presets-title">One-click scenarios</h3>
      <ul>
        {PRESETS.map((p) => {
          const c = comparisons.find((x) => x.source.presetId === p.id);
          return (
            <li key={p.id}>
              <button
                type="button"
                onClick={() => void runPreset(p)}
                data-testid={`preset-${p.id}`}
              >
                {p.title}
              </button>{' '}
              <span className="muted">{p.summary}</span>
              {c ? <SimulatedSource comparison={c} /> : <CardSourceLine preset={p} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
