import { describe, expect, it } from 'vitest';
import { loadTokenCounter, TokenBudget } from '../../../src/query/token-count.js';

describe('token counting', () => {
  it('counts with a real BPE tokenizer, not characters / 4', async () => {
    const count = await loadTokenCounter();
    expect(count('hello world')).toBe(2);
    // Long runs of one character compress far better than 4 characters per token.
    expect(count('='.repeat(400))).toBeLessThan(100);
  });

  it('takes blocks while they fit and never goes over the budget', async () => {
    const count = await loadTokenCounter();
    const budget = new TokenBudget(count, 10);
    expect(budget.take('hello world\n')).not.toBeNull();
    const before = budget.used;
    expect(budget.take('a much longer line that will not fit into what is left of the budget\n')).toBeNull();
    expect(budget.used).toBe(before);
    expect(budget.used).toBeLessThanOrEqual(10);
    expect(budget.left).toBe(10 - before);
  });

  it('counts the blocks of a text as the text itself (newline-ended blocks never merge)', async () => {
    const count = await loadTokenCounter();
    const blocks = [
      'src/a.ts\n',
      '  12: function parseConfig(path: string): Config\n',
      '  40: class Loader\n',
    ];
    expect(blocks.map(count).reduce((a, b) => a + b, 0)).toBe(count(blocks.join('')));
  });
});
