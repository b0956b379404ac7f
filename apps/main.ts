/**
 * The synth entry for `npm run synth` and `cdk8s synth`: writes every app into
 * `$CDK8S_OUTDIR/<app>/` (default `dist/`).
 */
import * as path from 'path';
import { writeManifests } from '../lib';
import { bookinfoApp } from './bookinfo';

const outdir = path.resolve(process.env.CDK8S_OUTDIR ?? path.join(__dirname, '..', 'dist'));

const bookinfo = bookinfoApp();
const files = writeManifests(bookinfo.app, { outdir: path.join(outdir, 'bookinfo'), fileOf: bookinfo.fileOf });
console.log(`dist: bookinfo (${files.length} files)`);
