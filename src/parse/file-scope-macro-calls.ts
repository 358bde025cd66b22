/**
 * C code invokes macros at file scope to define things: `static DEFINE_MUTEX(lock);`, `static
 * DEVICE_ATTR_RO(name);`, `static SENSOR_DEVICE_ATTR_RW(temp1_max, tcrit1, 0);`. tree-sitter reads
 * `static NAME(...)` as a declaration whose arguments are parameters, so a constant or an expression
 * among them (`0`, `BIT(1)`) is a syntax error. A run of such lines can become one error that swallows
 * the functions after it (on the kernel, 20,725 such lines in 4,728 files), and every argument becomes
 * a made-up type reference. Without `static` the same line is a call at file scope, which the grammar
 * parses cleanly: the macro and the calls in its arguments become call references.
 *
 * So a `static` that opens its line and is followed only by an upper-case name and `(` is replaced by
 * spaces: every offset and line stays where it was, as with the other rewrites (annotation-macros.ts).
 * A function defined in upper case keeps its `static`: its return type stands between the two.
 */
import { blankText } from './blank-text.js';

const STATIC_BEFORE_MACRO_CALL = /^static(?=[ \t]+[A-Z][A-Z0-9_]*[ \t]*\()/gm;
const STATIC_BLANKED = blankText('static');

/** `source` with the `static` before file-scope macro calls replaced by spaces (same length). */
export function blankStaticBeforeMacroCalls(source: string): string {
  return source.replace(STATIC_BEFORE_MACRO_CALL, STATIC_BLANKED);
}
