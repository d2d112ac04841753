import { describe, expect, it } from 'vitest';
import { CHAPTERS } from './chapters';
import { measureLabel, type MeasureId } from './measures';
import {
  changeBy,
  deviceReason,
  direction,
  isSoftwareGpu,
  outcomeSentence,
  type DeviceContext,
  type Measured,
} from './outcomeSentence';

/** One measured line as the runner gives it: the texts shown and the numbers behind them. */
function line(
  id: MeasureId,
  before: string,
  after: string,
  b: number | null,
  a: number | null,
  of: [number, number] | null = null,
): Measured {
  return {
    id,
    label: measureLabel(id),
    before,
    after,
    beforeValue: b === null ? null : { value: b, of: of ? of[0] : null },
    afterValue: a === null ? null : { value: a, of: of ? of[1] : null },
  };
}
const ms = (v: number) => `${v.toFixed(2)} ms`;
const timed = (id: MeasureId, b: number, a: number) => line(id, ms(b), ms(a), b, a);
const missingLine = (id: MeasureId) => line(id, '—', '—', null, null);

const REAL_GPU: DeviceContext = { backend: 'webgpu', adapter: 'nvidia · ada' };
const SWIFTSHADER: DeviceContext = { backend: 'webgpu', adapter: 'google · swiftshader' };
const CPU: DeviceContext = { backend: 'cpu', adapter: null };

describe('the helpers', () => {
  it('changeBy writes factors above 1.5× and signed percentages below', () => {
    expect(changeBy(1.2, 3.12)).toBe('2.6×');
    expect(changeBy(1, 12)).toBe('12×');
    expect(changeBy(100, 124)).toBe('+24%');
    expect(changeBy(4.5, 3.4)).toBe('−24%');
    expect(changeBy(100, 100.2)).toBe('under 1%');
    expect(changeBy(0, 5)).toBe('up from zero');
    expect(changeBy(0, 0)).toBe('no change');
  });

  it('direction ignores differences within the tolerance', () => {
    expect(direction(100, 104, 0.05)).toBe(0);
    expect(direction(100, 106, 0.05)).toBe(1);
    expect(direction(100, 94, 0.05)).toBe(-1);
    expect(direction(0, 0, 0.05)).toBe(0);
    expect(direction(0, 1, 0.05)).toBe(1);
  });

  it('recognises software GPUs by their adapter text', () => {
    expect(isSoftwareGpu('google · swiftshader')).toBe(true);
    expect(isSoftwareGpu('mesa · llvmpipe')).toBe(true);
    expect(isSoftwareGpu('nvidia · ada')).toBe(false);
    expect(isSoftwareGpu(null)).toBe(false);
  });

  it('deviceReason names the software GPU or the CPU path, and nothing for a real GPU', () => {
    expect(deviceReason(SWIFTSHADER)).toMatch(/google · swiftshader.*software GPU/);
    expect(deviceReason(CPU)).toMatch(/CPU path.*WebAssembly/);
    expect(deviceReason(REAL_GPU)).toBeNull();
    expect(deviceReason({ backend: null, adapter: null })).toBeNull();
  });
});

describe('chapter 1, dense vs MoE', () => {
  const k = line('expertsPerToken', '2 of 8', '8 of 8', 2, 8, [8, 8]);
  const same = line('answer', '"82"', '"82"', null, null);

  it('says the MoE time grew, by the computed factor, when it did', () => {
    const s = outcomeSentence('dense-vs-moe', [k, timed('moeMsPerToken', 1.2, 3.12), same], CPU);
    expect(s.verdict).toBe('expected');
    expect(s.text).toContain('1.20 ms → 3.12 ms');
    expect(s.text).toContain('2.6×');
    expect(s.text).toContain('The answer stayed the same.');
    expect(s.text).not.toMatch(/CPU path/);
  });

  it('says when the time grew far less than the work, and why', () => {
    const s = outcomeSentence('dense-vs-moe', [k, timed('moeMsPerToken', 1, 1.3)], REAL_GPU);
    expect(s.verdict).toBe('expected');
    expect(s.text).toContain('+30%');
    expect(s.text).toMatch(/less than the 4× as many experts.*fixed costs/);
  });

  it('says it barely changed on a software GPU, and why', () => {
    const s = outcomeSentence('dense-vs-moe', [k, timed('moeMsPerToken', 2, 2.04)], SWIFTSHADER);
    expect(s.verdict).toBe('flat');
    expect(s.text).toMatch(/barely changed/);
    expect(s.text).toContain('4× as many experts');
    expect(s.text).toMatch(/swiftshader.*software GPU/);
    expect(s.text).not.toMatch(/pays for the k experts/);
  });

  it('says plainly when the time fell — the reverse — and does not call it a saving', () => {
    const answer = line('answer', '"82"', '"8"', null, null);
    const s = outcomeSentence('dense-vs-moe', [k, timed('moeMsPerToken', 2, 1.5), answer], CPU);
    expect(s.verdict).toBe('reversed');
    expect(s.text).toMatch(/fell/);
    expect(s.text).toContain('−25%');
    expect(s.text).toMatch(/opposite of what the chapter teaches/);
    expect(s.text).toMatch(/CPU path/);
    expect(s.text).toContain('The answer changed ("82" → "8")');
  });

  it('makes no claim when the time was not measured', () => {
    const s = outcomeSentence('dense-vs-moe', [k, missingLine('moeMsPerToken')], CPU);
    expect(s.verdict).toBe('missing');
    expect(s.text).toMatch(/measurement is missing/);
    expect(s.text).not.toMatch(/grew|fell|barely/);
  });
});

