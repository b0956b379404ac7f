import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The schema modules of imports/ that the checks read: part of every {@link codeDigest}. */
const SCHEMA_MODULES = ['crd-schemas', 'kubernetes-schemas'];

const digests = new Map<string, string>();

/** Each file's content digest, read once per process: the bundles stand for every list of folders. */
const fileDigests = new Map<string, string>();

function fileDigest(file: string): string {
  let digest = fileDigests.get(file);
  if (digest === undefined) fileDigests.set(file, digest = createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  return digest;
}

/**
 * A digest of the code a cached result depends on, so that a cache named after it is never
 * stale: Node's version, the installed versions of `packages`, and the content of every source
 * file under `folders` (relative to lib/, subfolders included) and of the schema modules in
 * imports/. When this code runs from one of the package's bundles (which holds them all), the
 * bundle itself and the CEL bundle beside it (build/cel.js) stand for the sources. Computed once
 * per process for each list of folders, each file read once.
 */
export function codeDigest(folders: readonly string[], packages: readonly string[]): string {
  const id = `${folders.join(',')}|${packages.join(',')}`;
  const known = digests.get(id);
  if (known !== undefined) return known;
  const hash = createHash('sha256').update(process.version);
  for (const name of packages) hash.update(`|${name}@${versionOf(name)}`);
  for (const file of sourceFiles(folders)) hash.update(`|${path.relative(path.dirname(__dirname), file)}|${fileDigest(file)}`);
  const digest = hash.digest('hex').slice(0, 24);
  digests.set(id, digest);
  return digest;
}

function sourceFiles(folders: readonly string[]): string[] {
  if (path.basename(__dirname) !== 'core') {
    const cel = path.join(__dirname, 'cel.js'); // the CEL rules' environment, beside the package's bundles
    return fs.existsSync(cel) ? [__filename, cel] : [__filename];
  }
  const lib = path.dirname(__dirname);
  const files = folders.flatMap(folder => filesUnder(path.join(lib, folder)));
  const imports = path.join(lib, '..', 'imports');
  for (const module of SCHEMA_MODULES) {
    files.push(...fs.readdirSync(imports).filter(f => f.startsWith(`${module}.`)).sort().map(f => path.join(imports, f)));
  }
  return files;
}

/** The JavaScript and TypeScript files under `dir`, sorted, subfolders included. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(file);
    return /\.[cm]?[jt]s$/.test(entry.name) ? [file] : [];
  });
}

/** The installed version of a package (read from its package.json, which some packages do not export). */
function versionOf(name: string): string {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === name) return String(manifest.version);
  }
  return 'unknown';
}
