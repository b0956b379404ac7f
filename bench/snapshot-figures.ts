/**
 * (h) for `npm run bench`: what a snapshot test suite pays per `Testing.synth()` of a small chart
 * (bench/snapshot-program.ts), with the project's verdict store empty and with it holding
 * {@link FULL} verdicts, the two alternating, each run its own process starting with the compiled
 * validators only (library-caches.ts). It prints figures and never fails on them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChildRun, runChild } from './child-runs';
import { LibraryCaches } from './library-caches';
import { MS, spread } from './stats';

/** Synthesis per run, of new documents and then of the same ones again. */
const SYNTHS = 20;
/** A store near its bound (lib/analysis/schema/verdict-cache.ts keeps 100,000). */
const FULL = 90_000;

/** Prints the per-synthesis figures of `runs` rounds. */
export function printSnapshotFigures(program: string, runs: number): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-snapshots-'));
  try {
    const caches = new LibraryCaches(work);
    const run = (stored: number) => {
      caches.keepOnlyCompiledValidators();
      return runChild(process.execPath, [program, String(SYNTHS), String(stored)], { cwd: work });
    };
    run(0); // compiles the validators, untimed
    const byStore = new Map<number, ChildRun[]>([[0, []], [FULL, []]]);
    for (let round = 0; round < runs; round++) for (const [stored, list] of byStore) list.push(run(stored));
    console.log(`\n(h) a snapshot test suite: ${SYNTHS} Testing.synth() of a one-service chart in one process, then the same `
      + `${SYNTHS} again; each run its own process, the two stores alternating`);
    for (const [stored, list] of byStore) {
      const label = stored === 0 ? 'empty verdict store' : `store of ${stored.toLocaleString('en-US')} verdicts`;
      console.log(`    ${label.padEnd(28)} new documents ${spread(list.map(r => r.reported.newMs), MS)} per synth   `
        + `unchanged ${spread(list.map(r => r.reported.unchangedMs), MS)} per synth`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
