#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=2 --expose-gc
// The young generation's default 16 MiB semi-spaces would spend a fifth of a 256M budget on garbage
// waiting to be collected; 2 MiB measured no slower on the kernel corpus. Two malloc arenas instead of
// one per thread keep freed native memory (SQLite, worker WASM) from being held per thread. --expose-gc
// lets the memory budget compact the heap when memory is under pressure.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
