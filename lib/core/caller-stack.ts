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
 * Cuts an error's stack trace to the one frame that says where the mistake is: the caller's line
 * (`new MeshService(...)` in the user's app, or its call of `writeManifests()`), below the
 * frames of this package's own code (and the built-in ones it calls through), which are dropped,
 * as are the frames below it (the user's module loader: Node's, ts-node's). The message already
 * says what is wrong and how to fix it, so Node, printing an uncaught one, shows the message and
 * that line. `CDK8S_ISTIO_DEBUG=1` keeps every frame below the caller's. A stack with no
 * caller's frame is left as it is.
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
  if (caller >= lines.length) return;
  const kept = process.env.CDK8S_ISTIO_DEBUG === '1' ? lines.slice(caller) : [lines[caller]];
  error.stack = [...lines.slice(0, first), ...kept].join('\n');
}
