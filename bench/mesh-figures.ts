/**
 * The mesh figures of `npm run bench`: for each size of bench/generated-mesh.ts, every variant
 * below in its own process per run, the variants alternating run after run so machine noise hits
 * them alike, each writing the same documents (checked: OUTPUT DIFFERS otherwise).
 *
 * The library (bench/library-program.ts, compiled; every document validated: see library-caches.ts)
 *   (c)       writeManifests in process: the in-process part of the (c-whole) runs
 *   (c-whole) the whole process of `node library-program.js write`
 *   (c-warm)  the same with the verdicts and app findings of the run before kept (an unchanged re-run; small sizes)
 *   (c-an)    writeManifests, then analyze() of the files read back: the analysis alone (small sizes)
 *   (c-app)   the same mesh through `app.synth()`
 *   (c-cli)   the same through a real `cdk8s synth` (cdk8s-cli) of a cdk8s.yaml running (c-app)
 * The baselines (bench/stock-program.ts, over the library's documents)
 *   (d1)      stock cdk8s, every document an ApiObject of one chart: the fair baseline
 *   (d-ns)    stock cdk8s, one chart per namespace: quadratic, small sizes only
 *   (helm)    `helm template` of bench/helm/mesh, whole process (bench/helm.ts)
 *   (e)       JSON.stringify and js-yaml of the documents alone: floors
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChildRun, runChild } from './child-runs';
import { CompiledPrograms } from './compiled-programs';
import { Document, differences, documentsByFile, documentsIn } from './documents';
import { HelmBinary, helmTemplateArgs } from './helm';
import { LibraryCaches } from './library-caches';
import { MB, SECONDS, Unit, median, ratio, spread, target } from './stats';

const ROOT = path.resolve(__dirname, '..');
const CDK8S_CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
/** Sizes up to this run the variants that only explain (c-warm, c-an) and the quadratic (d-ns). */
const SMALL = 1000;
/** Sizes the issue's targets against helm, stock cdk8s and js-yaml are stated for. */
const TARGET_SIZES = [1000, 10000];

/** What the mesh figures run with. */
export interface MeshBench {
  readonly programs: CompiledPrograms;
  readonly helm: HelmBinary;
  /** The working folder: the programs' cwd (and caches), the outputs, cdk8s.yaml. */
  readonly work: string;
  /** Runs of each variant at a size. */
  readonly runsAt: (size: number) => number;
  /** How many runs of the quadratic (d-ns) at a size (0: not run). */
  readonly perNamespaceRunsAt: (size: number) => number;
}

/** The runs of each variant at one size. */
export type SizeRuns = ReadonlyMap<string, readonly ChildRun[]>;

interface Variant {
  readonly key: string;
  readonly label: string;
  /** Its runs start from the compiled validators alone (see library-caches.ts); c-warm keeps the cache of the run before. */
  readonly freshCaches: boolean;
  readonly runs: number;
  /** Whether its output is compared with (c-whole)'s. */
  readonly compared: boolean;
  readonly run: (outdir: string) => ChildRun;
}

