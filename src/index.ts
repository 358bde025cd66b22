/** grove's public library API. */
export type { IndexOptions } from './config/resolve-config.js';
export { ERROR_CODES, type ErrorCode, GroveError, type SerializedError } from './errors.js';
export type * from './model.js';
export type * from './pipeline/index-events.js';
export { indexRepository } from './pipeline/index-repository.js';
export {
  type ContextOptions,
  type FileContext,
  type Freshness,
  type GroveIndex,
  type MapOptions,
  type OpenIndexOptions,
  openIndex,
  type RefOptions,
  type RefResult,
  type RepoMap,
} from './query/open-index.js';
