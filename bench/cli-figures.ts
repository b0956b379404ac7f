/**
 * The CLI figures of `npm run bench` (it also runs alone: `npx tsx bench/cli-figures.ts`): the real
 * `cdk8s-istio analyze` (`node bin/cdk8s-istio.js`) in a child process, over input generated here:
 *
 *   (f) 50 MB of manifests: ~330k small documents (Namespaces, Services, ServiceAccounts,
 *       VirtualServices, DestinationRules, ConfigMaps of one consistent mesh) in 10 files of a folder;
 *   (f1) the same documents in one file (the command reads it in parts, on every core);
 *   (g) one mapping with 470k keys (a ConfigMap's data), ~10 MB;
 *
 * each run CLI_BENCH_RUNS times (default 5: a 2-core machine varies by ±15% from run to run), the
 * cases alternating so machine noise hits them alike.
 * It prints the median wall time with min–max and n, the peak RSS of the child (its own maxRSS,
 * written at exit by a preload), and the child's CPU time (all its threads: the CLI reads large
 * input on every core); it never fails on the figures.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MB, SECONDS, Unit, median, spread, target } from './stats';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-istio.js');
const RUNS = Number(process.env.CLI_BENCH_RUNS ?? 5);
const TARGET_BYTES = 50 * 1024 * 1024;
const FILES = 10;
const KEYS = 470_000;

/** The documents of one service of the generated mesh (~150 bytes each). */
function serviceDocuments(i: number, namespace: string): string[] {
  const name = `svc${i}`;
  const meta = `metadata: {name: ${name}, namespace: ${namespace}}`;
  return [
    `apiVersion: v1\nkind: Service\n${meta}\nspec:\n  selector: {app: ${name}}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n`,
    `apiVersion: v1\nkind: ServiceAccount\n${meta}\n`,
    `apiVersion: networking.istio.io/v1\nkind: VirtualService\n${meta}\nspec:\n  hosts: [${name}]\n`
      + `  http: [{route: [{destination: {host: ${name}}}], timeout: 5s}]\n`,
    `apiVersion: networking.istio.io/v1\nkind: DestinationRule\n${meta}\nspec:\n  host: ${name}\n`
      + '  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n',
    `apiVersion: v1\nkind: ConfigMap\n${meta}\ndata: {owner: team-${i % 17}, tier: backend, region: eu-west-1}\n`,
  ];
}

/** Writes (f) into `dir`: about 50 MB of manifests in {@link FILES} files; returns the document count. */
export function writeManifestFolder(dir: string): number {
  fs.mkdirSync(dir, { recursive: true });
  const namespaces = Array.from({ length: 500 }, (_, n) => `ns${n}`);
  const parts: string[][] = Array.from({ length: FILES }, () => []);
  const namespace = (ns: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {istio-injection: enabled}\n`;
  parts[0].push(...namespaces.map(namespace));
  let bytes = parts[0].reduce((n, d) => n + d.length + 4, 0);
  let documents = parts[0].length;
  for (let i = 0; bytes < TARGET_BYTES; i++) {
    for (const doc of serviceDocuments(i, namespaces[i % namespaces.length])) {
      parts[i % FILES].push(doc);
      bytes += doc.length + 4;
      documents++;
    }
  }
  parts.forEach((docs, f) => fs.writeFileSync(path.join(dir, `mesh-${String(f).padStart(2, '0')}.yaml`), docs.join('---\n')));
  return documents;
}

/** Writes (f1): the documents of the files of (f) `folder`, in their order, as one file. */
export function writeSingleFile(folder: string, file: string): void {
  const parts = fs.readdirSync(folder).sort().map(f => fs.readFileSync(path.join(folder, f), 'utf8'));
  fs.writeFileSync(file, parts.map(text => (text.endsWith('\n') ? text : `${text}\n`)).join('---\n'));
}

/** Writes (g): one ConfigMap whose data has {@link KEYS} keys. */
export function writeWideMapping(file: string): void {
  const data = Array.from({ length: KEYS }, (_, k) => `  key-${k}: value-${k}`).join('\n');
  fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide, namespace: default}\ndata:\n${data}\n`);
}

