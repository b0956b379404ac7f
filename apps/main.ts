/**
 * The synth entry for `npm run synth` and `cdk8s synth`: writes every app into
 * `$CDK8S_OUTDIR/<app>/` (default `dist/`).
 */
import * as path from 'path';
import { synthAll } from './synth-all';

const outdir = path.resolve(process.env.CDK8S_OUTDIR ?? path.join(__dirname, '..', 'dist'));
const files = synthAll(outdir);
console.log(`Synthesized ${files.length} files into ${path.relative(process.cwd(), outdir) || '.'}/`);
