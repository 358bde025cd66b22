const fs = require('node:fs');

class Config {
  constructor(values) {
    this.values = values;
  }

  get(key) {
    return this.values[key];
  }
}

function loadConfig(file) {
  return new Config(JSON.parse(fs.readFileSync(file, 'utf8')));
}

module.exports = { Config, loadConfig };
