import * as fs from 'fs';
import * as path from 'path';

/**
 * Creates a folder and its missing parents, one at a time: Node's recursive `mkdirSync` never
 * returns for some paths (under /proc, where every mkdir fails with ENOENT), where this fails like
 * any mkdir. Used for the folders a user names (an outdir, `plan --out`).
 */
export function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let dir = path.resolve(folder); !fs.existsSync(dir); dir = path.dirname(dir)) {
    missing.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of missing) fs.mkdirSync(dir);
}
