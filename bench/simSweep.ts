// `npm run bench:sim`: times the full sweep (189 simulations) and prints the median of
// several runs after a warm-up. Target: under 50 ms. Node runs the same V8 engine as Chromium;
// the simulator panel also shows the time the same sweep takes in the page.
import { performance } from 'node:perf_hooks';
import { benchSweep } from '../src/sim/benchSweep';

const RUNS = 20;
benchSweep(); // warm-up: JIT compilation
const times: number[] = [];
let points = 0;
let failed = 0;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const pts = benchSweep();
  times.push(performance.now() - t0);
  points = pts.length;
  failed = pts.filter((p) => !p.result).length;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)]!;
console.log(
  `simSweep: ${points} points (${failed} impossible layouts), median ${median.toFixed(2)} ms, min ${times[0]!.toFixed(2)} ms, max ${times[RUNS - 1]!.toFixed(2)} ms over ${RUNS} runs — target < 50 ms: ${median < 50 ? 'met' : 'MISSED'}`,
);
