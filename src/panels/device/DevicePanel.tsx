// Which GPU and backend the lab runs on, its limits, and a real compute shader checked
// against the CPU — all run by the engine on its one device (the page holds none).
import { useQuery } from '@tanstack/react-query';
import { QueryState } from '../../components/QueryState';
import { backendLabel, type GpuInfo } from '../../gpu/gpuInfo';
import { engine } from '../../engine/engineHost';
import { useEngineGpu } from '../../engine/useEngineGpu';
import { KernelCheck } from './KernelCheck';

const fmtBytes = (b: number) =>
  b >= 2 ** 30
    ? `${(b / 2 ** 30).toFixed(1)} GiB`
    : b >= 2 ** 20
      ? `${(b / 2 ** 20).toFixed(0)} MiB`
      : `${(b / 1024).toFixed(0)} KiB`;

function AdapterTable({ info }: { info: GpuInfo }) {
  const rows: [string, string][] = [
    ['Vendor', info.vendor],
    ['Architecture', info.architecture || '—'],
    ['Device', info.device || info.description || '—'],
    ['Software (fallback) adapter', info.isFallbackAdapter ? 'yes — correct but slow' : 'no'],
    ['timestamp-query (GPU timings)', info.features.timestampQuery ? 'yes' : 'no'],
    ['shader-f16 (half precision)', info.features.shaderF16 ? 'yes' : 'no'],
    ['subgroups', info.features.subgroups ? 'yes' : 'no'],
    ['Max storage binding', fmtBytes(info.limits.maxStorageBufferBindingSize)],
    ['Max buffer', fmtBytes(info.limits.maxBufferSize)],
    ['Workgroup memory', fmtBytes(info.limits.maxComputeWorkgroupStorageSize)],
    ['Invocations per workgroup', String(info.limits.maxComputeInvocationsPerWorkgroup)],
    ['Workgroups per dimension', String(info.limits.maxComputeWorkgroupsPerDimension)],
  ];
  return (
    <table className="kv" data-testid="adapter-table">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SelfTest() {
  const query = useQuery({
    queryKey: ['gpu-self-test'],
    queryFn: () => engine().selfTest(),
    retry: false,
  });
  return (
    <section aria-labelledby="selftest-h">
      <h3 id="selftest-h">Compute self-test</h3>
      <p>
        A WGSL shader computes{' '}
        <code>
          out[i] = 2·Σ<sub>j≤i</sub> in[j] + 1
        </code>{' '}
        over <code>in = 1, 2, …, 256</code> (a workgroup prefix sum, the building block of the MoE
        permutation) and the CPU checks every value.
      </p>
      <QueryState query={query} what="the GPU self-test">
        {(r) => (
          <div data-testid="selftest-result" data-matches={r.matches} data-n={r.n}>
            <p className={r.matches === r.n ? 'ok' : 'bad'}>
              {r.matches === r.n ? '✔' : '✘'} {r.matches} of {r.n} values match the CPU (max error{' '}
              {r.maxAbsError}) in {r.ms.toFixed(1)} ms.
            </p>
            <table className="numbers">
              <thead>
                <tr>
                  <th scope="col">i</th>
                  <th scope="col">in[i]</th>
                  <th scope="col">GPU out[i]</th>
                  <th scope="col">CPU out[i]</th>
                </tr>
              </thead>
              <tbody>
                {[0, 1, 2, 3, 127, 255]
                  .filter((i) => i < r.n)
                  .map((i) => (
                    <tr key={i} data-testid="selftest-row" data-index={i}>
                      <td>{i}</td>
                      <td>{r.input[i]}</td>
                      <td data-testid="selftest-gpu">{r.gpu[i]}</td>
                      <td>{r.cpu[i]}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </section>
  );
}

export default function DevicePanel() {
  const gpu = useEngineGpu();
  return (
    <QueryState query={gpu} what="the GPU">
      {(status) => (
        <div className="device-panel">
          <p>
            Backend in use: <strong data-testid="backend">{backendLabel(status)}</strong>
          </p>
          {status.kind === 'webgpu' ? (
            <>
              <AdapterTable info={status.info} />
              <SelfTest />
              <KernelCheck />
            </>
          ) : (
            <p>
              {status.reason} {status.detail}
            </p>
          )}
        </div>
      )}
    </QueryState>
  );
}
