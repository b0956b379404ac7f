import * as fs from 'fs';
import * as path from 'path';

/**
 * The library's caches in the folder the bench runs its programs in (`node_modules/.cache/cdk8s-istio`
 * of the working directory, lib/analysis/schema): the bench's own, apart from the project's, so that
 * no other run changes what a measured run finds.
 *
 * Every measured library run starts with the compiled validators (`*.cjs`, made once per schema,
 * like a build) and the V8 code caches of those and of the library's bundle (`*.v8`, made by the
 * first run of a build) and nothing else: no verdict of an earlier run, so every document is
 * validated, as after a change to all of them.
 */
export class LibraryCaches {
  private readonly dir: string;

  /** @param workdir the measured programs' working directory; it gets a node_modules folder for the caches */
  constructor(workdir: string) {
    fs.mkdirSync(path.join(workdir, 'node_modules'), { recursive: true });
    this.dir = path.join(workdir, 'node_modules', '.cache', 'cdk8s-istio');
  }

  /** Removes everything but the compiled validators. */
  public keepOnlyCompiledValidators(): void {
    if (!fs.existsSync(this.dir)) return;
    for (const entry of fs.readdirSync(this.dir).filter(f => !f.endsWith('.cjs') && !f.endsWith('.v8'))) {
      fs.rmSync(path.join(this.dir, entry), { recursive: true, force: true });
    }
  }
}
