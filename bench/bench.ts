/**
 * `npm run bench`: every figure of the library's performance, from one run, each a median with
 * min–max and n, the compared commands alternating, the machine's load at the start and the end
 * and the share of CPU time the host stole during each part (machine.ts):
 *
 *   (a), (b)  the bundled apps: `npm run synth`, npm's and node's share of it, kustomize (synth-figures.ts)
 *   (c)...(e) generated meshes against stock cdk8s, Helm and serialization floors (mesh-figures.ts)
 *             sizes BENCH_SIZES (default 1000,5000,10000); runs BENCH_RUNS (default 5 up to 1,000
 *             services, 3 above, unless BENCH_RUNS is set); (d-ns), being quadratic,
 *             not above BENCH_DNS_MAX (default 1000) services, and only once above 1,000
 *   (h)       a snapshot test suite's Testing.synth() with an empty and a full verdict store (snapshot-figures.ts)
 *   package   install size and require time (package-figures.ts)
 *   (f), (g)  the analyze CLI over large input (cli-figures.ts; CLI_BENCH_RUNS)
 *
 * Targets are printed next to their figures ("met" / "MISSED"); it never fails on a figure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { printCliFigures } from './cli-figures';
import { compilePrograms } from './compiled-programs';
import { HELM_PACKAGE, helmBinary } from './helm';
import { StealMeter, machineLine } from './machine';
import { SizeRuns, compileValidators, measureSize, printScaling } from './mesh-figures';
import { printPackageFigures } from './package-figures';
import { printSnapshotFigures } from './snapshot-figures';
import { SECONDS, figure } from './stats';
import { printSynthFigures } from './synth-figures';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
const DNS_MAX = Number(process.env.BENCH_DNS_MAX ?? 1000);

/**
 * Runs per variant at a size: BENCH_RUNS when set, else fewer for the large meshes to keep the
 * bench near 10 minutes, but never one: a single run of a 10,000-service mesh varied by a quarter
 * between benches on this machine, so its median needs three.
 */
function runsAt(size: number): number {
  if (process.env.BENCH_RUNS !== undefined || size <= 1000) return RUNS;
  return Math.min(RUNS, 3);
}

const started = performance.now();
const wholeRun = new StealMeter();
const section = new StealMeter();
console.log('cdk8s-istio benchmark');
console.log(machineLine('start'));
console.log(`runs per variant: ${SIZES.map(s => `${runsAt(s)} at ${s.toLocaleString('en-US')} services`).join(', ')}`
  + `${process.env.BENCH_RUNS === undefined ? ' (fewer for the large meshes by default; BENCH_RUNS sets one count for all)' : ''}\n`);

printSynthFigures(RUNS);
console.log(`    ${section.sinceLast()}`);

const programs = compilePrograms();
const helm = helmBinary();
console.log('\ngenerated meshes (bench/generated-mesh.ts): compiled programs beside a copy of build/ '
  + '(node_modules/.cache/cdk8s-istio-bench/programs); every library run validates every document (schema + CEL + '
  + 'Kubernetes types) and analyzes them');
console.log(`helm: ${'path' in helm ? `${helm.version} from the npm package ${HELM_PACKAGE}` : `no Helm available: ${helm.unavailable}`}`);
console.log('layouts: the library writes <namespace>.yaml per chart; cdk8s writes <chart>.k8s.yaml '
  + '((c-app), (c-cli), (d-ns): one per namespace; '
  + '(d1): one mesh.k8s.yaml); helm one file per template. Outputs are compared as sets of documents, not files.');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-bench-'));
const bench = {
  programs,
  helm,
  work,
  runsAt,
  perNamespaceRunsAt: (size: number) => (size <= 1000 ? runsAt(size) : size <= DNS_MAX ? 1 : 0),
};
const bySize = new Map<number, SizeRuns>();
try {
  compileValidators(bench);
  section.sinceLast(); // (compiling the programs and validators is not measured)
  for (const size of SIZES) {
    bySize.set(size, measureSize(bench, size));
    console.log(`  ${section.sinceLast()}`);
  }
  printScaling(bySize);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

section.sinceLast();
printSnapshotFigures(programs.snapshots, RUNS);
console.log(`    ${section.sinceLast()}`);
printPackageFigures(RUNS);
printCliFigures();
console.log(`    ${section.sinceLast()}`);
console.log(`\n${machineLine('end')}`);
console.log(`over the whole bench, ${wholeRun.sinceLast()}`);
console.log(`bench took ${figure(performance.now() - started, SECONDS)}`);
