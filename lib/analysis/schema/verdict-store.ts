import * as fs from 'fs';
import type { SchemaViolation } from './violation';

/**
 * The file of the verdict cache (verdict-cache.ts): `{"kinds":{…},"documents":{…}}`, its documents
 * last. A process reads each version of the file once: a second synthesis in the same process (a
 * snapshot test suite, a watch loop) finds it in memory. New verdicts are spliced in before the
 * closing braces, so saving a few of them does not serialize the whole store again. Every write
 * goes to a temporary file renamed into place, so a reader never sees half a file.
 */

/** The verdicts and kinds of one version of a store file. */
export interface StoreContents {
  /** Each document's violations, by the digest of its JSON. */
  readonly documents: Record<string, readonly SchemaViolation[]>;
  /** Whether each apiVersion/kind has a schema. */
  readonly kinds: Record<string, boolean>;
  /** How many documents it holds. */
  readonly count: number;
}

interface HeldContents {
  documents: Record<string, readonly SchemaViolation[]>;
  kinds: Record<string, boolean>;
  count: number;
}

/** The store this process read or wrote last, the version of the file it is, and whether verdicts can be spliced into it. */
let held: { file: string; version: string; contents: HeldContents; spliceable: boolean } | undefined;

const EMPTY: StoreContents = Object.freeze({ documents: Object.freeze({}), kinds: Object.freeze({}), count: 0 });

/** The store in `file`; empty when it is missing or damaged. */
export function readStore(file: string): StoreContents {
  const version = versionOf(file);
  if (version === undefined) return EMPTY;
  if (held?.file === file && held.version === version) return held.contents;
  try {
    const text = fs.readFileSync(file, 'utf8');
    const parsed = JSON.parse(text) as { documents?: unknown; kinds?: unknown };
    if (isRecord(parsed) && isRecord(parsed.documents) && isRecord(parsed.kinds)) {
      const documents = parsed.documents as Record<string, readonly SchemaViolation[]>;
      const contents: HeldContents = { documents, kinds: parsed.kinds as Record<string, boolean>, count: Object.keys(documents).length };
      // the text read may be newer than the version stat-ed before it: then it is read again next time
      held = { file, version, contents, spliceable: Object.keys(parsed).join() === 'kinds,documents' && text.endsWith('}}') };
      return contents;
    }
  } catch {
    // missing or damaged: start empty
  }
  return EMPTY;
}

/**
 * Adds verdicts to `file` when it still holds the version `base` was read from: splices them in
 * (the new verdicts also join `base`, which this process keeps). False when the file changed since
 * (another process wrote it) or has another layout: the caller then writes it whole.
 */
export function appendToStore(file: string, base: StoreContents, added: ReadonlyArray<[string, readonly SchemaViolation[]]>): boolean {
  if (held?.file !== file || held.contents !== base || !held.spliceable || versionOf(file) !== held.version) return false;
  const bytes = fs.readFileSync(file); // as bytes: decoding the text would cost more than the rest of the write
  const entries = added.map(([key, violations]) => `${JSON.stringify(key)}:${JSON.stringify(violations)}`).join(',');
  const empty = bytes.subarray(-3).toString() === '{}}';
  writeAtomically(file, Buffer.concat([bytes.subarray(0, -2), Buffer.from(`${empty ? '' : ','}${entries}}}`)]));
  for (const [key, violations] of added) held.contents.documents[key] = violations;
  held.contents.count += added.length;
  held.version = versionOf(file) ?? '';
  return true;
}

/** Writes `file` whole, with exactly these verdicts and kinds. */
export function writeStore(file: string, documents: Record<string, readonly SchemaViolation[]>, kinds: Record<string, boolean>): void {
  writeAtomically(file, JSON.stringify({ kinds, documents }));
  held = { file, version: versionOf(file) ?? '', contents: { documents, kinds, count: Object.keys(documents).length }, spliceable: true };
}

function writeAtomically(file: string, content: string | Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

/** What tells one version of a file from another: every write renames a new file into place. */
function versionOf(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.ino}|${stat.size}|${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