describe('chapter 2, gating', () => {
  it('confirms one expert with weight 1 from the numbers', () => {
    const s = outcomeSentence(
      'gating',
      [
        line('expertsPerToken', '2 of 8', '1 of 8', 2, 1, [8, 8]),
        line('topWeight', '0.625', '1.000', 0.625, 1),
      ],
      CPU,
    );
    expect(s.verdict).toBe('expected');
    expect(s.text).toContain('1 expert instead of 2');
    expect(s.text).toContain('1.000 (it was 0.625)');
  });

  it('does not claim weight 1 when the measured weight is not 1', () => {
    const s = outcomeSentence(
      'gating',
      [
        line('expertsPerToken', '2 of 8', '1 of 8', 2, 1, [8, 8]),
        line('topWeight', '0.625', '0.900', 0.625, 0.9),
      ],
      CPU,
    );
    expect(s.verdict).toBe('partial');
    expect(s.text).toMatch(/0\.900, not 1/);
  });

  it('says when top-1 did not happen, and when nothing was measured', () => {
    const s = outcomeSentence(
      'gating',
      [
        line('expertsPerToken', '8 of 8', '8 of 8', 8, 8, [8, 8]),
        line('topWeight', '0.2', '0.2', 0.2, 0.2),
      ],
      CPU,
    );
    expect(s.verdict).toBe('flat');
    expect(s.text).toMatch(/not to 1/);
    expect(outcomeSentence('gating', [missingLine('expertsPerToken')], CPU).verdict).toBe(
      'missing',
    );
  });
});

describe('chapter 3, batching', () => {
  it('computes the padding shares before and after', () => {
    const s = outcomeSentence(
      'batching',
      [line('padding', '24 of 48 rows', '424 of 448 rows', 24, 424, [48, 448])],
      CPU,
    );
    expect(s.verdict).toBe('expected');
    expect(s.text).toContain('24 of 48 rows (50.0%)');
    expect(s.text).toContain('424 of 448 rows (94.6%)');
    expect(s.text).toMatch(/most of the grouped GEMM/);
  });

  it('gives the share, not "most", when padding is under half', () => {
    const s = outcomeSentence(
      'batching',
      [line('padding', '2 of 40 rows', '30 of 100 rows', 2, 30, [40, 100])],
      CPU,
    );
    expect(s.text).toContain('30.0% of the grouped GEMM');
    expect(s.text).not.toMatch(/most/);
  });

  it('says when padding did not grow, and when it is missing', () => {
    const s = outcomeSentence(
      'batching',
      [line('padding', '0 of 64 rows', '0 of 64 rows', 0, 0, [64, 64])],
      CPU,
    );
    expect(s.verdict).toBe('flat');
    expect(s.text).toMatch(/do not show the growth/);
    const m = outcomeSentence('batching', [missingLine('padding')], CPU);
    expect(m.verdict).toBe('missing');
    expect(m.text).toContain('padding rows in the grouped GEMM: — → —');
  });
});

