#!/usr/bin/env node
// The cdk8s-istio command. In a source checkout (lib/*.ts present and tsx installed) it runs the
// TypeScript sources, so it never runs a stale build; in the published package, the compiled CLI.
'use strict';
const fs = require('fs');
const path = require('path');

const sources = path.join(__dirname, '..', 'lib', 'cli', 'main.ts');
let entry = path.join(__dirname, '..', 'build', 'lib', 'cli', 'main.js');
if (fs.existsSync(sources)) {
  try {
    require('tsx/cjs/api').register();
    entry = sources;
  } catch {
    // no tsx: fall back to the compiled CLI
  }
}
const { main } = require(entry);
process.exitCode = main(process.argv.slice(2));
