/**
 * `npm run synth` and `cdk8s synth`: compiles build/ when it is stale (scripts/build.js), then runs
 * the synth of the bundled apps (apps/main.ts, bundled into build/synth-apps.js) in this same process.
 */
require('./build').ensureBuilt();
require('../build/synth-apps');
