/**
 * The package's main, what `require('cdk8s-istio')` loads: the library bundled into one file
 * (build/cdk8s-istio.js, scripts/build.js), run with V8's code cache in the working directory's
 * node_modules/.cache/cdk8s-istio/ (lib/core/code-cache.ts), since compiling the bundle is most of
 * the time `require` takes; a plain `require` of it without that folder. Its exports are
 * lib/index.ts's, whose declarations are the package's types.
 */
import * as path from 'path';
import { requireCached } from './core/code-cache';

export = requireCached(path.join(__dirname, '..', 'cdk8s-istio.js'));
