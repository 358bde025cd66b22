/** `grove stop`: asks the daemon on the socket to shut down gracefully and waits until it has. */
import { parseArgs } from 'node:util';
import { defaultSocketPath } from '../../config/daemon-config.js';
import { DaemonClient } from '../../server/daemon-client.js';
import type { CommandIo } from '../command-io.js';

export async function runStopCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args, options: { socket: { type: 'string' } } });
  const socketPath = defaultSocketPath(values.socket);
  const client = await DaemonClient.connect(socketPath);
  const closed = client.closed();
  await client.call('shutdown');
  // The daemon closes connections last, after releasing its socket and lock.
  await closed;
  io.out(`stopped the grove daemon at ${socketPath}\n`);
  return 0;
}
