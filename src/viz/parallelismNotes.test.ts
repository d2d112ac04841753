import { describe, expect, it } from 'vitest';
import { AMD_IMBALANCE, runProgress, tpNoImbalance } from './parallelismNotes';

describe('the Parallelism view’s notes', () => {
  it('says what a run in flight is doing, for a layer or the pipeline', () => {
    const ep = runProgress({
      gpus: 4,
      strategy: 'ep',
      source: 'model',
      layer: 1,
      showingPrevious: false,
    });
    expect(ep.label).toBe('Running layer 1 of the trained model on 4 virtual GPUs');
    expect(ep.steps).toHaveLength(3);
    expect(ep.steps.at(-1)).toMatch(/unsharded/);
    const pp = runProgress({
      gpus: 1,
      strategy: 'pp',
      source: 'random',
      layer: 0,
      showingPrevious: true,
    });
    expect(pp.label).toBe('Running the layer stack on 1 virtual GPU');
    expect(pp.steps.join(' ')).toMatch(/micro-batches/);
    expect(pp.steps.at(-1)).toMatch(/previous run/);
  });

  it('quotes the slides’ 33 % with its source, its meaning and how it compares', () => {
    expect(AMD_IMBALANCE.value).toBe('33 %');
    expect(AMD_IMBALANCE.source).toMatch(/AMD/);
    expect(AMD_IMBALANCE.source).toMatch(/Impact on Performance/);
    expect(AMD_IMBALANCE.meaning).toMatch(/DeepSeek-V3.*routing/);
    expect(AMD_IMBALANCE.comparison).toMatch(/waiting for the busiest/);
  });

  it('says why TP loses nothing to imbalance, and where measured differences come from', () => {
    expect(tpNoImbalance(false)).toMatch(/routing cannot unbalance/);
    expect(tpNoImbalance(false)).not.toMatch(/measured/);
    expect(tpNoImbalance(true)).toMatch(/one device/);
  });
});
