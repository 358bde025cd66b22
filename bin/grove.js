#!/usr/bin/env -S node --max-semi-space-size=2
// The young generation's default 3 x 16 MiB semi-spaces would spend a fifth of a 256M budget on garbage
// waiting to be collected; 2 MiB measured no slower on the kernel corpus (see docs/ARCHITECTURE.md).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
