// Words the Parallelism view prints beside its numbers, as plain data: what a run in progress is
// doing, and every figure quoted from the reference material with where it comes from, what it
// measured and how it compares with the figure on screen (so no number is left unexplained).

export type RunProgress = { label: string; steps: string[] };

/** What the virtual GPUs are doing while a run is in flight (the engine reports no fraction). */
export function runProgress(p: {
  gpus: number;
  strategy: string;
  source: 'model' | 'random';
  layer: number;
  /** A previous result stays on screen, dimmed, until this one lands. */
  showingPrevious: boolean;
}): RunProgress {
  const what =
    p.strategy === 'pp'
      ? 'the layer stack'
      : p.source === 'model'
        ? `layer ${p.layer} of the trained model`
        : 'the random layer';
  const gpus = `${p.gpus} virtual GPU${p.gpus === 1 ? '' : 's'}`;
  return {
    label: `Running ${what} on ${gpus}`,
    steps: [
      'give each virtual GPU its buffers and kernels (the first run also compiles them: seconds on a software GPU)',
      p.strategy === 'pp'
        ? 'pass the micro-batches stage to stage, each send a counted copy'
        : 'route, dispatch, run the experts and combine, GPU by GPU, each copy between them counted',
      'run the same layer unsharded and compare the outputs',
      ...(p.showingPrevious
        ? ['the figures below are the previous run’s until this one lands']
        : []),
    ],
  };
}

export type ReferenceFigure = {
  /** The figure as quoted. */
  value: string;
  /** Where it comes from: the document and the place in it. */
  source: string;
  /** What was measured, as far as the source says. */
  meaning: string;
  /** How it compares with the figure this view computes. */
  comparison: string;
};

/** The AMD MoE-inference slides' imbalance figure (references/moe-inference-slides-amd.txt). */
export const AMD_IMBALANCE: ReferenceFigure = {
  value: '33 %',
  source:
    'AMD’s MoE inference tutorial slides, slide “Impact on Performance” (after DeepSeek-V3’s token-to-expert distribution)',
  meaning:
    'DeepSeek-V3 served on several GPUs lost a third of its performance because its routing gave some GPUs’ experts more tokens than others (the slide names no batch size or GPU count)',
  comparison:
    'The same kind of loss as the figure above (time the other GPUs spend waiting for the busiest one’s experts), but for a whole model on real GPUs at serving batch sizes, not this one layer on these tokens.',
};

/** Why the imbalance loss reads 0 under TP, where every GPU computes every pair. */
export function tpNoImbalance(measured: boolean): string {
  return `TP cuts every expert across all GPUs, so each GPU computes a slice of every (token, expert) pair: routing cannot unbalance it, and no GPU waits for another’s experts.${measured ? ' The GPUs’ different measured times come from running the ranks one after another on one device (warm-up, noise), not from the routing.' : ''}`;
}
