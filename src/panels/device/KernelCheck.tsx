// Every MoE kernel run on this device against its TypeScript twin, on fresh random inputs.
import { useQuery } from '@tanstack/react-query';
import { QueryState } from '../../components/QueryState';
import { engine } from '../../engine/engineHost';

const fmtErr = (e: number) => (e === 0 ? '0' : Number.isFinite(e) ? e.toExponential(1) : '∞');

export function KernelCheck() {
  const query = useQuery({
    queryKey: ['kernel-check'],
    queryFn: () => engine().kernelCheck(),
    retry: false,
    staleTime: Infinity,
  });
  return (
    <section aria-labelledby="kernel-check-h">
      <h3 id="kernel-check-h">MoE kernels vs their CPU twins</h3>
      <p>
        Each WGSL kernel of the MoE layer runs here on random inputs (outputs poisoned first, so an
        unwritten element fails) and is compared with its plain-TypeScript twin. Error is{' '}
        <code>max|GPU − twin| / max|twin|</code>; f32 passes under 10⁻⁵, f16 under 10⁻²; align must
        match exactly, up to the order of tokens inside an expert.
      </p>
      <QueryState query={query} what="the kernel check">
        {(rows) => (
          <table
            className="numbers"
            data-testid="kernel-check"
            data-all-pass={rows.every((r) => r.pass)}
          >
            <thead>
              <tr>
                <th scope="col">case</th>
                <th scope="col">kernel</th>
                <th scope="col">size</th>
                <th scope="col">max rel. error</th>
                <th scope="col">result</th>
                <th scope="col">GPU ms</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={`${r.case}/${r.kernel}`}
                  data-kernel={`${r.case}/${r.kernel}`}
                  data-pass={r.pass}
                  title={r.detail}
                >
                  <td>{r.case}</td>
                  <td>{r.kernel}</td>
                  <td>{r.size}</td>
                  <td>{fmtErr(r.maxRelError)}</td>
                  <td className={r.pass ? 'ok' : 'bad'}>{r.pass ? '✔ pass' : '✘ fail'}</td>
                  <td>{r.gpuMs === null ? '—' : r.gpuMs.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}
