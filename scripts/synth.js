/**
 * `npm run synth` and `cdk8s synth`: compiles build/ when it is stale (scripts/build.js), then runs
 * the compiled synth entry (apps/main.ts) in this same process.
 */
require('./build').ensureBuilt();
require('../build/apps/main');
