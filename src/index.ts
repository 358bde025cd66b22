/** grove's public library API. */
export type { IndexOptions } from './config/resolve-config.js';
export { ERROR_CODES, type ErrorCode, GroveError, type SerializedError } from './errors.js';
export type * from './model.js';
export type * from './pipeline/index-events.js';
export { indexRepository } from './pipeline/index-repository.js';
export { type GroveIndex, openIndex } from './query/open-index.js';
