'use strict';
// CommonJS entry: a relative require with extension probing, a directory with index.js, a package.
const { parseArgs } = require('./cli/args');
const config = require('./config');
const chalk = require('chalk');

async function main(argv) {
  const options = parseArgs(argv);
  const settings = config.loadConfig(options.file);
  const { lazyGreeting } = await import('./lazy.mjs');
  console.log(chalk.green(lazyGreeting(settings.get('name'))));
}

main(process.argv.slice(2));
