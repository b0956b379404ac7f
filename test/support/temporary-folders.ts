// Temporary folders of the tests, removed when the test file is done (not a test file itself).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Testing } from 'cdk8s';

// Jest gives each test file its own module registry, so this list, and the hook that empties it, belong
// to one test file. The hook is registered when the test file imports this module, at its top level:
// jest refuses hooks defined inside a test, and one defined in a describe block would run when that
// block ends, before the tests of later blocks that may use folders made while they were collected.
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/**
 * A new, empty folder `<tmp>/<prefix>XXXXXX` (`fs.mkdtempSync`), removed with everything in it after
 * the last test of the test file that made it. Call it anywhere: at module level, in a describe
 * block, in a hook or in a test.
 */
export function temporaryFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/**
 * `Testing.app()` with its output folder a {@link temporaryFolder}: cdk8s's own makes a
 * `<tmp>/cdk8s.outdir.XXXXXX` folder for every app and never removes it.
 */
export function testApp(props: AppProps = {}): App {
  return Testing.app({ outdir: temporaryFolder('cdk8s-istio-app-'), ...props });
}
