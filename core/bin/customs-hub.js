#!/usr/bin/env node
'use strict';
// The bin lives in the source tree so npm links it at install time, before core/dist exists.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('customs-hub: the hub is not built yet; run `npm run build` in the repository root\n');
  process.exit(1);
}
require(main);
