/**
 * jest's globalSetup: before any test file runs, compiles build/ when a source is newer than it
 * (scripts/build.js, as `npm test`'s checks and `bin/cdk8s-istio.js` do), once for the whole run.
 * The suites that run the compiled code (the command in a child process, the bundles, the packed
 * package) then never include a compile in a test's time limit or output, and parallel workers
 * never race to compile. A failed compile prints tsc's errors and ends the run with its status.
 */
export default function compileBuild(): void {
  (require('../../scripts/build.js') as { ensureBuilt(): void }).ensureBuilt();
}
