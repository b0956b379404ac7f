/**
 * `npm run synth` and `cdk8s synth`: compiles build/ when it is stale (scripts/build.js), then runs
 * the synth of the bundled apps (apps/main.ts, bundled into build/synth-apps.js) in this same
 * process, with V8's code cache in node_modules/.cache/ (lib/core/code-cache.ts).
 */
const path = require('path');

require('./build').ensureBuilt();
require('../build/lib/core/code-cache').requireCached(path.join(__dirname, '..', 'build', 'synth-apps.js'));
