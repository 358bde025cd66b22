/**
 * The Unix socket transport: newline-delimited JSON-RPC 2.0, answers in completion order (clients match
 * them by id). Whatever a client sends (bad JSON, a wrong shape, a 100 MiB line, a half-closed socket)
 * it gets an error response or a closed connection; the daemon never crashes on input.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { GroveError } from '../../errors.js';
import { failure, parseFrame, type RpcRequest, type RpcResponse, success } from '../protocol.js';
import { createLineReader } from './line-reader.js';

export interface RpcHandler {
  /** Runs one request; the transport turns the outcome into a response. */
  call(method: string, params: unknown): Promise<unknown>;
  maxFrameBytes: number;
}

export function createSocketServer(handler: RpcHandler): { server: Server; connections: Set<Socket> } {
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    // A client that vanishes mid-answer (EPIPE, ECONNRESET) only ends its own connection.
    socket.on('error', () => socket.destroy());
    const send = (response: RpcResponse | RpcResponse[]) => {
      if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(response)}\n`);
    };
    const reader = createLineReader(
      handler.maxFrameBytes,
      (line) => void answerLine(line, handler).then((response) => response && send(response)),
      () => {
        const message = `The request is larger than the ${handler.maxFrameBytes}-byte frame limit.`;
        send(failure(null, new GroveError('REQUEST_INVALID', message)));
      },
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
  });
  return { server, connections };
}

/** The response to one line (an array for a batch), or null when it held only notifications. */
export async function answerLine(
  line: string,
  handler: Pick<RpcHandler, 'call'>,
): Promise<RpcResponse | RpcResponse[] | null> {
  const frame = parseFrame(line);
  if ('failure' in frame) return frame.failure;
  const responses = await Promise.all(frame.requests.map((request) => answer(request, handler)));
  const sent = responses.filter((response): response is RpcResponse => response !== null);
  if (frame.batch) return sent.length > 0 ? sent : null;
  return sent[0] ?? null;
}

async function answer(request: RpcRequest, handler: Pick<RpcHandler, 'call'>): Promise<RpcResponse | null> {
  const id = request.id ?? null;
  let response: RpcResponse;
  try {
    response = success(id, await handler.call(request.method, request.params));
  } catch (error) {
    response = failure(id, error);
  }
  // A request without an id is a notification: JSON-RPC sends nothing back.
  return request.id === undefined ? null : response;
}
