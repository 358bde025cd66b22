/** The daemon's configuration: query threads default to the cores, 0 is allowed, nonsense is refused. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveDaemonConfig } from '../../../src/config/daemon-config.js';
import { GroveError } from '../../../src/errors.js';

describe('resolveDaemonConfig', () => {
  it('runs one query thread per core unless told otherwise, and none when told 0', () => {
    expect(resolveDaemonConfig({ socket: '/tmp/g.sock' }).queryThreads).toBe(availableParallelism());
    expect(resolveDaemonConfig({ socket: '/tmp/g.sock', queryThreads: 0 }).queryThreads).toBe(0);
    expect(resolveDaemonConfig({ socket: '/tmp/g.sock', queryThreads: 3 }).queryThreads).toBe(3);
  });

  it('refuses a negative or fractional number of query threads with CONFIG_INVALID', () => {
    for (const queryThreads of [-1, 1.5]) {
      let thrown: unknown;
      try {
        resolveDaemonConfig({ socket: '/tmp/g.sock', queryThreads });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(GroveError);
      expect((thrown as GroveError).code).toBe('CONFIG_INVALID');
      expect((thrown as GroveError).message).toContain('--query-threads');
    }
  });
});