describe('chapter 4, the grouped GEMM (simulated)', () => {
  const tps = (b: number, a: number) => line('simThroughput', `${b} tok/s`, `${a} tok/s`, b, a);

  it('reports the slower unfused step as the simulator’s figure', () => {
    const s = outcomeSentence(
      'grouped-gemm',
      [timed('simItl', 10, 12.5), tps(800, 640)],
      SWIFTSHADER,
    );
    expect(s.verdict).toBe('expected');
    expect(s.text).toContain('10.00 ms → 12.50 ms, +25%');
    expect(s.text).toContain('throughput 800 tok/s → 640 tok/s');
    expect(s.text).toMatch(/simulator’s figures.*not a run on this device/);
    expect(s.text).not.toMatch(/swiftshader/i);
  });

  it('says when the simulator prices the unfused kernels as faster or the same', () => {
    const r = outcomeSentence('grouped-gemm', [timed('simItl', 10, 9), tps(800, 880)], CPU);
    expect(r.verdict).toBe('reversed');
    expect(r.text).toMatch(/as faster.*opposite/);
    const f = outcomeSentence('grouped-gemm', [timed('simItl', 10, 10.01), tps(800, 800)], CPU);
    expect(f.verdict).toBe('flat');
    expect(f.text).toMatch(/about the same/);
  });
});

describe('chapter 5, load balance (simulated)', () => {
  const imb = (b: number, a: number) =>
    line('simImbalance', `${b.toFixed(1)}%`, `${a.toFixed(1)}%`, b, a);

  it('reports the waiting share and the ITL it costs', () => {
    const s = outcomeSentence('load-balance', [imb(0, 21.3), timed('simItl', 10, 12.7)], REAL_GPU);
    expect(s.verdict).toBe('expected');
    expect(s.text).toContain('from 0.0% to 21.3%');
    expect(s.text).toContain('ITL rises (10.00 ms → 12.70 ms, +27%)');
  });

  it('is partial when waiting grows but ITL does not, and flat with no extra waiting', () => {
    const p = outcomeSentence('load-balance', [imb(0, 5), timed('simItl', 10, 10)], CPU);
    expect(p.verdict).toBe('partial');
    expect(p.text).toMatch(/does not rise/);
    const f = outcomeSentence('load-balance', [imb(3, 3), timed('simItl', 10, 10)], CPU);
    expect(f.verdict).toBe('flat');
    expect(f.text).toMatch(/no extra waiting/);
    expect(outcomeSentence('load-balance', [imb(5, 2)], CPU).verdict).toBe('reversed');
  });
});

describe('chapter 6, parallelism (simulated)', () => {
  const comm = (b: number, a: number) =>
    line('simComm', `${b.toFixed(1)}%`, `${a.toFixed(1)}%`, b, a);

  it('says which layout is faster, from the numbers', () => {
    const slower = outcomeSentence('parallelism', [comm(12, 25.3), timed('simItl', 10, 13)], CPU);
    expect(slower.verdict).toBe('expected');
    expect(slower.text).toContain('TP is slower here (+30%)');
    const faster = outcomeSentence('parallelism', [comm(12, 8), timed('simItl', 10, 8)], CPU);
    expect(faster.text).toContain('TP is faster here (−20%)');
    const even = outcomeSentence('parallelism', [comm(12, 8), timed('simItl', 10, 10)], CPU);
    expect(even.text).toContain('about as fast as EP');
  });

  it('says when the communication share did not move, and when it is missing', () => {
    const s = outcomeSentence('parallelism', [comm(12, 12), timed('simItl', 10, 11)], CPU);
    expect(s.verdict).toBe('flat');
    expect(outcomeSentence('parallelism', [comm(12, 8), missingLine('simItl')], CPU).verdict).toBe(
      'missing',
    );
  });
});

