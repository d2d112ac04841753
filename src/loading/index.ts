// Model-pack loading and offline support: the public surface of src/loading.
export {
  downloadFiles,
  type DownloadOptions,
  type DownloadProgress,
  type FileProgress,
  type FileSpec,
  type FileStatus,
} from './downloadFiles';
export { DownloadError, isAbort, type DownloadFailure } from './downloadError';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './fetchWithRetry';
export {
  MODEL_CACHE_PREFIX,
  MODEL_CACHE_VERSION,
  clearModelCaches,
  modelCacheName,
  removeStaleCaches,
} from './modelCache';
export { MemoryCacheStorage, browserCaches, type CacheStorageLike } from './cacheStorage';
export { formatBytes, formatOf } from './format';
export { registerServiceWorker, type ServiceWorkerOptions } from './registerServiceWorker';
