/**
 * Prints who may call whom in a synthesized app (`npm run access-matrix [-- <app>...]`), from the
 * manifests `kubectl apply -f dist/<app>/` applies. Without arguments: every app in dist/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import * as yaml from 'js-yaml';
import { accessMatrix, formatAccessMatrix } from '../lib/analysis/access-matrix';

const { positionals, values } = parseArgs({
  allowPositionals: true, options: { dist: { type: 'string', default: path.join(__dirname, '..', 'dist') } },
});
const dist = path.resolve(values.dist!);
const apps = positionals.length > 0 ? positionals : fs.readdirSync(dist).filter(f => fs.statSync(path.join(dist, f)).isDirectory()).sort();
for (const app of apps) {
  const dir = path.join(dist, app);
  if (!fs.existsSync(dir)) {
    console.error(`no such app: ${dir}`);
    process.exit(2);
  }
  const docs = fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()
    .flatMap(f => yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, any>[]);
  console.log(`# ${app}\n${formatAccessMatrix(accessMatrix(docs))}\n`);
}
