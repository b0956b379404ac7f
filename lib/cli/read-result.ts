import { AnalysisInput, Doc } from '../analysis/mesh-index';
import { UnreadableInputError, readManifestFile } from '../analysis/read-manifests';
import { SchemaViolation, validateDocument } from '../analysis/schema';

/**
 * What a reading worker sends back for one file: its objects, their lines and their schema
 * verdicts. Objects travel as one JSON text (JSON.parse is ~10× faster than the structured clone
 * of the same objects); the few that JSON would change (a non-finite number or -0, values shared
 * through YAML aliases) travel as objects, by structured clone.
 */
export interface FileResult {
  /** Index of the file in the list being read. */
  readonly index: number;
  /** The objects as a JSON array, `null` in the places of the {@link cloned} ones. */
  readonly json: string;
  /** The objects JSON cannot carry unchanged, by their place in the file. */
  readonly cloned: readonly (readonly [number, Doc])[];
  /** Each object's 1-based line in the file. */
  readonly lines: readonly number[];
  /** `validateDocument` of each object that has violations, by its place (the others have none). */
  readonly verdicts: readonly (readonly [number, readonly SchemaViolation[]])[];
}

/** A file that could not be read: an input problem (`unreadable`) or a bug (`internal`), with its message. */
export interface FileFailure {
  /** Index of the file in the list being read. */
  readonly index: number;
  /** Which kind of failure. */
  readonly failure: 'unreadable' | 'internal';
  /** The error's name (`UnreadableInputError`, `TypeError`, ...). */
  readonly name: string;
  /** The error's message. */
  readonly message: string;
}

/** Reads, parses and schema-checks one file in a worker, ready to be posted to the main thread. */
export function encodeFile(file: string, index: number): FileResult | FileFailure {
  try {
    const { inputs, mayAlias } = readManifestFile(file);
    const cloned: [number, Doc][] = [];
    const verdicts: [number, SchemaViolation[]][] = [];
    const lines = inputs.map(input => input.source!.line);
    const plain = inputs.map(({ doc }, k) => {
      const violations = validateDocument(doc);
      if (violations.length > 0) verdicts.push([k, violations]);
      if (jsonSafe(doc, mayAlias ? new Set() : undefined)) return doc;
      cloned.push([k, doc]);
      return null;
    });
    return { index, json: JSON.stringify(plain), cloned, lines, verdicts };
  } catch (e) {
    const failure = e instanceof UnreadableInputError ? 'unreadable' : 'internal';
    return { index, failure, name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
  }
}

/** The objects of one file as {@link readManifests} gives them, each with its schema violations (not checked again). */
export function decodeFile(file: string, result: FileResult): AnalysisInput[] {
  const docs = JSON.parse(result.json) as Doc[];
  for (const [k, doc] of result.cloned) docs[k] = doc;
  const verdicts = new Map(result.verdicts);
  return docs.map((doc, k) => ({ doc, source: { file, line: result.lines[k] }, violations: verdicts.get(k) ?? NO_VIOLATIONS }));
}

/** The violations of a valid document: one shared, frozen empty list. */
export const NO_VIOLATIONS: readonly SchemaViolation[] = Object.freeze([]);

/**
 * Whether JSON carries a value unchanged: finite numbers other than -0, and (when `seen` is
 * given, for text that may hold aliases) no object reached twice.
 */
function jsonSafe(value: unknown, seen: Set<object> | undefined): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !(value === 0 && 1 / value < 0);
  if (typeof value !== 'object' || value === null) return true;
  if (seen !== undefined) {
    if (seen.has(value)) return false;
    seen.add(value);
  }
  if (Array.isArray(value)) {
    for (const item of value) if (!jsonSafe(item, seen)) return false;
    return true;
  }
  for (const key in value) if (!jsonSafe((value as Doc)[key], seen)) return false;
  return true;
}
