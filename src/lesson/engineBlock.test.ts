import { describe, expect, it } from 'vitest';
import { engineBlock } from './engineBlock';

describe('what a lesson run says while the engine is busy', () => {
  it('runs when the engine holds a model, after whatever job it is doing', () => {
    expect(engineBlock('ready', null)).toBeNull();
    expect(engineBlock('running', null)).toBeNull();
    expect(engineBlock('evaluating', null)).toBeNull();
    expect(engineBlock('idle', null)).toBe('Loading the model…');
    expect(engineBlock('loading', null)).toBe('Loading the model…');
  });

  it('does not call a GPU recovery a failure', () => {
    expect(engineBlock('recovering', null)).toBe('The GPU was lost; reloading the model…');
  });

  it('passes the engine’s own error on', () => {
    expect(engineBlock('error', 'No WebGPU adapter.')).toBe('No WebGPU adapter.');
    expect(engineBlock('error', null)).toBe('The engine failed to start.');
  });
});