/** The variants at one size, in the order of every round; (c-whole) first, as the baselines read its documents. */
function variants(bench: MeshBench, size: number, docsFile: string): Variant[] {
  const runs = bench.runsAt(size);
  const small = size <= SMALL ? runs : 0;
  const node = (args: readonly string[], env?: NodeJS.ProcessEnv) => runChild(process.execPath, args, { cwd: bench.work, env });
  const library = (mode: string) => (outdir: string) => node([bench.programs.library, mode, String(size), outdir]);
  const stock = (mode: string) => (outdir: string) => node([bench.programs.stock, mode, docsFile, outdir]);
  const cli = (outdir: string) => {
    const app = `${JSON.stringify(process.execPath)} ${JSON.stringify(bench.programs.library)} app ${size}`;
    fs.writeFileSync(path.join(bench.work, 'cdk8s.yaml'), `language: typescript\napp: '${app}'\noutput: '${outdir}'\n`);
    return node([CDK8S_CLI, 'synth', '--no-check-upgrade']);
  };
  const helm = bench.helm;
  const variant = (key: string, label: string, n: number, run: Variant['run'], freshCaches = false, compared = true): Variant =>
    ({ key, label, runs: n, run, freshCaches, compared });
  const list = [
    variant('c-whole', '`node library-program.js write`: writeManifests, whole process', runs, library('write'), true),
    variant('c-warm', 'the same, verdicts and findings of the run before kept (unchanged re-run)', small, library('write')),
    variant('c-an', 'writeManifests, then analyze() of the files read back', small, library('analyzed'), true),
    variant('c-app', '`node library-program.js app`: app.synth()', runs, outdir => node([bench.programs.library, 'app', String(size)],
      { CDK8S_OUTDIR: outdir }), true),
    variant('c-cli', '`cdk8s synth` (cdk8s-cli) of a cdk8s.yaml running the same app', runs, cli, true),
    variant('d1', 'stock cdk8s app.synth(), ONE chart of raw ApiObjects', runs, stock('one-chart')),
    variant('d-ns', 'stock cdk8s app.synth(), per-namespace charts, quadratic', bench.perNamespaceRunsAt(size), stock('ns-charts')),
    variant('e-json', 'JSON.stringify of each document (floor)', runs, stock('json'), false, false),
    variant('e-yaml', 'js-yaml dump of each document (floor)', runs, stock('yaml')),
  ];
  if ('path' in helm) {
    list.push(variant('helm', `\`helm template\` of bench/helm/mesh (${helm.version}), whole process`, runs,
      outdir => runChild(helm.path, helmTemplateArgs(size, outdir), { cwd: bench.work })));
  }
  return list.filter(v => v.runs > 0);
}

/**
 * One untimed run of the library at a few services in the working folder, before any measured
 * run: it compiles the validators every later run starts with (see library-caches.ts).
 */
export function compileValidators(bench: MeshBench): void {
  runChild(process.execPath, [bench.programs.library, 'analyzed', '20', path.join(bench.work, 'out', 'warm-up')], { cwd: bench.work });
}

/** Runs every variant at `size`, prints its figures and the ratios; returns the runs. */
export function measureSize(bench: MeshBench, size: number): SizeRuns {
  const caches = new LibraryCaches(bench.work);
  const docsFile = path.join(bench.work, `docs-${size}.json`);
  const list = variants(bench, size, docsFile);
  const outdir = (key: string) => path.join(bench.work, 'out', `${key}-${size}`);
  const runs = new Map<string, ChildRun[]>(list.map(v => [v.key, []]));
  const rounds = Math.max(...list.map(v => v.runs));
  for (let round = 0; round < rounds; round++) {
    for (const v of list.filter(x => x.runs > round)) {
      fs.rmSync(outdir(v.key), { recursive: true, force: true });
      if (v.freshCaches) caches.keepOnlyCompiledValidators();
      runs.get(v.key)!.push(v.run(outdir(v.key)));
      // The baselines' input: the library's documents, one entry per file (namespace), read once, untimed.
      if (round === 0 && v.key === 'c-whole') fs.writeFileSync(docsFile, JSON.stringify(documentsByFile(outdir(v.key))));
    }
  }
  const reference = documentsIn(outdir('c-whole'));
  const namespaces = new Set(reference.map(d => (d.metadata as Document | undefined)?.namespace).filter(Boolean)).size;
  console.log(`\n${count(size)} services: ${count(reference.length)} documents in ${namespaces} namespaces; `
    + `each variant its own process per run, in rounds of ${list.map(v => v.key).join(', ')}`);
  const c = runs.get('c-whole')!;
  printRow('c', 'writeManifests in process (the c-whole runs)', [['in process', c.map(r => r.reported.ms), SECONDS]]);
  for (const v of list) {
    const r = runs.get(v.key)!;
    const got = v.compared && v.key !== 'c-whole' ? differences(reference, documentsIn(outdir(v.key))) : undefined;
    const columns: Array<[string, number[], Unit]> = [['whole', r.map(x => x.wallMs), SECONDS]];
    if (r[0].reported.ms !== undefined && v.key !== 'c-whole') columns.push(['in process', r.map(x => x.reported.ms), SECONDS]);
    if (r[0].reported.analysisMs !== undefined) columns.push(['analysis', r.map(x => x.reported.analysisMs), SECONDS]);
    if (r[0].reported.maxRssMb !== undefined) columns.push(['peak RSS', r.map(x => x.reported.maxRssMb), MB]);
    printRow(v.key, v.label, columns, got && `OUTPUT DIFFERS from (c-whole): ${got}`);
  }
  if (!('path' in bench.helm)) console.log(`  (helm)    no Helm available: ${bench.helm.unavailable}`);
  if (bench.perNamespaceRunsAt(size) === 0) {
    console.log(`  (d-ns)    not run at ${count(size)} services: quadratic (BENCH_DNS_MAX=${size} runs it once)`);
  }
  printRatios(size, runs);
  return runs;
}

