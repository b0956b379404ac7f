/**
 * The synth entry for `npm run synth` and `cdk8s synth`: writes every app into
 * `$CDK8S_OUTDIR/<app>/` (default `dist/`), with the settings of `$CDK8S_ISTIO_CONFIG` if set.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadSettings } from './config';
import { synthAll } from './synth-all';

/** The repository root: the nearest folder above this file with a package.json (this file also runs compiled, from build/apps/). */
function repositoryRoot(): string {
  let dir = path.dirname(__dirname);
  while (!fs.existsSync(path.join(dir, 'package.json')) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return dir;
}

const outdir = path.resolve(process.env.CDK8S_OUTDIR ?? path.join(repositoryRoot(), 'dist'));
try {
  const files = synthAll(outdir, loadSettings());
  console.log(`Synthesized ${files.length} files into ${path.relative(process.cwd(), outdir) || '.'}/`);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
