/**
 * `npm run bench`: prints, from one run, the median of several runs of
 *
 *   (a) `npm run synth` of every bundled app (wall time);
 *   (b) `kubectl kustomize` over the same dist folders (a peer floor);
 *   (c) the library: constructs + validation + analysis + YAML, in process, with peak RSS, for
 *       generated meshes of 100, 1,000 and 5,000 services (bench/generated-mesh.ts);
 *   (d) the same documents as raw cdk8s ApiObjects through stock `app.synth()` (the baseline);
 *   (e) the same documents serialized with JSON.stringify and with js-yaml alone (floors);
 *
 * and the ratios (c)/(d), (c)/(e) and 5,000/1,000. Each measured run is its own process, so its
 * peak memory is its own; the variants of one size alternate so machine noise hits them alike.
 * It prints figures and never fails on them. BENCH_RUNS (default 5) and BENCH_SIZES
 * (default 100,1000,5000) change what it runs.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { printCliFigures } from './cli-figures';
import { printPackageFigures } from './package-figures';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-bench-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs a command and returns its wall time in ms; throws with its output when it fails. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return ms;
}

/** One in-process run of bench/mesh-synth.ts; returns what it printed. */
function meshRun(variant: string, size: number, docsFile: string): Record<string, number> {
  const outdir = path.join(work, `${variant}-${size}`);
  fs.rmSync(outdir, { recursive: true, force: true });
  const script = path.join(ROOT, 'bench', 'mesh-synth.ts');
  const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', script, variant, String(size), outdir, docsFile], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`mesh-synth ${variant} ${size} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

/** The documents of every file in a folder, for comparing two variants' output. */
function documentsIn(dir: string): unknown[] {
  return fs.readdirSync(dir).sort().flatMap(f => yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')));
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const mb = (n: number) => `${n.toFixed(0)} MB`;
const ratio = (a: number, b: number) => (a / b).toFixed(2);

console.log(`cdk8s-istio benchmark: ${os.cpus().length} cores, node ${process.version}, median of ${RUNS} runs each\n`);

// (a) and (b)
const distApps = fs.readdirSync(path.join(ROOT, 'dist')).filter(a => fs.existsSync(path.join(ROOT, 'dist', a, 'Kustomization')));
const synthOut = path.join(work, 'synth');
const synthMs = median(Array.from({ length: RUNS }, () => timed('npm', ['run', '--silent', 'synth'], { CDK8S_OUTDIR: synthOut })));
let kustomize = 'kubectl not found';
if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0) {
  const kustomizeAll = () => distApps.reduce((sum, app) => sum + timed('kubectl', ['kustomize', path.join('dist', app)]), 0);
  kustomize = ms(median(Array.from({ length: RUNS }, kustomizeAll)));
}
console.log(`(a) npm run synth, all ${distApps.length} apps           ${ms(synthMs)}   (target <= 1000 ms)`);
console.log(`(b) kubectl kustomize, the same folders     ${kustomize}   (peer floor)\n`);

// (c), (d), (e)
const library = new Map<number, { ms: number; analysisMs: number; rss: number; documents: number }>();
console.log('services  documents  (c) library  peak RSS  analysis  (d) stock cdk8s  (e) JSON  (e) js-yaml  (c)/(d)  (c)/(e yaml)');
for (const size of SIZES) {
  const docsFile = path.join(work, `docs-${size}.json`);
  meshRun('docs', size, docsFile);
  const runs: Record<string, Record<string, number>[]> = { library: [], raw: [], json: [], yaml: [] };
  for (let i = 0; i < RUNS; i++) for (const variant of Object.keys(runs)) runs[variant].push(meshRun(variant, size, docsFile));
  const identical = JSON.stringify(documentsIn(path.join(work, `library-${size}`)))
    === JSON.stringify(documentsIn(path.join(work, `raw-${size}`)));
  const m = (variant: string, key = 'ms') => median(runs[variant].map(r => r[key]));
  const c = {
    ms: m('library'), analysisMs: m('library', 'analysisMs'), rss: m('library', 'maxRssMb'), documents: runs.library[0].documents,
  };
  library.set(size, c);
  console.log([
    String(size).padStart(8), String(c.documents).padStart(10), ms(c.ms).padStart(12), mb(c.rss).padStart(9), ms(c.analysisMs).padStart(9),
    `${ms(m('raw'))}${identical ? '' : ' (OUTPUT DIFFERS)'}`.padStart(16), ms(m('json')).padStart(9), ms(m('yaml')).padStart(12),
    ratio(c.ms, m('raw')).padStart(8), ratio(c.ms, m('yaml')).padStart(13),
  ].join(' '));
}

const at1000 = library.get(1000);
const at5000 = library.get(5000);
if (at1000 && at5000) {
  console.log(`\n5,000 / 1,000 services: ${ratio(at5000.ms, at1000.ms)}   (target <= 5.5, linear = 5.0)`);
  console.log(`peak RSS at 5,000 services: ${mb(at5000.rss)}   (target <= 600 MB)`);
}
if (at1000) {
  console.log(`analysis of the 1,000-service mesh (all analyzers incl. schema, cold): ${ms(at1000.analysisMs)}   (target < 1000 ms)`);
  console.log('targets: (c)/(d) <= 0.60 at 1,000 services');
}
fs.rmSync(work, { recursive: true, force: true });
printPackageFigures(RUNS);
printCliFigures();
