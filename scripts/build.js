/**
 * Compiles lib/, imports/ and apps/ into build/ with the project's tsconfig.json, only when build/
 * is stale: when a source file is newer than the last build (tsc then recompiles incrementally).
 * build/ is emptied first, so that it holds exactly what the sources compile to, when a source file
 * was added or removed, tsconfig.json, the TypeScript version or this script changed, or build/ holds a file
 * that the last compile did not write (an unexpected name, or written after it).
 *
 *   node scripts/build.js            compile if stale (`npm run synth`, `cdk8s synth`, `npm pack`,
 *                                    the cdk8s-istio command in a checkout, the test suite's setup)
 *   node scripts/build.js --clean    always compile from an empty build/
 *
 * After tsc, esbuild bundles the entry points with everything they import from lib/, imports/ and
 * apps/: build/lib/index.js into build/cdk8s-istio.js, the package's `main`; the synth of the
 * bundled apps (build/apps/main.js) into build/synth-apps.js, which `npm run synth` runs; and the
 * command (build/lib/cli/main.js, with its reading threads' entry) into build/cli.js and
 * build/read-worker.js, which bin/cdk8s-istio.js runs. One file to read and compile instead of
 * ~200 makes loading the library about twice as fast. Dependencies and peer dependencies stay
 * outside (required from node_modules as usual), except in build/cel.js: the CEL environment
 * (lib/analysis/schema/cel-environment.ts) with @bufbuild/cel and the packages it uses, their
 * notices at its top, which the bundles load on the first CEL rule. The tests load lib/ and
 * build/lib file by file. build/ is also stale when npm installed another version of esbuild or
 * of a package build/cel.js holds (the stamp records them).
 *
 * Plain JavaScript so that it runs before anything is compiled. The check stats every source and
 * build file (about 20 ms); a compile takes seconds, so it happens once per change. Two
 * processes never compile at once: the compile holds a lock file, and whoever waited for it checks
 * again afterwards (then finds build/ fresh). tsc's messages go to stderr, so that the standard
 * output of the command that called it stays its own.
 */
const { createHash } = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
const TSCONFIG = path.join(ROOT, 'tsconfig.json');
/** What the last compile was made from (sources, tsconfig.json, TypeScript version) and when it started and ended. */
const STAMP = path.join(BUILD, '.build-stamp.json');
const TSBUILDINFO = path.join(BUILD, '.tsbuildinfo');
/**
 * The bundles, by file: the compiled entry point each is made from, the dependencies it holds
 * (`withDependencies`: all of them; `inside`: these, else none), and whether class and function
 * names are kept (`keepNames`). The library's bundles keep them: a user's error messages, stack
 * traces and `instanceof` checks see its classes, and esbuild's class lowering would otherwise
 * rename some (`_VirtualService`). The command's do not: they name nothing to a user, and
 * `keepNames` costs a call for every function made, about 3% of a large analysis.
 */
const BUNDLES = {
  [path.join(BUILD, 'cdk8s-istio.js')]: { entry: path.join(BUILD, 'lib', 'index.js'), keepNames: true },
  // the CEL environment with @bufbuild/cel and @bufbuild/protobuf inside, which the bundles beside
  // it load on the first CEL rule (lib/analysis/schema/cel-rules.ts): the only bundle that holds dependencies
  [path.join(BUILD, 'cel.js')]: {
    entry: path.join(BUILD, 'lib', 'analysis', 'schema', 'cel-environment.js'), keepNames: true, withDependencies: true,
  },
  // the synth of the bundled apps, with cdk8s and constructs inside: loading them from node_modules
  // (resolving and compiling some 40 files) was a tenth of `npm run synth`; this bundle is not published
  [path.join(BUILD, 'synth-apps.js')]: { entry: path.join(BUILD, 'apps', 'main.js'), keepNames: true, inside: ['cdk8s', 'constructs', 'js-yaml', 're2js'] },
  // the command, and its reading threads' entry beside it (lib/cli/parallel-read.ts starts `read-worker.js` of its own folder)
  [path.join(BUILD, 'cli.js')]: { entry: path.join(BUILD, 'lib', 'cli', 'main.js'), keepNames: false },
  [path.join(BUILD, 'read-worker.js')]: { entry: path.join(BUILD, 'lib', 'cli', 'read-worker.js'), keepNames: false },
};
/** Held while a compile runs (it holds the owner's pid); outside build/, which a clean compile removes. */
const LOCK = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-istio-build.lock');
const SOURCE_DIRS = ['lib', 'imports', 'apps'];

/** Every .ts file tsconfig.json compiles, relative to the repository root, sorted. */
function sourceFiles() {
  const files = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts')) files.push(rel);
    }
  };
  SOURCE_DIRS.forEach(walk);
  return files.sort();
}

