// What every benchmark hands back, whatever it measured and wherever it ran (Node + Dawn, the
// user's browser, headless Chromium): sections of rows the CLI prints as Markdown and the
// Performance panel draws as tables, a chart of the headline ratios, and the issue-9 targets.
// Pure data: no GPU or React types, so reports are JSON-safe and can be compared across machines.

export type Cell = string | number | null;

export type BenchSection = {
  id: string;
  title: string;
  columns: string[];
  /** One array per row, aligned with `columns`; null prints as "—". */
  rows: Cell[][];
  /** Definitions and caveats printed under the table. */
  notes: string[];
};

export type ChartGroup = {
  label: string;
  /** One bar per series; null where that series was not measured. */
  values: (number | null)[];
};

export type BenchChart = {
  title: string;
  /** What the bar lengths are, e.g. "GPU ms (log scale)". */
  unit: string;
  series: string[];
  groups: ChartGroup[];
  log: boolean;
};

/** A chart's unit without its scale note ("µs, log scale" → "µs"), for labels beside numbers. */
export function plainUnit(chart: Pick<BenchChart, 'unit'>): string {
  return chart.unit.replace(/,? ?\(?log scale\)?/, '');
}

export type TargetStatus = 'met' | 'missed' | 'not measured';
export type Target = { target: string; status: TargetStatus; detail: string };

export type BenchReport = {
  /** Which benchmark: 'layer' (MoE layer + floors + ORT), 'align', 'model' (whole model). */
  kind: BenchKind;
  size: BenchSize;
  startedIso: string;
  finishedIso: string;
  /** The adapter, in words ("nvidia hopper …", "google swiftshader …"). */
  device: string;
  /** Where it ran: 'node-dawn' or the browser's user agent. */
  runtime: string;
  sections: BenchSection[];
  charts: BenchChart[];
  targets: Target[];
  /** Which issue states the targets (absent: issue 9, the MoE layer's). */
  targetsFrom?: string;
  /** The raw measurements, for the JSON file. */
  raw: unknown;
};

export type BenchKind = 'layer' | 'align' | 'model';
/** quick: small shapes (SwiftShader, a laptop in class); full: the real-model shapes (a big GPU). */
export type BenchSize = 'quick' | 'full';

/** A benchmark the engine runs on its own device (the Performance panel's Run button). */
export type BenchRequest = {
  kind: BenchKind;
  size: BenchSize;
  /** Absolute URL of the model pack folder (the whole-model benchmark). */
  packUrl: string;
  /** Absolute URL of the folder holding onnxruntime-web's wasm runtime. */
  ortWasmBase: string;
  /** Which browser, in words, for the report's runtime line. */
  runtime: string;
  /** The layer benchmark's shapes: names matched as in `--only` (absent: all). */
  shapes?: string[];
};

export type BenchProgress = { message: string; /** 0..1 */ fraction: number };

export type BenchHooks = {
  onProgress?: (p: BenchProgress) => void;
  /** Checked between measurements; an aborted run rejects with BenchCancelled. */
  signal?: AbortSignal;
};

export class BenchCancelled extends Error {
  constructor() {
    super('The benchmark was cancelled.');
    this.name = 'BenchCancelled';
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BenchCancelled();
}
