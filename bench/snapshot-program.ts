/**
 * A snapshot test suite as the bench measures it: `Testing.synth()` of a one-service chart, many
 * times in one process, in a project whose verdict store (lib/analysis/schema/verdict-cache.ts)
 * already holds a given number of verdicts, as a long-used project's store does (it keeps up to
 * 100,000). Compiled and run like bench/library-program.ts.
 *
 *   node snapshot-program.js <synths> <stored verdicts>
 *
 * First `synths` charts whose documents are new to the store (each synthesis checks and saves
 * them), then the same charts again (every verdict from the store, and each chart's findings
 * from the analysis cache, lib/analysis/analysis-cache.ts). Prints one JSON line: `newMs`
 * and `unchangedMs`, the milliseconds per synthesis of each.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { MeshNamespace, MeshService } from '../lib';

const [synths, stored] = process.argv.slice(2).map(Number);
const STORE_FOLDER = path.join(process.cwd(), 'node_modules', '.cache', 'cdk8s-istio');

function chart(i: number): Chart {
  const shop = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new MeshNamespace(shop, 'shop');
  new MeshService(shop, `hello-${i}`, { port: 5678, versions: { v1: { image: 'hashicorp/http-echo:1.0', args: ['-text=hello'] } } });
  return shop;
}

/** Fills the store the first synthesis wrote with `count` more verdicts (of documents the suite never makes). */
function padStore(count: number): void {
  const [file] = fs.readdirSync(STORE_FOLDER).filter(f => /^verdicts-.*\.json$/.test(f)).map(f => path.join(STORE_FOLDER, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  const store = JSON.parse(fs.readFileSync(file, 'utf8')) as { kinds: object; documents: Record<string, unknown[]> };
  for (let i = 0; i < count; i++) store.documents[createHash('sha256').update(`padding ${i}`).digest('base64url')] = [];
  fs.writeFileSync(file, JSON.stringify(store));
}

/** Milliseconds per synthesis of charts 1…synths. */
function perSynth(): number {
  const start = performance.now();
  for (let i = 1; i <= synths; i++) Testing.synth(chart(i));
  return (performance.now() - start) / synths;
}

Testing.synth(chart(0));
padStore(stored);
const newMs = perSynth();
const unchangedMs = perSynth();
process.stdout.write(`${JSON.stringify({ newMs, unchangedMs })}\n`);
