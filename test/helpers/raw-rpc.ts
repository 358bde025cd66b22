/** Raw JSON-RPC lines over a daemon's socket, for input no well-behaved client would send. */
import { connect } from 'node:net';

export interface RawAnswer {
  id: unknown;
  result?: unknown;
  error?: { data: { code: string } };
}

/** Writes `payload` on a fresh connection and resolves with the first `answers` response lines. */
export function rawExchange(socket: string, payload: string | Buffer, answers: number): Promise<RawAnswer[]> {
  return new Promise((resolve, reject) => {
    const client = connect(socket);
    let buffer = '';
    client.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n').filter((line) => line !== '');
      if (lines.length >= answers && buffer.endsWith('\n')) {
        client.end();
        resolve(lines.map((line) => JSON.parse(line) as RawAnswer));
      }
    });
    client.on('error', reject);
    client.on('close', () => reject(new Error(`connection closed before ${answers} answer(s): ${buffer}`)));
    client.write(payload);
  });
}

/** Sends `payload` and hangs up at once, before any answer: a client that vanishes mid-request. */
export function sendAndVanish(socket: string, payload: string): Promise<void> {
  return new Promise((resolve) => {
    const client = connect(socket, () => {
      client.write(payload, () => {
        client.destroy();
        resolve();
      });
    });
    // The daemon may reset a connection that is already gone; that is the point of the exercise.
    client.on('error', () => resolve());
  });
}
