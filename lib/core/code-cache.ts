import { createHash } from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { threadId } from 'worker_threads';

/**
 * Runs a CommonJS file the way Node's `require` does, but with V8's code cache for it kept in
 * `codeCache`: parsing and compiling large generated or bundled code is most of its loading time,
 * and V8 skips it when it accepts the cache (V8 checks that the cache belongs to this source and
 * this V8). A missing or rejected cache is written when the process exits, so that it also holds
 * the functions the run compiled lazily; a tree that cannot be written just compiles again.
 *
 * @param file the module to run
 * @param codeCache where its code cache is kept
 * @param moduleRequire the module's `require` (default: resolving from the module's own folder)
 * @returns the module's `module.exports`
 */
export function runWithCodeCache(file: string, codeCache: string, moduleRequire: NodeRequire = createRequire(file)): unknown {
  const cachedData = readIfPresent(codeCache);
  const source = `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) writeAtExit(codeCache, script);
  return run(script, file, moduleRequire);
}

/**
 * `require(file)` of a bundle (build/cdk8s-istio.js, build/cli.js), with its V8 code cache in the
 * {@link cacheFolder} when there is one: `<name>-<digest>.v8`, the digest of the
 * file's path, size, modification time and Node's version, so a rebuilt or moved bundle gets a
 * cache of its own; writing one removes the bundle's older ones. Without the folder, a plain `require`.
 */
export function requireCached(file: string): unknown {
  const folder = cacheFolder();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle of this package, by path
  if (folder === undefined) return require(file);
  const stat = fs.statSync(file);
  const name = path.basename(file, '.js');
  const digest = createHash('sha1').update(`${file}|${stat.size}|${stat.mtimeMs}|${process.version}`).digest('hex').slice(0, 16);
  const codeCache = path.join(folder, `${name}-${digest}.v8`);
  if (!fs.existsSync(codeCache)) removeAtExit(folder, name, codeCache);
  return runWithCodeCache(file, codeCache);
}

/** Removes, when the process exits, the code caches of `name` in `folder` other than `kept`. */
function removeAtExit(folder: string, name: string, kept: string): void {
  process.once('exit', () => {
    try {
      for (const entry of fs.readdirSync(folder)) {
        const other = path.join(folder, entry);
        if (entry.startsWith(`${name}-`) && entry.endsWith('.v8') && other !== kept) fs.rmSync(other, { force: true });
      }
    } catch {
      // no folder yet, or a read-only tree
    }
  });
}

function run(script: vm.Script, file: string, moduleRequire: NodeRequire): unknown {
  const module = { exports: {} as unknown, filename: file };
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeRequire, m: object, f: string, d: string) => void;
  wrapper(module.exports, moduleRequire, module, file, path.dirname(file));
  return module.exports;
}

/**
 * The folder of the package's tool caches (compiled validators, code caches, verdicts),
 * `node_modules/.cache/cdk8s-istio/`: the working directory's when it has a node_modules folder (a
 * project's own), else the one of the folder this package is installed in
 * ({@link installCacheFolder}), so the command run from anywhere (a global install, a temporary
 * folder) still finds what earlier runs compiled. Undefined with `CDK8S_ISTIO_CACHE=off`, or when
 * there is neither.
 */
export function cacheFolder(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env, packageDir = __dirname): string | undefined {
  if (env.CDK8S_ISTIO_CACHE === 'off') return undefined;
  const modules = path.join(cwd, 'node_modules');
  return fs.existsSync(modules) ? path.join(modules, '.cache', 'cdk8s-istio') : installCacheFolder(packageDir);
}

/**
 * The cache folder beside an installed copy of the package, from a folder inside it: under the
 * nearest enclosing `node_modules` (`<project>/node_modules/.cache/cdk8s-istio` for
 * `<project>/node_modules/cdk8s-istio/…`), or, in a checkout of the repository, under the
 * nearest enclosing folder that has a node_modules folder; undefined when neither exists.
 */
export function installCacheFolder(from: string): string | undefined {
  const ancestors: string[] = [];
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    ancestors.push(dir);
    if (path.dirname(dir) === dir) break;
  }
  const modules = ancestors.find(dir => path.basename(dir) === 'node_modules')
    ?? ancestors.map(dir => path.join(dir, 'node_modules')).find(dir => fs.existsSync(dir));
  return modules === undefined ? undefined : path.join(modules, '.cache', 'cdk8s-istio');
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Code caches to write when the process exits, by file. */
const pendingCodeCaches = new Map<string, vm.Script>();

function writeAtExit(file: string, script: vm.Script): void {
  if (pendingCodeCaches.size === 0) process.once('exit', writePendingCodeCaches);
  pendingCodeCaches.set(file, script);
}

function writePendingCodeCaches(): void {
  for (const [file, script] of pendingCodeCaches) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}-${threadId}.tmp`; // the threads of a process write their own
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, file);
    } catch {
      // a read-only tree: the next run compiles the code again
    }
  }
  pendingCodeCaches.clear();
}
