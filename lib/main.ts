/**
 * The package's main, what `require('cdk8s-istio')` loads: the library bundled into one file
 * (build/cdk8s-istio.js, scripts/build.js), run with V8's code cache in the working directory's
 * node_modules/.cache/cdk8s-istio/ (lib/core/code-cache.ts), since compiling the bundle is most of
 * the time `require` takes; a plain `require` of it without that folder. Without the bundle beside
 * it (the package bundled by a consumer's own bundler, which cannot follow the bundle's computed
 * path), the library's modules, which such a bundler follows. Its exports are lib/index.ts's,
 * whose declarations are the package's types.
 */
import * as fs from 'fs';
import * as path from 'path';
import { requireCached } from './core/code-cache';

const bundle = path.join(__dirname, '..', 'cdk8s-istio.js');

export = fs.existsSync(bundle) ? requireCached(bundle) : require('./index');
