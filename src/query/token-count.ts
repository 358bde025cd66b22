/**
 * Token counting with a real BPE tokenizer (gpt-tokenizer's o200k_base, the encoding of current OpenAI
 * models; other models' tokenizers differ by a few percent, far less than characters / 4 does). Loaded
 * on first use: its tables take a few hundred milliseconds to load, which only `map` and `context` pay.
 */
export type CountTokens = (text: string) => number;

let loading: Promise<CountTokens> | undefined;

export function loadTokenCounter(): Promise<CountTokens> {
  loading ??= import('gpt-tokenizer').then((tokenizer) => (text: string) => tokenizer.countTokens(text));
  return loading;
}

/**
 * Collects text blocks while they fit in `budget` tokens. Blocks are counted separately and summed: BPE
 * never merges across the newline that ends every block, so the sum equals the count of the whole.
 */
export class TokenBudget {
  used = 0;
  constructor(
    private readonly count: CountTokens,
    readonly budget: number,
  ) {}

  /** Tokens of `text`, or null (and nothing used) when it does not fit in what is left. */
  take(text: string): number | null {
    const tokens = this.count(text);
    if (this.used + tokens > this.budget) return null;
    this.used += tokens;
    return tokens;
  }

  get left(): number {
    return this.budget - this.used;
  }
}
