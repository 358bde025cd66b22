/**
 * The daemon's wire protocol: JSON-RPC 2.0, one JSON value per line. Errors carry the grove code in
 * `error.data.code` (and the JSON-RPC code class in `error.code`), so clients rebuild a GroveError by
 * its code, never by its message.
 */
import { type ErrorCode, GroveError, type SerializedError, toGroveError } from '../errors.js';

export type RequestId = string | number | null;

export interface RpcRequest {
  jsonrpc: '2.0';
  id?: RequestId;
  method: string;
  params?: unknown;
}

export interface RpcSuccess {
  jsonrpc: '2.0';
  id: RequestId;
  result: unknown;
}

export interface RpcFailure {
  jsonrpc: '2.0';
  id: RequestId;
  error: { code: number; message: string; data: SerializedError & { hint: string } };
}

export type RpcResponse = RpcSuccess | RpcFailure;

/** JSON-RPC's reserved codes for protocol faults; everything else is a server error (-32000). */
const RPC_CODES: Partial<Record<ErrorCode, number>> = {
  REQUEST_INVALID: -32600,
  METHOD_NOT_FOUND: -32601,
};
const PARSE_ERROR = -32700;
const SERVER_ERROR = -32000;

export function success(id: RequestId, result: unknown): RpcSuccess {
  return { jsonrpc: '2.0', id, result };
}

export function failure(id: RequestId, error: unknown, parseError = false): RpcFailure {
  const grove = toGroveError(error);
  const code = parseError ? PARSE_ERROR : (RPC_CODES[grove.code] ?? SERVER_ERROR);
  return {
    jsonrpc: '2.0',
    id,
    error: { code, message: grove.message, data: { ...grove.toJSON(), hint: grove.hint } },
  };
}

/** A parsed line: one request, a batch of them, or the failure to send back at once. */
export type Frame = { requests: RpcRequest[]; batch: boolean } | { failure: RpcFailure };

/** Parses one line. Never throws: whatever arrives, the answer is a request or an error response. */
export function parseFrame(line: string): Frame {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return {
      failure: failure(null, new GroveError('REQUEST_INVALID', 'The request is not valid JSON.'), true),
    };
  }
  const batch = Array.isArray(value);
  const items = batch ? (value as unknown[]) : [value];
  if (items.length === 0) {
    return { failure: failure(null, new GroveError('REQUEST_INVALID', 'An empty batch holds no request.')) };
  }
  const requests: RpcRequest[] = [];
  for (const item of items) {
    const request = toRequest(item);
    if ('failure' in request) return request;
    requests.push(request);
  }
  return { requests, batch };
}

function toRequest(item: unknown): RpcRequest | { failure: RpcFailure } {
  const object = item as Partial<RpcRequest> | null;
  const id = object && isId(object.id) ? object.id : null;
  const invalid = (message: string) => ({ failure: failure(id, new GroveError('REQUEST_INVALID', message)) });
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    return invalid('A request must be a JSON object.');
  }
  if (object.jsonrpc !== '2.0') return invalid('A request must say "jsonrpc": "2.0".');
  if (typeof object.method !== 'string' || object.method === '')
    return invalid('A request needs a "method".');
  if (object.id !== undefined && !isId(object.id)) return invalid('"id" must be a string, a number or null.');
  if (object.params !== undefined && (typeof object.params !== 'object' || object.params === null)) {
    return invalid('"params" must be an object.');
  }
  return object as RpcRequest;
}

function isId(value: unknown): value is RequestId {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Rebuilds the GroveError of an error response (client side). */
export function errorFromResponse(response: RpcFailure): GroveError {
  return GroveError.fromJSON(response.error.data ?? { code: 'INTERNAL', message: response.error.message });
}