/**
 * The installed TypeScript's version, read from the checkout's node_modules (the dev dependency
 * is there; resolving it through `require` costs more than the rest of the check).
 */
function typescriptVersion() {
  const installed = path.join(ROOT, 'node_modules', 'typescript', 'package.json');
  return JSON.parse(fs.readFileSync(fs.existsSync(installed) ? installed : require.resolve('typescript/package.json'), 'utf8')).version;
}

/** What build/ is compiled from, besides the sources' contents (this script included): the stamp's record of it. */
function inputs(files) {
  return {
    files,
    tsconfig: fs.readFileSync(TSCONFIG, 'utf8'),
    typescript: typescriptVersion(),
    builder: createHash('sha256').update(fs.readFileSync(__filename)).digest('hex'),
  };
}

/** Every file under build/ (absolute paths). */
function buildFiles() {
  const files = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(BUILD);
  return files;
}

/** A file in build/ that the last compile did not write: not an output of a source, or modified since. */
function foreignFile(files, stamp) {
  const expected = new Set([TSBUILDINFO, ...Object.keys(BUNDLES)]);
  for (const f of files) {
    const out = path.join(BUILD, f.replace(/\.ts$/, ''));
    expected.add(`${out}.js`);
    expected.add(`${out}.d.ts`);
  }
  return buildFiles().find(f => f !== STAMP && (!expected.has(f) || fs.statSync(f).mtimeMs > stamp.finishedAt));
}

/**
 * Why build/ must be compiled again and whether it must be emptied first, or undefined when
 * build/ is up to date.
 */
function staleness(files) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return { reason: 'no previous build', clean: true };
  }
  const now = inputs(files);
  if (JSON.stringify(stamp.files) !== JSON.stringify(now.files)) return { reason: 'source files were added or removed', clean: true };
  if (stamp.tsconfig !== now.tsconfig) return { reason: 'tsconfig.json changed', clean: true };
  if (stamp.typescript !== now.typescript) return { reason: `TypeScript ${stamp.typescript} is now ${now.typescript}`, clean: true };
  if (stamp.builder !== now.builder) return { reason: 'scripts/build.js changed', clean: true };
  const foreign = foreignFile(files, stamp);
  if (foreign) return { reason: `${path.relative(ROOT, foreign)} was not written by the last compile`, clean: true };
  const missing = Object.keys(BUNDLES).find(f => !fs.existsSync(f));
  if (missing) return { reason: `${path.relative(ROOT, missing)} is missing`, clean: true };
  // npm installed another version of a package the bundles hold, or of esbuild
  const updated = Object.entries(stamp.bundled ?? {}).find(([folder, version]) => installedVersion(folder) !== version);
  if (!stamp.bundled || updated) return { reason: `${updated ? updated[0] : 'the bundled packages'} changed`, clean: false };
  const newer = files.find(f => fs.statSync(path.join(ROOT, f)).mtimeMs > stamp.builtAt);
  return newer ? { reason: `${newer} changed`, clean: false } : undefined;
}

/** Compiles into build/ (emptied first when `clean`); returns tsc's exit status. */
function compile(files, clean) {
  if (clean) fs.rmSync(BUILD, { recursive: true, force: true });
  const startedAt = Date.now();
  const tsc = require.resolve('typescript/bin/tsc');
  // incremental: after a change, tsc re-checks only what depends on it (5 s instead of 10 s here)
  const args = [tsc, '-p', TSCONFIG, '--incremental', '--tsBuildInfoFile', TSBUILDINFO];
  // required here: loading child_process is a third of the check that most runs stop at
  const result = require('child_process').spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) return result.status ?? 1;
  const bundled = bundleEntryPoints();
  fs.writeFileSync(STAMP, JSON.stringify({ builtAt: startedAt, finishedAt: Date.now(), ...inputs(files), bundled }));
  return 0;
}

/**
 * Licence texts for the SPDX ids of bundled packages that ship no licence file. Apache-2.0 is this
 * package's own licence, whose text the package carries (LICENSE).
 */
const LICENCE_TEXTS = {
  'Apache-2.0': 'The text of the Apache License 2.0 is in the LICENSE file of this package.',
  'BSD-3-Clause': `Redistribution and use in source and binary forms, with or without modification, are permitted
provided that the following conditions are met:
1. Redistributions of source code must retain the above copyright notice, this list of conditions
   and the following disclaimer.
2. Redistributions in binary form must reproduce the above copyright notice, this list of
   conditions and the following disclaimer in the documentation and/or other materials provided
   with the distribution.
3. Neither the name of the copyright holder nor the names of its contributors may be used to
   endorse or promote products derived from this software without specific prior written permission.
THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR
IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR
CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE
USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.`,
};

