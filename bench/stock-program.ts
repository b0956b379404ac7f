/**
 * The baselines of the benchmark, compiled and run like bench/library-program.ts (one process per
 * measured run) over the documents the library wrote for the same mesh, read from a JSON file
 * `{ "<chart id>": [documents...] }` (one entry per namespace) before the clock starts:
 *
 *   node stock-program.js one-chart <docs.json> <outdir>    stock cdk8s: every document an ApiObject of ONE chart, app.synth()
 *   node stock-program.js ns-charts <docs.json> <outdir>    stock cdk8s: one chart per namespace, app.synth()
 *   node stock-program.js json <docs.json> <outdir>         JSON.stringify of each document, one file per namespace (floor)
 *   node stock-program.js yaml <docs.json> <outdir>         js-yaml dump of each document, one file per namespace (floor)
 *
 * Prints one JSON line: `ms` (in process, from the first construct or dump to the files written)
 * and `maxRssMb`. Stock cdk8s validates nothing of the documents' content; it writes
 * `<chart id>.k8s.yaml` files (one file in all for `one-chart`), where the library writes `<chart id>.yaml`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';

type Documents = Record<string, Record<string, unknown>[]>;

const [mode, docsFile, outdir] = process.argv.slice(2);
const docs = JSON.parse(fs.readFileSync(docsFile, 'utf8')) as Documents;

/** Stock cdk8s over the documents, with the charts `chartOf` groups them into. */
function stockSynth(chartOf: (namespace: string) => string): void {
  const app = new App({ outdir });
  const charts = new Map<string, Chart>();
  let objects = 0;
  for (const [namespace, list] of Object.entries(docs)) {
    const id = chartOf(namespace);
    const chart = charts.get(id) ?? new Chart(app, id);
    charts.set(id, chart);
    for (const doc of list) new ApiObject(chart, `o${objects++}`, doc as never);
  }
  app.synth();
}

/** The floors: each document serialized alone, one file per namespace. */
function serialize(dump: (doc: Record<string, unknown>) => string, separator: string, extension: string): void {
  fs.mkdirSync(outdir, { recursive: true });
  for (const [namespace, list] of Object.entries(docs)) {
    fs.writeFileSync(path.join(outdir, `${namespace}.${extension}`), list.map(dump).join(separator));
  }
}

function run(): void {
  switch (mode) {
    case 'one-chart': return stockSynth(() => 'mesh');
    case 'ns-charts': return stockSynth(namespace => namespace);
    case 'json': return serialize(d => JSON.stringify(d), '\n', 'json');
    case 'yaml': return serialize(d => yaml.dump(d, { lineWidth: -1, noRefs: true }), '---\n', 'yaml');
    default: throw new Error(`stock-program: unknown mode "${mode}" (one-chart, ns-charts, json or yaml)`);
  }
}

const start = performance.now();
run();
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
