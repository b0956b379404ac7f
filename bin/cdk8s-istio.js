#!/usr/bin/env node
// The cdk8s-istio command. Runs the compiled CLI (build/) when present, otherwise the TypeScript
// sources through tsx (a source checkout, where tsx is a dev dependency).
'use strict';
const fs = require('fs');
const path = require('path');

const built = path.join(__dirname, '..', 'build', 'lib', 'cli', 'main.js');
if (!fs.existsSync(built)) require('tsx/cjs/api').register();
const { main } = require(fs.existsSync(built) ? built : path.join(__dirname, '..', 'lib', 'cli', 'main.ts'));
process.exitCode = main(process.argv.slice(2));
