/**
 * A client of the daemon's socket (used by the CLI, `grove mcp`, `grove stop`, tests and benchmarks):
 * requests are multiplexed on one connection and matched to answers by id; an error answer is rebuilt
 * into the GroveError its code names.
 */
import { connect, type Socket } from 'node:net';
import { GroveError } from '../errors.js';
import { errorFromResponse, type RpcResponse } from './protocol.js';
import { createLineReader } from './transports/line-reader.js';

/** Answers are small, except a search or map with a big limit; anything bigger is a broken daemon. */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class DaemonClient {
  readonly #socket: Socket;
  readonly #waiting = new Map<number, Waiter>();
  #nextId = 1;
  #closedError: GroveError | null = null;

  private constructor(socket: Socket) {
    this.#socket = socket;
    const reader = createLineReader(
      MAX_RESPONSE_BYTES,
      (line) => this.#answer(JSON.parse(line) as RpcResponse),
      () => this.#fail(new GroveError('INTERNAL', 'the daemon sent an oversized answer')),
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', (error) => this.#fail(new GroveError('DAEMON_NOT_RUNNING', error.message)));
    socket.on('close', () =>
      this.#fail(new GroveError('DAEMON_NOT_RUNNING', 'the daemon closed the connection')),
    );
  }

  /** Connects to the daemon's socket. @throws GroveError DAEMON_NOT_RUNNING when nobody answers there. */
  static connect(socketPath: string): Promise<DaemonClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath);
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(new DaemonClient(socket));
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new GroveError(
            'DAEMON_NOT_RUNNING',
            `no grove daemon at ${socketPath} (${error.code ?? error.message})`,
            {
              socket: socketPath,
            },
          ),
        );
      });
    });
  }

  /** The client, or null when no daemon runs at `socketPath`. */
  static async tryConnect(socketPath: string): Promise<DaemonClient | null> {
    try {
      return await DaemonClient.connect(socketPath);
    } catch {
      return null;
    }
  }

  call(method: string, params?: Record<string, unknown>): Promise<unknown> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params: params ?? {} })}\n`);
    });
  }

  /** Resolves when the daemon closes the connection (e.g. after `shutdown`). */
  closed(): Promise<void> {
    if (this.#socket.closed) return Promise.resolve();
    return new Promise((resolve) => this.#socket.once('close', () => resolve()));
  }

  close(): void {
    this.#socket.end();
    this.#socket.destroy();
  }

  #answer(response: RpcResponse): void {
    const waiter = typeof response.id === 'number' ? this.#waiting.get(response.id) : undefined;
    if (!waiter) return;
    this.#waiting.delete(response.id as number);
    if ('error' in response) waiter.reject(errorFromResponse(response));
    else waiter.resolve(response.result);
  }

  #fail(error: GroveError): void {
    this.#closedError ??= error;
    for (const waiter of this.#waiting.values()) waiter.reject(error);
    this.#waiting.clear();
  }
}
