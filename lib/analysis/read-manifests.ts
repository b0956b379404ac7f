import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
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

/** Reads every document of a YAML (or JSON) file, each with its file and 1-based starting line. */
export function readManifests(file: string): AnalysisInput[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UnreadableInputError(`${file}: ${(e as Error).message}`);
  }
  const inputs: AnalysisInput[] = [];
  let line = 1; // the line each chunk starts on (a chunk after `---` starts on the separator's line)
  for (const chunk of text.split(/^---[^\S\n]*(?:#.*)?$/m)) {
    const start = line + (chunk.match(/^\s*\n/)?.[0].split('\n').length ?? 1) - 1;
    let doc: unknown;
    try {
      doc = yaml.load(chunk, { filename: file });
    } catch (e) {
      const mark = (e as yaml.YAMLException).mark;
      const at = mark ? `:${line + mark.line}:${mark.column + 1}` : '';
      throw new UnreadableInputError(`${file}${at}: invalid YAML: ${(e as yaml.YAMLException).reason ?? (e as Error).message}`);
    }
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== 'object' || Array.isArray(doc) || typeof (doc as Record<string, unknown>).kind !== 'string') {
        throw new UnreadableInputError(`${file}:${start}: not a Kubernetes object (no kind)`);
      }
      inputs.push({ doc: doc as Record<string, any>, source: { file, line: start } });
    }
    line += chunk.split('\n').length - 1;
  }
  return inputs;
}
