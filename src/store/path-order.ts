/**
 * The order of paths in the index: SQLite's BINARY collation compares the UTF-8 bytes of the files
 * table's paths, and the walk yields paths in the same order (like `git ls-files`), so that one ordered
 * pass can merge them.
 */

/** Compares two paths in UTF-8 byte order, which differs from UTF-16 order only around surrogates. */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates encode code points above U+FFFF, which UTF-8 orders after every BMP character.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x - y;
  }
  return a.length - b.length;
}
