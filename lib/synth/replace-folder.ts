import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { makeFolders } from '../core/folders';

/**
 * Gives `outdir` exactly the files `fill` writes (`write(relative path, text)` for each), or
 * leaves it as it was.
 *
 * - When `outdir` already holds those files with those bytes and nothing else, nothing is
 *   written: their modification times stay, so a file watcher (Skaffold, Tilt, `kubectl` in a
 *   loop) sees no change when the output did not change.
 * - Otherwise the files are written into a fresh folder beside `outdir`, which is then swapped in:
 *   a failure at any point leaves the previous output as it was. Files found unchanged before the
 *   first difference are copied over from `outdir`.
 */
export function replaceFolder(outdir: string, fill: (write: (file: string, text: string) => void) => void): void {
  const parent = path.dirname(outdir);
  // a name of its own, made with mkdirSync (which, unlike mkdtempSync's 0700, gives the umask's mode)
  const staging = path.join(parent, `.${path.basename(outdir)}.new-${process.pid}-${randomBytes(6).toString('hex')}`);
  const previous = existingFiles(outdir);
  const unchanged: string[] = [];
  let staged = false;
  const stage = () => {
    makeFolders(parent);
    fs.mkdirSync(staging);
    staged = true;
    for (const file of unchanged) writeInto(staging, file, fs.readFileSync(path.join(outdir, file)));
  };
  let old: string | undefined;
  try {
    fill((file, text) => {
      if (!staged && previous?.has(file) && sameText(path.join(outdir, file), text)) {
        unchanged.push(file);
        return;
      }
      if (!staged) stage();
      writeInto(staging, file, text);
    });
    if (!staged && previous !== undefined && previous.size === unchanged.length) return; // the same files, byte for byte
    if (!staged) stage();
    if (fs.existsSync(outdir)) {
      old = `${staging}.old`;
      fs.renameSync(outdir, old);
    }
    fs.renameSync(staging, outdir);
  } catch (e) {
    if (old && !fs.existsSync(outdir)) fs.renameSync(old, outdir);
    fs.rmSync(staging, { recursive: true, force: true });
    if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e; // not the file system's: `fill` failed
    throw new Error(`writeManifests: outdir: could not write ${outdir} (${(e as Error).message}); the previous output is unchanged. `
      + 'Fix: check that the folder and its parent are writable');
  }
  if (old) fs.rmSync(old, { recursive: true, force: true });
}

function writeInto(folder: string, file: string, content: string | Buffer): void {
  const target = path.join(folder, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
}

/**
 * The files under `folder` (relative paths with `/`), or undefined when it is not a folder or
 * holds anything that is neither a file nor a folder with files (a link, an empty folder): such a
 * folder is always replaced.
 */
function existingFiles(folder: string): Set<string> | undefined {
  const files = new Set<string>();
  const walk = (dir: string, prefix: string): boolean => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.length === 0 && prefix !== '') return false;
    return entries.every(entry => {
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory()) return walk(path.join(dir, entry.name), `${rel}/`);
      if (!entry.isFile()) return false;
      files.add(rel);
      return true;
    });
  };
  try {
    return walk(folder, '') ? files : undefined;
  } catch {
    return undefined; // missing or unreadable: written afresh
  }
}

/** Whether the file holds exactly the bytes of `text` (UTF-8), read only when its size says it may. */
function sameText(file: string, text: string): boolean {
  try {
    const bytes = Buffer.from(text, 'utf8');
    return fs.statSync(file).size === bytes.length && fs.readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}
