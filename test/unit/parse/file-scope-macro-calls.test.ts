/** The `static` before a macro call at file scope is blanked; functions and other lines keep theirs. */
import { describe, expect, it } from 'vitest';
import { blankStaticBeforeMacroCalls } from '../../../src/parse/file-scope-macro-calls.js';

const STATIC = ' '.repeat('static'.length);

describe('blankStaticBeforeMacroCalls', () => {
  it('blanks the static that opens a line before an upper-case macro call, keeping every offset', () => {
    const source = 'static DEFINE_MUTEX(lock);\nstatic\tSENSOR_DEVICE_ATTR_RO(temp1_input, temp, 0);\n';
    const blanked = blankStaticBeforeMacroCalls(source);
    expect(blanked).toBe(
      `${STATIC} DEFINE_MUTEX(lock);\n${STATIC}\tSENSOR_DEVICE_ATTR_RO(temp1_input, temp, 0);\n`,
    );
    expect(blanked).toHaveLength(source.length);
  });

  it('keeps the static of functions, variables, and calls that do not open their line', () => {
    const source = [
      'static int SENSOR_RESET(int level)',
      'static void',
      'SENSOR_INIT(struct i2c_client *client)',
      'static MY_TYPE value;',
      'static const_fn(x);',
      '\tstatic DEFINE_MUTEX(local_lock);',
      'int x; static DEFINE_MUTEX(after_code);',
      '',
    ].join('\n');
    expect(blankStaticBeforeMacroCalls(source)).toBe(source);
  });
});
