// Entry point: the ESM convention imports `./app.js` for the source file `./app.ts`.
import { startApp } from './app.js';
import { join } from 'node:path';

export { MemoryStore } from './store/index.js';

startApp(join('data', 'users.json'));
