// `validate` is defined here and in cache.mjs: the local definition is the one meant.
function validate(args) {
  return args.filter((arg) => arg !== '');
}

function parseArgs(argv) {
  const args = validate(argv);
  return { file: args[0] ?? 'config.json' };
}

module.exports = { parseArgs };