/** One run of the CLI: wall ms, the child's peak RSS (MB) and CPU ms, its exit code and first output line. */
interface CliRun {
  readonly ms: number;
  readonly rssMb: number;
  readonly cpuMs: number;
  /** The part of `ms` spent reading (parsing) the input, as the CLI reports it. */
  readonly readMs: number;
  /** The part spent in the analysis. */
  readonly analysisMs: number;
  readonly status: number | null;
  readonly summary: string;
}

function runCli(preload: string, input: string): CliRun {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--require', preload, BIN, 'analyze', input], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CDK8S_ISTIO_TIMINGS: '1' },
  });
  const ms = performance.now() - start;
  const usage = /@@usage (\d+) (\d+)/.exec(result.stderr ?? '');
  const timings = /Timings: read \d+ objects in ([\d.]+) s, analyzed them in ([\d.]+) s/.exec(result.stderr ?? '');
  const summary = (result.stdout || result.stderr || String(result.error ?? '')).split('\n')[0].slice(0, 100);
  return {
    ms,
    status: result.status,
    summary,
    rssMb: usage ? Number(usage[1]) / 1024 : NaN,
    cpuMs: usage ? Number(usage[2]) / 1000 : NaN,
    readMs: timings ? Number(timings[1]) * 1000 : NaN,
    analysisMs: timings ? Number(timings[2]) * 1000 : NaN,
  };
}

/** Generates the inputs, runs the cases `runs` times alternating, prints the figures. */
export function printCliFigures(runs = RUNS): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-cli-bench-'));
  try {
    const folder = path.join(work, 'mesh');
    const documents = writeManifestFolder(folder);
    const megabytes = fs.readdirSync(folder).reduce((n, f) => n + fs.statSync(path.join(folder, f)).size, 0) / 1024 / 1024;
    const single = path.join(work, 'mesh.yaml');
    writeSingleFile(folder, single);
    const wide = path.join(work, 'wide.yaml');
    writeWideMapping(wide);
    const wideMb = fs.statSync(wide).size / 1024 / 1024;
    const preload = path.join(work, 'usage.js');
    // Worker threads load the preload too: only the main thread reports, at exit, for the whole process.
    fs.writeFileSync(preload, "if (require('worker_threads').isMainThread) process.on('exit', () => { const u = process.resourceUsage(); "
      + "require('fs').writeSync(2, `\\n@@usage ${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\\n`); });\n");
    const cases = [
      { label: `(f) ${megabytes.toFixed(0)} MB, ${documents} documents in ${FILES} files`, input: folder, rssLimitMb: 1024 },
      { label: `(f1) the same ${documents} documents in one file`, input: single, rssLimitMb: 1024 },
      { label: `(g) one mapping with ${KEYS / 1000}k keys (${wideMb.toFixed(0)} MB)`, input: wide, rssLimitMb: undefined },
    ].map(c => ({ ...c, runs: [] as CliRun[] }));
    for (let i = 0; i < runs; i++) for (const c of cases) c.runs.push(runCli(preload, c.input));
    console.log('\ncdk8s-istio analyze (the CLI, a child process each run, cases alternating)');
    for (const c of cases) {
      const exits = [...new Set(c.runs.map(r => r.status))].join(', ');
      const values = (key: keyof CliRun) => c.runs.map(r => r[key] as number);
      const of = (key: keyof CliRun, unit: Unit) => spread(values(key), unit);
      console.log(`${c.label}`);
      console.log(target(`    wall ${of('ms', SECONDS)}`, median(values('ms')) / 1000, 10, '10 s'));
      const rss = `    peak RSS ${of('rssMb', MB)}`;
      console.log(c.rssLimitMb === undefined ? rss : target(rss, median(values('rssMb')), c.rssLimitMb, '1 GB'));
      console.log(`    CPU ${of('cpuMs', SECONDS)}; of the wall, reading ${of('readMs', SECONDS)}, analysis ${of('analysisMs', SECONDS)}`);
      console.log(`    exit ${exits}: ${c.runs[0].summary}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) printCliFigures();
