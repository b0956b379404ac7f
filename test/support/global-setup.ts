import { spawnSync } from 'child_process';
import * as path from 'path';

const BUILD_SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'build.js');

/**
 * jest's `globalSetup`: compiles build/ when a source is newer (`node scripts/build.js`), once
 * before any suite runs, since many suites run the compiled code in build/ (bin/cdk8s-istio.js,
 * the packed package, the bundles) and no test's time limit or output should include a compile.
 */
export default function compileBuild(): void {
  const r = spawnSync(process.execPath, [BUILD_SCRIPT], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node scripts/build.js failed (exit ${r.status}):\n${r.stdout}${r.stderr}${r.error ?? ''}`);
}
