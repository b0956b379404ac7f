import { spawnSync } from 'child_process';
import * as path from 'path';

const BUILD_SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'build.js');

/**
 * For a suite that runs the compiled code in build/ (bin/cdk8s-istio.js in a checkout): compiles
 * build/ before the suite's tests when a source is newer (`node scripts/build.js`), so that no
 * test's time limit or output includes a compile. Suites in parallel workers do not race: one
 * process compiles at a time, and the others then find build/ up to date.
 */
export function compileBuildFirst(): void {
  beforeAll(() => {
    const r = spawnSync(process.execPath, [BUILD_SCRIPT], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node scripts/build.js failed (exit ${r.status}):\n${r.stdout}${r.stderr}${r.error ?? ''}`);
  }, 300_000);
}
