import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { OutputIndex } from './output-index';
import { makeFolders } from '../core/folders';

/** What a file gets: its text, or the key of its content and a function making the text, called only when the file may differ. */
export type FileContent = string | { readonly key: string; readonly text: () => string };

/**
 * Gives `outdir` exactly the files `fill` writes (`write(relative path, content)` for each), or
 * leaves it as it was.
 *
 * - When `outdir` already holds those files with those bytes and nothing else, nothing is
 *   written: their modification times stay, so a file watcher (Skaffold, Tilt, `kubectl` in a
 *   loop) sees no change when the output did not change. A keyed file that `index` knows to be
 *   unchanged is not made nor read at all (output-index.ts).
 * - Otherwise the files are written into a fresh folder beside `outdir`, which is then swapped in:
 *   a failure at any point leaves the previous output as it was. Files found unchanged before the
 *   first difference are copied over from `outdir`.
 */
export function replaceFolder(outdir: string, fill: (write: (file: string, content: FileContent) => void) => void,
  index?: OutputIndex): void {
  const parent = path.dirname(outdir);
  // a name of its own, made with mkdirSync (which, unlike mkdtempSync's 0700, gives the umask's mode)
  const staging = path.join(parent, `.${path.basename(outdir)}.new-${process.pid}-${randomBytes(6).toString('hex')}`);
  const previous = existingFiles(outdir);
  const unchanged: string[] = [];
  const keys = new Map<string, string>();
  let staged = false;
  const stage = () => {
    makeFolders(parent);
    fs.mkdirSync(staging);
    staged = true;
    for (const file of unchanged) writeInto(staging, file, fs.readFileSync(path.join(outdir, file)));
  };
  const done = () => {
    if (index === undefined) return;
    for (const [file, key] of keys) index.note(file, key);
    index.save();
  };
  let old: string | undefined;
  try {
    fill((file, content) => {
      if (typeof content !== 'string') keys.set(file, content.key);
      const kept = !staged && previous?.has(file);
      if (kept && typeof content !== 'string' && index?.unchanged(file, content.key)) {
        unchanged.push(file);
        return;
      }
      const text = typeof content === 'string' ? content : content.text();
      if (kept && sameText(path.join(outdir, file), text)) {
        unchanged.push(file);
        return;
      }
      if (!staged) stage();
      writeInto(staging, file, text);
    });
    if (!staged && previous !== undefined && previous.size === unchanged.length) return done(); // the same files, byte for byte
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
  done();
}

function writeInto(folder: string, file: string, content: string | Buffer): void {
  const target = path.join(folder, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
}

/** What a folder holds, by path relative to it (with `/`): {@link folderContents}. */
export interface FolderContents {
  /** Its regular files, in any of its subfolders. */
  readonly files: ReadonlySet<string>;
  /** Its subfolders that hold nothing. */
  readonly emptyFolders: readonly string[];
  /** Everything else in it: symbolic links, FIFOs, sockets, devices. */
  readonly others: readonly string[];
}

/** What `folder` holds, or undefined when it is not a folder that can be read. */
export function folderContents(folder: string): FolderContents | undefined {
  const files = new Set<string>();
  const emptyFolders: string[] = [];
  const others: string[] = [];
  const walk = (dir: string, prefix: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.length === 0 && prefix !== '') emptyFolders.push(prefix.slice(0, -1));
    for (const entry of entries) {
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${rel}/`);
      else if (entry.isFile()) files.add(rel);
      else others.push(rel);
    }
  };
  try {
    walk(folder, '');
    return { files, emptyFolders, others };
  } catch {
    return undefined; // missing or unreadable
  }
}

/**
 * The files under `folder`, or undefined when it is not a folder or holds anything else (a link,
 * an empty folder): such a folder is always replaced.
 */
function existingFiles(folder: string): ReadonlySet<string> | undefined {
  const contents = folderContents(folder);
  return contents !== undefined && contents.emptyFolders.length === 0 && contents.others.length === 0 ? contents.files : undefined;
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
