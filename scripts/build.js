/**
 * Compiles lib/, imports/ and apps/ into build/ with the project's tsconfig.json, only when build/
 * is stale: when a source file (or tsconfig.json) is newer than the last build, or a source file
 * was added or removed since (then build/ is emptied first, so no output of a deleted file stays).
 *
 *   node scripts/build.js            compile if stale (what `npm run synth` and `cdk8s synth` do)
 *   node scripts/build.js --clean    always compile from an empty build/ (what `npm pack` does)
 *
 * Plain JavaScript so that it runs before anything is compiled. The check stats every source
 * file (a few milliseconds); a compile takes seconds, so it happens once per change.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
/** What the last compile was made from: the sorted source list, and when it finished. */
const STAMP = path.join(BUILD, '.build-stamp.json');
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
 * Why build/ must be compiled again and whether it must be emptied first (a source list that
 * changed may have left outputs of deleted files), or undefined when build/ is up to date.
 */
function staleness(files) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return { reason: 'no previous build', clean: true };
  }
  if (JSON.stringify(stamp.files) !== JSON.stringify(files)) return { reason: 'source files were added or removed', clean: true };
  const newer = [...files, 'tsconfig.json'].find(f => fs.statSync(path.join(ROOT, f)).mtimeMs > stamp.builtAt);
  return newer ? { reason: `${newer} changed`, clean: false } : undefined;
}

/** Compiles into build/ (emptied first when `clean`); exits with tsc's status when it fails. */
function compile(files, clean) {
  if (clean) fs.rmSync(BUILD, { recursive: true, force: true });
  const startedAt = Date.now();
  const tsc = require.resolve('typescript/bin/tsc');
  // incremental: after a change, tsc re-checks only what depends on it (5 s instead of 10 s here)
  const args = [tsc, '-p', path.join(ROOT, 'tsconfig.json'), '--incremental', '--tsBuildInfoFile', path.join(BUILD, '.tsbuildinfo')];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(STAMP, JSON.stringify({ builtAt: startedAt, files }));
}

/**
 * Compiles build/ if it is stale (or always, with `clean`); prints why it compiles to stderr, so
 * that the standard output of the command that called it stays its own.
 */
function ensureBuilt(clean = false) {
  const files = sourceFiles();
  const stale = clean ? { reason: 'clean build requested', clean: true } : staleness(files);
  if (!stale) return;
  process.stderr.write(`Compiling into build/ (${stale.reason}) ...\n`);
  compile(files, stale.clean);
}

module.exports = { ensureBuilt };

if (require.main === module) ensureBuilt(process.argv.includes('--clean'));
