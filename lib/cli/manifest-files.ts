import * as fs from 'fs';
import * as path from 'path';
import { STDIN_PATH, UnreadableInputError, fileType, fsCall } from '../analysis/read-manifests';

const MANIFEST = /\.(ya?ml|json)$/;

/**
 * The file `cdk8s synth` writes beside its manifests when validation plugins are configured: the
 * constructs' metadata, not a Kubernetes object.
 */
const CDK8S_METADATA = 'construct-metadata.json';

/** The files to read, and the subfolders that were not read (for a hint). */
export interface ManifestFiles {
  /** The files, in order: each path as given, each directory's files sorted by name. */
  readonly files: readonly string[];
  /** Subfolders skipped because `recursive` was off. */
  readonly skippedFolders: readonly string[];
  /** cdk8s's `construct-metadata.json` files found in a directory, which are not read. */
  readonly skippedMetadata: readonly string[];
}

/**
 * The manifest files under `paths`, as `kubectl apply -f` picks them: a file as given (whatever its
 * name), a directory's `.yaml`/`.yml`/`.json` files, its subdirectories too when `recursive`;
 * cdk8s's `construct-metadata.json` in a directory (the output of `cdk8s synth` with validation
 * plugins) is skipped, as it holds no Kubernetes object.
 * Symbolic links are followed, each directory read once (a link back up is not a loop); anything that
 * cannot be listed or is not a regular file is an {@link UnreadableInputError}. With `stdin`, a
 * path `-` stands for the standard input ({@link STDIN_PATH}), which can be given once.
 */
export function manifestFiles(paths: readonly string[], recursive: boolean, stdin = false): ManifestFiles {
  const files: string[] = [];
  const skippedFolders: string[] = [];
  const skippedMetadata: string[] = [];
  const visited = new Set<string>();
  const visit = (p: string, given: boolean) => {
    if (stdin && given && p === STDIN_PATH) {
      if (files.includes(STDIN_PATH)) {
        throw new UnreadableInputError(`${STDIN_PATH} (the standard input) is given twice: it can be read once. Fix: give it once`);
      }
      files.push(p);
      return;
    }
    const stat = given ? fsCall(p, () => fs.statSync(p)) : entryStat(p);
    if (!stat) return;
    if (stat.isFile()) {
      if (!given && path.basename(p) === CDK8S_METADATA) skippedMetadata.push(p);
      else if (given || MANIFEST.test(p)) files.push(p);
      return;
    }
    if (!stat.isDirectory()) {
      if (!given && !MANIFEST.test(p)) return;
      throw new UnreadableInputError(`${p}: not a regular file (${fileType(stat)}); only regular files are read`);
    }
    if (!given && !recursive) {
      skippedFolders.push(p);
      return;
    }
    const real = fsCall(p, () => fs.realpathSync(p));
    if (visited.has(real)) return;
    visited.add(real);
    const names = fsCall(p, () => fs.readdirSync(p)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) visit(path.join(p, name), false);
  };
  for (const p of paths) visit(p, true);
  return { files, skippedFolders, skippedMetadata };
}

/**
 * The stat of a directory entry, following a symbolic link; undefined for an entry that cannot be
 * resolved (a broken link, a link loop) whose name is not a manifest's. A `*.yaml` one is an error.
 */
function entryStat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (e) {
    if (MANIFEST.test(p)) return fsCall(p, () => { throw e; });
    return undefined;
  }
}
