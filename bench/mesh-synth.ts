/**
 * One measured run of the benchmark, in its own process so its peak memory is its own:
 *
 *   node -r tsx/cjs bench/mesh-synth.ts <variant> <services> <outdir> [docs.json]
 *
 * Variants: `library` (constructs + validation + analysis + writeManifests), `raw` (the same
 * documents as plain cdk8s ApiObjects through stock `app.synth()`), `json` and `yaml` (the same
 * documents serialized with JSON.stringify / js-yaml alone: floors). `docs` writes the library's
 * documents per chart to docs.json for the other variants (not timed). Prints one JSON line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import { analyze, writeManifests } from '../lib';
import { generatedMesh } from './generated-mesh';
import { renderChart } from '../lib/synth/render';

type Docs = Record<string, Record<string, any>[]>;

const [variant, sizeArg, outdir, docsFile] = process.argv.slice(2);
const size = Number(sizeArg);
const readDocs = () => JSON.parse(fs.readFileSync(docsFile, 'utf8')) as Docs;

function run(): Record<string, number> {
  switch (variant) {
    case 'library': {
      const start = performance.now();
      const { files } = writeManifests(generatedMesh(size), { outdir });
      const ms = performance.now() - start;
      const docs = files.flatMap(f => yaml.loadAll(fs.readFileSync(path.join(outdir, f), 'utf8')) as Record<string, any>[]);
      const analysisStart = performance.now();
      analyze(docs);
      return { ms, analysisMs: performance.now() - analysisStart, documents: docs.length };
    }
    case 'raw': {
      const docs = readDocs();
      const start = performance.now();
      const app = new App({ outdir });
      for (const [chartId, list] of Object.entries(docs)) {
        const chart = new Chart(app, chartId);
        list.forEach((doc, i) => new ApiObject(chart, `o${i}`, doc as any));
      }
      app.synth();
      return { ms: performance.now() - start };
    }
    case 'json':
    case 'yaml': {
      const docs = readDocs();
      fs.mkdirSync(outdir, { recursive: true });
      const start = performance.now();
      for (const [chartId, list] of Object.entries(docs)) {
        const text = variant === 'json'
          ? list.map(d => JSON.stringify(d)).join('\n')
          : list.map(d => yaml.dump(d, { lineWidth: -1, noRefs: true })).join('---\n');
        fs.writeFileSync(path.join(outdir, `${chartId}.${variant}`), text);
      }
      return { ms: performance.now() - start };
    }
    case 'docs': {
      const app = generatedMesh(size);
      const docs: Docs = Object.fromEntries(app.charts.map(c => [c.node.id, renderChart(c).map(i => i.doc)]));
      fs.writeFileSync(docsFile, JSON.stringify(docs));
      return { documents: Object.values(docs).flat().length };
    }
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

const result = run();
process.stdout.write(`${JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
