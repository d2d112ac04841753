// The floor of each step on the GPU path — its counted dispatches × the per-dispatch cost plus
// its submissions × the per-submit cost — beside the step's measured time and the run's ITL, with
// how many floors the step took (src/viz/dispatchFloor.ts computes; this draws).
import { useMemo } from 'react';
import { LineChart } from '../../charts/LineChart';
import { OKABE_ITO, WORK_COLORS } from '../../charts/palette';
import type { StepTrace } from '../../engine/trace';
import { useDispatchCosts } from '../../engine/useDispatchCosts';
import { H200_COSTS, decodeFloor, floorSentence, fmtMs, stepFloors } from '../../viz/dispatchFloor';

export function DispatchFloor(props: {
  steps: readonly StepTrace[];
  itlMs: number | null;
  onGpu: boolean;
  adapter: string | null;
  ready: boolean;
}) {
  const costsQuery = useDispatchCosts(props.adapter, props.onGpu && props.ready);
  const costs = costsQuery.data ?? (costsQuery.isError ? H200_COSTS : null);
  const floors = useMemo(
    () =>
      costs
        ? stepFloors(
            props.steps.map((s) => ({
              step: s.step,
              phase: s.phase,
              stepMs: s.stepMs,
              dispatches: s.gpuDispatches ?? null,
              submits: s.gpuSubmits ?? null,
            })),
            costs,
          )
        : [],
    [props.steps, costs],
  );
  if (!props.onGpu)
    return (
      <p className="muted" data-testid="floor-none">
        The CPU path makes no GPU dispatches, so it has no dispatch floor; switch Backend to WebGPU
        to see how far a GPU step is from its own.
      </p>
    );
  if (!costs)
    return (
      <p className="muted" role="status" data-testid="floor-pending">
        Measuring what one dispatch and one submission cost on this GPU…
      </p>
    );
  const d = decodeFloor(floors, props.itlMs, costs);
  if (!d)
    return (
      <p className="muted" data-testid="floor-none">
        No counted decode step in this run yet (it needs two tokens or more), so no floor to set
        beside its ITL.
      </p>
    );
  return (
    <section className="dispatch-floor" data-testid="dispatch-floor" data-source={costs.source}>
      <table className="numbers">
        <caption>A decode step against its floor on this device</caption>
        <thead>
          <tr>
            <th scope="col">dispatches</th>
            <th scope="col">submissions</th>
            <th scope="col">per dispatch µs</th>
            <th scope="col">per submit µs</th>
            <th scope="col">floor ms</th>
            <th scope="col">measured ITL ms</th>
            <th scope="col">ITL / floor</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td data-testid="floor-dispatches">{d.dispatches}</td>
            <td data-testid="floor-submits">{d.submits}</td>
            <td>{d.costs.perDispatchUs.toFixed(1)}</td>
            <td>{d.costs.perSubmitUs.toFixed(1)}</td>
            <td data-testid="floor-ms">{fmtMs(d.floorMs)}</td>
            <td>{fmtMs(d.itlMs)}</td>
            <td data-testid="floor-ratio">{d.ratio.toFixed(d.ratio >= 10 ? 0 : 1)}×</td>
          </tr>
        </tbody>
      </table>
      <p data-testid="floor-sentence">
        {floorSentence(d)}
        {costsQuery.isError &&
          ` (The probe could not run here: ${costsQuery.error instanceof Error ? costsQuery.error.message : String(costsQuery.error)}.)`}
      </p>
      <LineChart
        title="Each step's time against its floor"
        testId="floor-chart"
        xLabel="step (0 = prefill)"
        xInteger
        yLabel="ms"
        yLog={floors.every((f) => f.floorMs > 0 && f.stepMs > 0)}
        series={[
          {
            name: 'measured step time',
            color: WORK_COLORS.step,
            points: floors.map((f) => ({ x: f.step, y: f.stepMs, label: `${f.phase}` })),
          },
          {
            name: 'floor: dispatches × cost + submits × cost',
            // Vermillion: no kind of work has it here, and it reads on white (yellow does not).
            color: OKABE_ITO[1],
            points: floors.map((f) => ({
              x: f.step,
              y: f.floorMs,
              label: `${f.dispatches} dispatches, ${f.submits} submits`,
            })),
          },
        ]}
      />
    </section>
  );
}
