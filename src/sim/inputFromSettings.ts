// The lab's shared settings → one simulator input. Pure, so the e2e test computes the numbers
// the panel must show with the very same mapping.
import type { SimInput } from './types';
import type { LabSettings } from '../state/settingsSchema';

export function simInputFromSettings(s: LabSettings): SimInput {
  const input: SimInput = {
    model: s.simModel,
    hardware: s.hardware,
    gpus: s.simGpus,
    strategy: s.strategy,
    precision: s.precision,
    inputLen: s.inputLen,
    outputLen: s.outputLen,
    concurrency: s.concurrency,
    prompts: s.prompts,
    interconnect: s.interconnect,
    skew: s.skew,
    balancedPlacement: s.placement === 'eplb',
    fusedMoe: s.fusedMoe,
    overlapComm: s.overlapComm,
    pruneInter: s.pruneInter,
    pruneIntra: s.pruneIntra,
    diffusionSteps: s.diffusionSteps,
    engine: s.simEngine,
    engineRelease: s.simRelease,
    lengths: s.simLengths,
  };
  if (s.simRate > 0) input.arrivalRate = s.simRate;
  // One capacity-factor knob for the lab: the engine's MoE calls and the simulated deployment.
  if (s.capacityFactor !== 'off') input.capacityFactor = Number(s.capacityFactor);
  if (s.strategy === 'tp-ep') {
    input.tp = s.simTp;
    input.ep = s.simEp;
  }
  if (s.specDraftB > 0) {
    input.speculative = {
      draftParamsB: s.specDraftB,
      draftTokens: s.specTokens,
      acceptanceRate: s.specAccept,
    };
  }
  return input;
}
