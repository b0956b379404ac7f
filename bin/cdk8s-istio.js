#!/usr/bin/env node
// The cdk8s-istio command: the compiled CLI, bundled into build/cli.js (scripts/build.js). In a source checkout (scripts/build.js is
// there; the package does not ship it) build/ is compiled first when a source is newer than it, so
// the command never runs a stale build.
// Whatever goes wrong outside the command itself (loading it, a closed stdout) ends in one line
// and an exit code, never a stack trace: 3 for an internal error, as the command does.
'use strict';
const fs = require('fs');
const path = require('path');

const INTERNAL = 3;
const debug = process.env.CDK8S_ISTIO_DEBUG === '1';

function internalError(error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = debug && error && error.stack ? `${error.stack}\n` : '';
  process.stderr.write(`cdk8s-istio: internal error: ${text.split('\n')[0]}. This is a bug in cdk8s-istio: please report it `
    + `with the command that caused it (CDK8S_ISTIO_DEBUG=1 prints the stack trace).\n${stack}`);
  process.exit(INTERNAL);
}

// `cdk8s-istio analyze … | head` closes stdout early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', e => (e && e.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : internalError(e)));
}
process.on('uncaughtException', internalError);

let main;
try {
  const builder = path.join(__dirname, '..', 'scripts', 'build.js');
  if (fs.existsSync(builder)) require(builder).ensureBuilt();
  const build = path.join(__dirname, '..', 'build');
  // the bundle, with V8's code cache in the working directory's node_modules/.cache/ (lib/core/code-cache.ts)
  ({ main } = require(path.join(build, 'lib', 'core', 'code-cache.js')).requireCached(path.join(build, 'cli.js')));
} catch (e) {
  internalError(e);
}
process.exitCode = main(process.argv.slice(2));
