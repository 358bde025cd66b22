/** The answer cache: kept answers serve only their index version, within a byte bound, oldest use out first. */
import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../../src/server/answer-cache.js';

const answer = (text: string) => ({ results: [text] });
/** The bytes an entry is counted at: its JSON and its key. */
const sizeOf = (key: string, text: string) => JSON.stringify(answer(text)).length + key.length;

describe('AnswerCache', () => {
  it('serves a kept answer while the version holds, and drops every answer when it moves', () => {
    const cache = new AnswerCache();
    expect(cache.get('a', 1)).toBeUndefined();
    cache.set('a', 1, answer('first'));
    cache.set('b', 1, answer('second'));
    expect(cache.get('a', 1)).toEqual(answer('first'));
    expect(cache.stats).toMatchObject({ entries: 2, hits: 1, misses: 1 });
    expect(cache.get('a', 2)).toBeUndefined();
    expect(cache.stats).toMatchObject({ entries: 0, bytes: 0, hits: 1, misses: 2 });
  });

  it('does not keep an answer read at a version that has since moved on', () => {
    const cache = new AnswerCache();
    cache.get('a', 1);
    cache.get('b', 2);
    cache.set('a', 1, answer('stale'));
    expect(cache.get('a', 2)).toBeUndefined();
    expect(cache.stats.entries).toBe(0);
  });

  it('stays within its bytes, the least recently used answer out first', () => {
    const one = sizeOf('k0', 'x'.repeat(100));
    const maxBytes = Math.floor(one * 8.5); // room for eight such answers, not nine
    const cache = new AnswerCache(maxBytes);
    cache.get('k0', 1);
    for (let i = 0; i < 8; i++) cache.set(`k${i}`, 1, answer('x'.repeat(100)));
    expect(cache.stats.entries).toBe(8);
    expect(cache.get('k0', 1)).toBeDefined(); // now k1 is the least recently used
    cache.set('k8', 1, answer('x'.repeat(100)));
    expect(cache.stats).toMatchObject({ entries: 8, bytes: 8 * one });
    expect(cache.stats.bytes).toBeLessThanOrEqual(maxBytes);
    expect(cache.get('k1', 1)).toBeUndefined();
    expect(cache.get('k0', 1)).toBeDefined();
    expect(cache.get('k8', 1)).toBeDefined();
  });

  it('does not keep an answer bigger than an eighth of its bytes', () => {
    const cache = new AnswerCache(8 * 100);
    cache.get('big', 1);
    cache.set('big', 1, answer('x'.repeat(200)));
    expect(cache.get('big', 1)).toBeUndefined();
    cache.set('small', 1, answer('x'.repeat(10)));
    expect(cache.get('small', 1)).toEqual(answer('x'.repeat(10)));
  });

  it('replaces an answer kept under the same key without counting it twice', () => {
    const cache = new AnswerCache();
    cache.get('a', 1);
    cache.set('a', 1, answer('old'));
    cache.set('a', 1, answer('new'));
    expect(cache.stats).toMatchObject({ entries: 1, bytes: sizeOf('a', 'new') });
    expect(cache.get('a', 1)).toEqual(answer('new'));
  });
});
