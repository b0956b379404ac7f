import { ReadUnit } from './read-units';
import { AnalysisInput, Doc } from '../analysis/mesh-index';
import { ManifestFile, UnreadableInputError, readManifestFile, readManifestRange } from '../analysis/read-manifests';
import { SchemaViolation, validateDocument } from '../analysis/schema';

/**
 * What a reading worker sends back for one unit (a file, or a part of one): its objects, their lines and their schema
 * verdicts. Objects travel as one JSON text (JSON.parse is ~10× faster than the structured clone
 * of the same objects); the few that JSON would change (a non-finite number or -0, values shared
 * through YAML aliases) travel as objects, by structured clone.
 */
export interface FileResult {
  /** Index of the unit in the list being read. */
  readonly index: number;
  /** How many line breaks a part holds (where the next part's lines start); 0 for a whole file. */
  readonly lineBreaks: number;
  /** The objects as a JSON array, `null` in the places of the {@link cloned} ones. */
  readonly json: string;
  /** The objects JSON cannot carry unchanged, by their place in the file. */
  readonly cloned: readonly (readonly [number, Doc])[];
  /** Each object's 1-based line in the file (in the part, for a part). */
  readonly lines: readonly number[];
  /** `validateDocument` of each object that has violations, by its place (the others have none). */
  readonly verdicts: readonly (readonly [number, readonly SchemaViolation[]])[];
}

/** A unit that could not be read: an input problem (`unreadable`) or a bug (`internal`), with its message. */
export interface FileFailure {
  /** Index of the unit in the list being read. */
  readonly index: number;
  /** Which kind of failure. */
  readonly failure: 'unreadable' | 'internal';
  /** The error's name (`UnreadableInputError`, `TypeError`, ...). */
  readonly name: string;
  /** The error's message. */
  readonly message: string;
}

/** The objects of a unit as {@link readManifestFile} or {@link readManifestRange} read them, and the line breaks of a part. */
export function readUnit({ file, range }: ReadUnit): ManifestFile & { readonly lineBreaks: number } {
  return range === undefined ? { ...readManifestFile(file), lineBreaks: 0 } : readManifestRange(file, range);
}

/** Reads, parses and schema-checks one unit in a worker, ready to be posted to the main thread. */
export function encodeUnit(unit: ReadUnit, index: number): FileResult | FileFailure {
  try {
    const { inputs, mayAlias, lineBreaks } = readUnit(unit);
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
    return { index, lineBreaks, json: JSON.stringify(plain), cloned, lines, verdicts };
  } catch (e) {
    const failure = e instanceof UnreadableInputError ? 'unreadable' : 'internal';
    return { index, failure, name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
  }
}

/** The objects of one unit as {@link readUnit} gives them, each with its schema violations (not checked again). */
export function decodeUnit(file: string, result: FileResult): AnalysisInput[] {
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