describe('chapter 7, serving', () => {
  const req = line('requests', '1', '4', 1, 4);
  const thr = (b: number, a: number) =>
    line('throughput', `${b.toFixed(1)} tok/s`, `${a.toFixed(1)} tok/s`, b, a);
  const ttft = timed('ttft', 400, 420);

  it('reports a rise in throughput on a real GPU as the chapter teaches', () => {
    const s = outcomeSentence('serving', [req, thr(20, 70), timed('itl', 50, 57), ttft], REAL_GPU);
    expect(s.verdict).toBe('expected');
    expect(s.text).toContain('Serving 4 requests together raised throughput 3.5×');
    expect(s.text).toContain('ITL went 50.00 ms → 57.00 ms (+14%)');
    expect(s.text).toMatch(/only a little longer/);
  });

  it('does not say "a little" when ITL grew a lot', () => {
    const s = outcomeSentence('serving', [req, thr(20, 40), timed('itl', 50, 100)], REAL_GPU);
    expect(s.verdict).toBe('expected');
    expect(s.text).not.toMatch(/a little/);
    expect(s.text).toMatch(/noticeably longer/);
  });

  it('says plainly when batching lowered throughput, and why: attention not batched, SwiftShader', () => {
    const s = outcomeSentence('serving', [req, thr(4.5, 3.4), timed('itl', 138, 558), ttft], {
      ...SWIFTSHADER,
      ortCallsPerToken: { before: 5, after: 17 },
    });
    expect(s.verdict).toBe('reversed');
    expect(s.text).toContain('throughput went 4.5 tok/s → 3.4 tok/s (−24%)');
    expect(s.text).toContain('ITL went 138.00 ms → 558.00 ms (4.0×)');
    expect(s.text).toMatch(/attention runs once per request \(calls per token 5 → 17\)/);
    expect(s.text).toMatch(/swiftshader.*software GPU/);
    expect(s.text).not.toMatch(/raised throughput/);
  });

  it('with the decode batched (calls per token flat) does not say attention runs per request', () => {
    const s = outcomeSentence('serving', [req, thr(4.5, 4.4), timed('itl', 138, 560), ttft], {
      ...SWIFTSHADER,
      ortCallsPerToken: { before: 4.2, after: 4.4 },
    });
    expect(s.verdict).toBe('flat');
    expect(s.text).toMatch(/one call per layer \(calls per token 4 → 4\)/);
    expect(s.text).not.toMatch(/once per request/);
    expect(s.text).toMatch(/several times the work, and this GPU is .*software GPU/);
  });

  it('on the CPU path with flat throughput names the CPU, and leaves out calls it lacks', () => {
    const s = outcomeSentence('serving', [req, thr(10, 10.2), timed('itl', 100, 380)], CPU);
    expect(s.verdict).toBe('flat');
    expect(s.text).toMatch(/did not raise throughput/);
    expect(s.text).toMatch(/CPU path/);
    expect(s.text).not.toMatch(/calls per token/);
  });

  it('makes no claim without throughput or ITL', () => {
    const s = outcomeSentence(
      'serving',
      [req, missingLine('throughput'), missingLine('itl')],
      REAL_GPU,
    );
    expect(s.verdict).toBe('missing');
    expect(s.text).toContain('output tokens/s (all requests): — → —');
  });
});

describe('chapter 8, at scale (simulated)', () => {
  const mem = (b: number, a: number) =>
    line('simMemory', `${b.toFixed(1)} GB`, `${a.toFixed(1)} GB`, b, a);

  it('reports less memory and a faster decode, computed', () => {
    const s = outcomeSentence('at-scale', [mem(80, 44), timed('simItl', 20, 12)], CPU);
    expect(s.verdict).toBe('expected');
    expect(s.text).toContain('80.0 GB → 44.0 GB (−45%)');
    expect(s.text).toContain('20.00 ms → 12.00 ms (−40%)');
  });

  it('says when the decode is not faster, and when memory did not fall', () => {
    const p = outcomeSentence('at-scale', [mem(80, 44), timed('simItl', 20, 20)], CPU);
    expect(p.verdict).toBe('partial');
    expect(p.text).toMatch(/is not faster/);
    expect(p.text).not.toMatch(/reads fewer bytes/);
    const r = outcomeSentence('at-scale', [mem(40, 44), timed('simItl', 20, 21)], CPU);
    expect(r.verdict).toBe('reversed');
    expect(r.text).toMatch(/did not fall/);
  });
});

describe('any chapter', () => {
  it('with nothing measured (the engine failed) says the measurement is missing', () => {
    for (const c of CHAPTERS) {
      const s = outcomeSentence(c.id, [], REAL_GPU);
      expect(s.verdict, c.id).toBe('missing');
      expect(s.text, c.id).toMatch(/measurement is missing/);
    }
  });

  it('with every measure missing makes no claim for any chapter', () => {
    for (const c of CHAPTERS) {
      const s = outcomeSentence(c.id, c.tryThis.measures.map(missingLine), CPU);
      expect(s.verdict, c.id).toBe('missing');
    }
  });

  it('an unknown action lists each measured change, computed', () => {
    const s = outcomeSentence('some-preset', [timed('itl', 10, 20)], CPU);
    expect(s.text).toBe('Measured: inter-token latency 10.00 ms → 20.00 ms (2.0×).');
  });

  it('the chapter texts make no numeric promise the run can contradict', () => {
    for (const c of CHAPTERS) {
      const all = [...c.text, c.tryThis.lookAt].join(' ');
      expect(all, c.id).not.toMatch(
        /price of one|gets slower|fused kernel wins|faster, memory-bound/,
      );
    }
  });
});
