export {
  PackError,
  parseConfig,
  requiredFiles,
  isPackFileName,
  PACK_FORMAT_VERSION,
} from './config';
export { packFileUrl, packFolder } from './packUrl';
export { parseModelIndex } from './modelIndex';
export type { ModelConfig, PackFileEntry } from './config';
export { parseSafetensors, expectTensor } from './safetensors';
export type { SafeTensor, SafeTensors } from './safetensors';
export { Tokenizer, parseTokenizer } from './tokenizer';
export { validatePack, moeWeightsFrom, parseEvalSets, parseGolden, sha256Hex } from './pack';
export type {
  ModelPack,
  MoeLayerWeights,
  EvalItem,
  EvalSets,
  Golden,
  GoldenPrompt,
  PackFiles,
} from './pack';
export { loadPack, fetchModelIndex } from './loader';
export type { ModelIndex, ModelIndexEntry, LoadPackOptions, FetchLike } from './loader';
export { moeReference } from './moeReference';
export type { MoeReferenceOutput } from './moeReference';
