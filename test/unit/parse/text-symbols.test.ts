/** The line scanner for text-only files: defines and exports, streamed in arbitrary pieces. */
import { describe, expect, it } from 'vitest';
import type { SymbolRecord } from '../../../src/model.js';
import { createTextSymbolScanner } from '../../../src/parse/text-symbols.js';
import { seededRandom } from './chunk-invariants.js';

function scan(language: string | null, pieces: string[]): SymbolRecord[] {
  const scanner = createTextSymbolScanner(language);
  return [...pieces.flatMap((piece) => scanner.push(piece)), ...scanner.end()];
}

const HEADER = [
  '/* generated */',
  '#ifndef REGS_H',
  '#define REGS_H',
  '  #  define   REG_CTRL_OFFSET   0x0040   /* control */',
  '#define REG_FIELD(x) (((x) >> 4) & 0xf)',
  'int not_a_define;',
  `#define LONG_ONE ${'1 | '.repeat(200)}1`,
  '#endif',
].join('\n');

describe('createTextSymbolScanner', () => {
  it('finds C #defines as macros with their line and a capped signature', () => {
    const symbols = scan('c', [HEADER]);
    expect(symbols.map((s) => [s.name, s.kind, s.startLine])).toEqual([
      ['REGS_H', 'macro', 3],
      ['REG_CTRL_OFFSET', 'macro', 4],
      ['REG_FIELD', 'macro', 5],
      ['LONG_ONE', 'macro', 7],
    ]);
    expect(symbols[1]!.signature).toBe('# define REG_CTRL_OFFSET 0x0040 /* control */');
    expect(symbols[3]!.signature.length).toBe(200);
    expect(symbols.every((s) => s.parent === null && s.endLine === s.startLine)).toBe(true);
  });

  it('finds what a C header holds between its macros: structs, unions, enums and inline functions', () => {
    const source = [
      '#define IEEE80211_FCTL_VERS 0x0003',
      'struct ieee80211_hdr {',
      '\t__le16 frame_control;',
      '} __packed __aligned(2);',
      'typedef union reg_value { u32 raw; } reg_value_t;',
      'enum nl80211_band {',
      '\tNL80211_BAND_2GHZ,',
      '};',
      'static inline bool ieee80211_has_tods(__le16 fc)',
      '{',
      'static __always_inline u32 reg_read(void __iomem *base, u32 offset) {',
      'static inline int declared_only(int x);',
      'struct forward_only;',
      'static int not_inline(void)',
      'enumerate(things);',
    ].join('\n');
    expect(scan('c', [source]).map((s) => [s.name, s.kind, s.startLine])).toEqual([
      ['IEEE80211_FCTL_VERS', 'macro', 1],
      ['ieee80211_hdr', 'struct', 2],
      ['reg_value', 'union', 5],
      ['nl80211_band', 'enum', 6],
      ['ieee80211_has_tods', 'function', 9],
      ['reg_read', 'function', 11],
    ]);
  });

  it('finds JS/TS exports by kind', () => {
    const source = [
      'export function run() {}',
      'export default async function main() {}',
      'export class Queue {}',
      'export abstract class Base {}',
      'export const LIMIT = 3, OTHER = 4;',
      'export let counter = 0;',
      'export interface Options {}',
      'export type Id = string;',
      'export enum Color { Red }',
      'export declare const VERSION: string;',
      'export { run as start };',
      'const hidden = 1;',
      '  export function* gen() {}',
    ].join('\n');
    expect(scan('typescript', [source]).map((s) => [s.name, s.kind, s.startLine])).toEqual([
      ['run', 'function', 1],
      ['main', 'function', 2],
      ['Queue', 'class', 3],
      ['Base', 'class', 4],
      ['LIMIT', 'constant', 5],
      ['counter', 'variable', 6],
      ['Options', 'interface', 7],
      ['Id', 'type', 8],
      ['Color', 'enum', 9],
      ['VERSION', 'constant', 10],
      ['gen', 'function', 13],
    ]);
  });

  it('finds nothing for other languages', () => {
    expect(scan('markdown', ['#define X 1\nexport function f() {}\n'])).toEqual([]);
    expect(scan(null, ['#define X 1\n'])).toEqual([]);
  });

  it('cuts a name longer than the line head at the same place whether the line comes whole or in pieces', () => {
    // Found by the reliability fuzz: pieces used to add up to a longer head than one whole line.
    const text = `#define R${'x'.repeat(2000)} 1\n#define NEXT 2\n`;
    const whole = scan('c', [text]);
    expect(scan('c', [text.slice(0, 40), text.slice(40, 47), text.slice(47)])).toEqual(whole);
    expect(whole.map((symbol) => symbol.name.length)).toEqual([504, 4]);
  });

  it('gives the same symbols whatever the piece boundaries, and survives a giant line', () => {
    const text = `${HEADER}\n${'x'.repeat(3_000_000)}\n#define AFTER_GIANT 1\n`;
    const whole = scan('c', [text]);
    const random = seededRandom(11);
    const pieces: string[] = [];
    for (let at = 0; at < text.length; ) {
      const length = 1 + Math.floor(random() * 70_000);
      pieces.push(text.slice(at, at + length));
      at += length;
    }
    expect(scan('c', pieces)).toEqual(whole);
    expect(whole.at(-1)).toMatchObject({ name: 'AFTER_GIANT', startLine: 10 });
  });
});
