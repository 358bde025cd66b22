/**
 * Giving freed native memory back to the system. glibc's malloc keeps what SQLite, message buffers and
 * the isolates of replaced parse workers free in its arenas: resident, but fragmented. During a kernel
 * run at 256M a `malloc_trim(0)` took RSS from 169-181 MiB down to 148-167 MiB at once (9-23 MiB, four
 * tries 15 s apart), up to a tenth of a 256M budget that the pressure levels count against the run.
 */
import { nativeAddon } from '../native-addon.js';

/** Returns whether memory went back (false without the addon or outside glibc). */
export function trimNativeHeap(): boolean {
  const trim = nativeAddon()?.trimNativeHeap;
  return typeof trim === 'function' ? trim() === true : false;
}
