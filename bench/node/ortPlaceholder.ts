// In the bench bundle the engine's static `onnxruntime-web/webgpu` import resolves here, so the
// bundle carries no second copy of ORT: bench/moeBench.ts swaps the real module in
// (useOrtModule) before any engine code runs. Touching these first is a bug, and says so.
const missing = (): never => {
  throw new Error('onnxruntime-web not loaded yet: call useOrtModule() first');
};
export const env = {};
export const Tensor = new Proxy(function () {}, { construct: missing, get: missing });
export const InferenceSession = new Proxy({}, { get: missing });
