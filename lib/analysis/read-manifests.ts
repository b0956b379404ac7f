import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { AnalysisInput } from './mesh-index';

/** Input that cannot be read or parsed; the message names the file (and line, for bad YAML). */
export class UnreadableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableInputError';
  }
}

const MANIFEST = /\.(ya?ml|json)$/;

/**
 * The manifest files under `paths`: files as given, directories' `.yaml`/`.yml`/`.json` files
 * (their subdirectories too when `recursive`), sorted.
 */
export function manifestFiles(paths: readonly string[], recursive: boolean): string[] {
  return paths.flatMap(p => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) throw new UnreadableInputError(`${p}: no such file or directory`);
    if (stat.isFile()) return [p];
    return fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap(e => {
      const child = path.join(p, e.name);
      if (e.isDirectory()) return recursive ? manifestFiles([child], true) : [];
      return MANIFEST.test(e.name) ? [child] : [];
    });
  });
}

/**
 * Reads every object of a YAML (or JSON) file, each with its file and 1-based starting line, as
 * `kubectl apply -f` sees them: every document, and the items of a `kind: List`.
 */
export function readManifests(file: string): AnalysisInput[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UnreadableInputError(`${file}: ${(e as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const inputs: AnalysisInput[] = [];
  for (const document of parseAllDocuments(text, { lineCounter })) {
    const error = document.errors[0];
    if (error) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      throw new UnreadableInputError(`${file}:${line}:${col}: invalid YAML: ${error.message.split('\n')[0]}`);
    }
    const doc: unknown = document.toJS();
    if (doc === null || doc === undefined) continue;
    const line = lineCounter.linePos(document.contents?.range[0] ?? document.range[0]).line;
    if (typeof doc !== 'object' || Array.isArray(doc) || typeof (doc as Record<string, unknown>).kind !== 'string') {
      throw new UnreadableInputError(`${file}:${line}: not a Kubernetes object (no kind)`);
    }
    const object = doc as Record<string, any>;
    const items: Record<string, any>[] = object.kind.endsWith('List') && Array.isArray(object.items) ? object.items : [object];
    inputs.push(...items.map(item => ({ doc: item, source: { file, line } })));
  }
  return inputs;
}
