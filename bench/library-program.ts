/**
 * The library's side of the benchmark, as a program a user compiles and runs (`node main.js`):
 * bench/compiled-programs.ts compiles it with tsc against the compiled library in build/, and
 * every measured run is its own process, so its peak memory is its own.
 *
 *   node library-program.js write <services> <outdir>      writeManifests(generatedMesh(services))
 *   node library-program.js analyzed <services> <outdir>   the same, then analyze() of the files read back
 *   node library-program.js app <services>                 generatedMesh(services).synth() into $CDK8S_OUTDIR
 *                                                          (what `cdk8s synth` runs, too)
 *
 * Each prints one JSON line: `ms` (the synthesis in process, from building the constructs to
 * the files written), `maxRssMb` (the process's peak RSS), and for `analyzed` `analysisMs`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { generatedMesh } from './generated-mesh';
import { analyze, writeManifests } from '../lib';

const [mode, services, outdir] = process.argv.slice(2);
const size = Number(services);

function run(): Record<string, number> {
  const start = performance.now();
  switch (mode) {
    case 'write':
      writeManifests(generatedMesh(size), { outdir });
      return { ms: performance.now() - start };
    case 'analyzed': {
      const { files } = writeManifests(generatedMesh(size), { outdir });
      const ms = performance.now() - start;
      const docs = files.flatMap(f => yaml.loadAll(fs.readFileSync(path.join(outdir, f), 'utf8')) as Record<string, unknown>[]);
      const analysisStart = performance.now();
      analyze(docs);
      return { ms, analysisMs: performance.now() - analysisStart };
    }
    case 'app':
      generatedMesh(size).synth();
      return { ms: performance.now() - start };
    default:
      throw new Error(`library-program: unknown mode "${mode}" (write, analyzed or app)`);
  }
}

const result = run();
process.stdout.write(`${JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
