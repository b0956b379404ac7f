import * as fs from 'fs';
import * as path from 'path';

let libraryFolders: readonly string[] | undefined;

/**
 * The folders of this package's own code — build/ (the bundles, build/lib, build/imports), lib/ and
 * imports/ under the package's root, the first folder above this file holding a package.json — each
 * ending in a separator. Found once, on first use.
 */
function ownCode(): readonly string[] {
  if (libraryFolders === undefined) {
    let root = path.dirname(__filename);
    while (!fs.existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) root = path.dirname(root);
    libraryFolders = ['build', 'lib', 'imports'].map(folder => path.join(root, folder) + path.sep);
  }
  return libraryFolders;
}

/**
 * Drops the frames of this package's own code (and the built-in ones it calls through) from the top
 * of an error's stack trace, so that it starts at the caller's line that made the mistake
 * (`new MeshService(...)` in the user's app), as a SynthesisError's starts at the call of
 * `writeManifests()`. Frames below the caller's are kept; a stack with no caller's frame is left as
 * it is.
 */
export function startAtCaller(error: Error): void {
  const lines = (error.stack ?? '').split('\n');
  const first = lines.findIndex(line => line.startsWith('    at '));
  if (first < 0) return;
  const folders = ownCode();
  // the library's frames, and the built-in ones it calls through (Array.map, Node's internals)
  const ours = (line: string) => folders.some(folder => line.includes(folder)) || line.includes('(<anonymous>)') || line.includes('(node:');
  let caller = first;
  while (caller < lines.length && ours(lines[caller])) caller++;
  if (caller > first && caller < lines.length) error.stack = [...lines.slice(0, first), ...lines.slice(caller)].join('\n');
}
