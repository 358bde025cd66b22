/**
 * The optional HTTP transport, bound to loopback only and protected by a bearer token: `GET /health`,
 * `GET /health/indexing` (per project: state, files/s, MB/s, queue depth, pressure, RSS), `GET /metrics`
 * (Prometheus text) and `POST /rpc` (one JSON-RPC request or batch per body).
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type ErrorCode, GroveError, toGroveError } from '../../errors.js';
import { answerLine, type RpcHandler } from './socket-server.js';

export interface HttpRoutes extends RpcHandler {
  token: string;
  health(): Promise<unknown>;
  indexing(): Promise<unknown>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHORIZED: 401,
  REQUEST_INVALID: 400,
  PATH_OUTSIDE_ROOT: 403,
  METHOD_NOT_FOUND: 404,
  INDEX_NOT_FOUND: 404,
  DAEMON_BUSY: 503,
};

export function createHttpServer(routes: HttpRoutes): Server {
  const expected = Buffer.from(`Bearer ${routes.token}`);
  const authorized = (request: IncomingMessage) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return createServer((request, response) => {
    route(request, response, routes, authorized).catch((error) => sendError(response, error));
  });
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  routes: HttpRoutes,
  authorized: (request: IncomingMessage) => boolean,
): Promise<void> {
  if (!authorized(request)) {
    request.resume();
    throw new GroveError('UNAUTHORIZED', 'missing or wrong daemon token');
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const route = `${request.method} ${url.pathname}`;
  if (route === 'GET /health') return sendJson(response, 200, await routes.health());
  if (route === 'GET /health/indexing') return sendJson(response, 200, await routes.indexing());
  if (route === 'GET /metrics') {
    const { contentType, body } = await routes.metrics();
    response.writeHead(200, { 'content-type': contentType }).end(body);
    return;
  }
  if (route === 'POST /rpc') {
    const body = await readBody(request, routes.maxFrameBytes);
    const answer = await answerLine(body, routes);
    if (answer === null) response.writeHead(204).end();
    else sendJson(response, 200, answer);
    return;
  }
  request.resume();
  throw new GroveError('METHOD_NOT_FOUND', `no route ${route}`);
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop keeping the body but let it drain, so the client reads our error instead of a reset.
        request.removeAllListeners('data');
        request.resume();
        reject(new GroveError('REQUEST_INVALID', `The request body is larger than ${maxBytes} bytes.`));
      } else parts.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function sendError(response: ServerResponse, error: unknown): void {
  const grove = toGroveError(error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, HTTP_STATUS[grove.code] ?? 500, { error: { ...grove.toJSON(), hint: grove.hint } });
}