function printRow(key: string, label: string, columns: ReadonlyArray<[string, number[], Unit]>, note?: string): void {
  const figures = columns.map(([name, values, unit]) => `${name} ${spread(values, unit)}`).join('   ');
  console.log(`  ${`(${key})`.padEnd(9)} ${label.padEnd(66)} ${figures}${note ? `\n            ${note}` : ''}`);
}

/** A count with thousands separators. */
const count = (n: number) => n.toLocaleString('en-US');
const wall = (runs: SizeRuns, key: string) => (runs.get(key) ?? []).map(r => r.wallMs);
const inProcess = (runs: SizeRuns, key: string) => (runs.get(key) ?? []).map(r => r.reported.ms);

/** A ratio of medians with its target, or none (`limit` undefined). */
function ratioLine(name: string, a: readonly number[], b: readonly number[], limit?: number): string {
  const value = ratio(a, b);
  const text = `  ${name.padEnd(26)} ${value}`;
  return limit === undefined ? text : target(text, a.length && b.length ? median(a) / median(b) : undefined, limit, limit.toFixed(1));
}

function printRatios(size: number, runs: SizeRuns): void {
  const stated = TARGET_SIZES.includes(size);
  const c = inProcess(runs, 'c-whole');
  const note = stated ? '' : ' (the helm, d1 and js-yaml targets are stated for 1,000 and 10,000)';
  console.log(`  ratios of medians at ${count(size)} services${note}:`);
  console.log(ratioLine('c-whole/helm (whole)', wall(runs, 'c-whole'), wall(runs, 'helm'), stated ? 1.0 : undefined));
  console.log(ratioLine('c/d1 (in process)', c, inProcess(runs, 'd1'), stated ? 0.5 : undefined));
  console.log(ratioLine('c/d-ns (in process)', c, inProcess(runs, 'd-ns')));
  console.log(ratioLine('c/js-yaml (in process)', c, inProcess(runs, 'e-yaml'), stated ? 3 : undefined));
  console.log(ratioLine('c-app/c (in process)', inProcess(runs, 'c-app'), c, 1.2));
  console.log(ratioLine('c-cli/c-whole (whole)', wall(runs, 'c-cli'), wall(runs, 'c-whole'), 1.2));
}

/** The scaling and limit figures over the sizes measured. */
export function printScaling(bySize: ReadonlyMap<number, SizeRuns>): void {
  const at = (size: number) => bySize.get(size);
  const small = at(1000);
  console.log('\nscaling and limits');
  for (const size of [5000, 10000]) {
    const large = at(size);
    if (!small || !large) continue;
    const limit = size === 5000 ? 5.5 : undefined;
    const linear = `linear = ${size / 1000}`;
    const c = ratioLine(`c ${size}/1000`, inProcess(large, 'c-whole'), inProcess(small, 'c-whole'), limit);
    console.log(`${c}   (in process; ${linear})`);
    console.log(`${ratioLine(`c-whole ${size}/1000`, wall(large, 'c-whole'), wall(small, 'c-whole'))}   (whole process; ${linear})`);
  }
  const largest = at(10000);
  if (largest) {
    const whole = wall(largest, 'c-whole');
    const rss = largest.get('c-whole')!.map(r => r.reported.maxRssMb);
    console.log(target(`  10,000 services, (c-whole) whole process ${spread(whole, SECONDS)}`, median(whole) / 1000, 5, '5 s'));
    console.log(target(`  10,000 services, (c-whole) peak RSS ${spread(rss, MB)}`, median(rss), 800, '800 MB'));
  }
}
