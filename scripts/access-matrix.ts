/**
 * Prints who may call whom in a synthesized app (`npm run access-matrix [-- <app>...]`), from the
 * manifests `kubectl apply -f dist/<app>/` applies. Without arguments: every app in dist/.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { DIST, distApps } from './dist-apps';
import { accessMatrix, formatAccessMatrix } from '../lib/analysis/access-matrix';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { dist: { type: 'string', default: DIST } } });
for (const app of distApps(path.resolve(values.dist!), positionals)) {
  console.log(`# ${app.name}\n${formatAccessMatrix(accessMatrix(app.docs))}\n`);
}