/** The folders of the packages a bundle holds (from esbuild's metafile; relative to the repository), each with the files of it bundled. */
function bundledPackages(metafile) {
  const byFolder = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) byFolder.set(match[1], [...byFolder.get(match[1]) ?? [], input]);
  }
  return byFolder;
}

/** The version of the package installed in `folder` (relative to the repository), or undefined when there is none. */
function installedVersion(folder) {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, folder, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * The notices of the packages a bundle holds (from esbuild's metafile), as a comment for its top:
 * for each package its name, version and licence, the copyright lines of the files bundled, and
 * the licence files it ships, else the text of each licence its SPDX expression names. A licence
 * with neither stops the build: someone must look at it.
 */
function bundledNotices(metafile) {
  const notices = [...bundledPackages(metafile)].sort(([a], [b]) => a.localeCompare(b)).map(([dir, inputs]) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));
    const name = manifest.name;
    const copyrights = new Set(inputs.flatMap(f => [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/Copyright \(?[cC0-9][^\n]*/g)]
      .map(m => m[0].trim())));
    const files = fs.readdirSync(path.join(ROOT, dir)).filter(f => /^(licen[cs]e|notice|copying)/i.test(f))
      .map(f => fs.readFileSync(path.join(ROOT, dir, f), 'utf8').trim());
    const ids = String(manifest.license).match(/[A-Za-z0-9.-]+/g).filter(id => id !== 'AND' && id !== 'OR');
    const texts = files.length > 0 ? files : ids.map(id => {
      if (!LICENCE_TEXTS[id]) {
        throw new Error(`${name} is licensed ${manifest.license} and ships no licence text: add the text of ${id} to scripts/build.js`);
      }
      return `${id}:\n${LICENCE_TEXTS[id]}`;
    });
    return [`${name}@${manifest.version}, licence ${manifest.license}`, ...copyrights, '', ...texts].join('\n');
  });
  const text = `This file bundles code of this package with these packages:\n\n${notices.join('\n\n----\n\n')}`;
  if (text.includes('*/')) throw new Error('a bundled licence text holds "*/": write the notices to a file of their own');
  return `/*\n${text}\n*/\n`;
}

/**
 * Writes the {@link BUNDLES}; returns the versions of esbuild and of every package bundled into
 * them, by folder, for the stamp: a change to any of them makes build/ stale.
 */
function bundleEntryPoints() {
  const versions = { [path.join('node_modules', 'esbuild')]: installedVersion(path.join('node_modules', 'esbuild')) };
  const manifest = require('../package.json');
  const outside = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
  for (const [outfile, { entry, keepNames, withDependencies, inside = [] }] of Object.entries(BUNDLES)) {
    const holdsPackages = withDependencies || inside.length > 0;
    const result = require('esbuild').buildSync({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      keepNames,
      external: withDependencies ? [] : outside.filter(name => !inside.includes(name)).flatMap(name => [name, `${name}/*`]),
      // only the package's own bundles look for build/cel.js beside them (lib/analysis/schema/cel-rules.ts)
      define: { CDK8S_ISTIO_OWN_BUNDLE: 'true' },
      absWorkingDir: ROOT, // the metafile's paths are relative to the repository
      metafile: holdsPackages,
      logLevel: 'error',
    });
    if (!holdsPackages) continue;
    fs.writeFileSync(outfile, bundledNotices(result.metafile) + fs.readFileSync(outfile, 'utf8'));
    for (const folder of bundledPackages(result.metafile).keys()) versions[folder] = installedVersion(folder);
  }
  return versions;
}

/** Sleeps without spinning (ensureBuilt is synchronous). */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether the process that wrote the lock file still runs (an unreadable or half-written file counts as running). */
function lockHolderRuns() {
  const pid = Number(fs.readFileSync(LOCK, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code !== 'ESRCH';
  }
}

/** Runs `fn` holding the compile lock; a lock left by a process that no longer runs is taken over. */
function withLock(fn) {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let running;
    try {
      running = lockHolderRuns();
    } catch {
      continue; // released between our attempt and the read
    }
    if (running) sleep(100);
    else fs.rmSync(LOCK, { force: true });
  }
  try {
    return fn();
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

/**
 * Compiles build/ if it is stale (or always, with `clean`); prints why it compiles to stderr.
 * Exits with tsc's status when the compile fails.
 */
function ensureBuilt(clean = false) {
  if (!clean && !staleness(sourceFiles())) return;
  const status = withLock(() => {
    const files = sourceFiles();
    const stale = clean ? { reason: 'clean build requested', clean: true } : staleness(files);
    if (!stale) return 0; // compiled by another process while this one waited
    process.stderr.write(`Compiling into build/ (${stale.reason}) ...\n`);
    return compile(files, stale.clean);
  });
  if (status !== 0) process.exit(status);
}

module.exports = { ensureBuilt };

if (require.main === module) ensureBuilt(process.argv.includes('--clean'));
