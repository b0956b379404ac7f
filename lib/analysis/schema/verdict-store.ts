/*
 * The file of the verdict cache (verdict-cache.ts): `{"kinds":{…},"documents":{…}}`, its
 * documents last. A process parses each version of the file once: a later synthesis in the same
 * process (a watch loop; in a jest suite, the later syntheses of one test file, as jest gives each
 * file its own modules) finds it in memory. New verdicts are spliced in before the closing braces
 * instead of serializing the whole store again. Every write goes to a temporary file of this
 * process and thread, renamed into place, so a reader never sees half a file; each version is
 * read from one open file, so its bytes and its version always match.
 */
import * as fs from 'fs';
import * as path from 'path';
import { threadId } from 'worker_threads';
import type { SchemaViolation } from './violation';

/**
 * The verdicts and kinds of a store file as this process knows them: one version of the file,
 * plus the verdicts this process spliced into it since (which the file then holds too).
 */
export interface StoreContents {
  /** Each document's violations, by the digest of its JSON. */
  readonly documents: Readonly<Record<string, readonly SchemaViolation[]>>;
  /** Whether each apiVersion/kind has a schema. */
  readonly kinds: Readonly<Record<string, boolean>>;
  /** How many documents it holds. */
  readonly count: number;
}

interface HeldContents {
  documents: Record<string, readonly SchemaViolation[]>;
  kinds: Record<string, boolean>;
  count: number;
}

/** The store this process read or wrote last: its file, the version it is, and whether verdicts can be spliced into it. */
let held: { file: string; version: string; contents: HeldContents; spliceable: boolean } | undefined;

const EMPTY: StoreContents = Object.freeze({ documents: Object.freeze({}), kinds: Object.freeze({}), count: 0 });

/** Temporary files older than this are left by a process that died before renaming them. */
const ABANDONED_MS = 10 * 60_000;

/** The store in `file`; empty when it is missing or damaged. */
export function readStore(file: string): StoreContents {
  try {
    const current = readVersion(file, held?.file === file ? held.version : undefined);
    if (current === 'unchanged') return held!.contents;
    const parsed = JSON.parse(current.bytes.toString('utf8')) as { documents?: unknown; kinds?: unknown };
    if (isRecord(parsed) && isRecord(parsed.documents) && isRecord(parsed.kinds)) {
      const documents = parsed.documents as Record<string, readonly SchemaViolation[]>;
      const contents: HeldContents = { documents, kinds: parsed.kinds as Record<string, boolean>, count: Object.keys(documents).length };
      const spliceable = Object.keys(parsed).join() === 'kinds,documents' && /(\]|\{)\}\}$/.test(current.bytes.subarray(-3).toString());
      held = { file, version: current.version, contents, spliceable };
      return contents;
    }
  } catch {
    // missing or damaged: start empty
  }
  return EMPTY;
}

/**
 * Adds verdicts to `file` when it still holds the version `base` was read from: splices them in
 * (they also join `base`, which this process keeps). False when the file changed since (another
 * process wrote it) or has another layout: the caller then writes it whole.
 */
export function appendToStore(file: string, base: StoreContents, added: ReadonlyArray<[string, readonly SchemaViolation[]]>): boolean {
  if (held?.file !== file || held.contents !== base || !held.spliceable || added.length === 0) return false;
  const current = readVersion(file, undefined);
  if (current === 'unchanged' || current.version !== held.version) return false;
  const entries = added.map(([key, violations]) => `${JSON.stringify(key)}:${JSON.stringify(violations)}`).join(',');
  const empty = current.bytes.subarray(-3).toString() === '{}}';
  const version = writeAtomically(file, Buffer.concat([current.bytes.subarray(0, -2), Buffer.from(`${empty ? '' : ','}${entries}}}`)]));
  for (const [key, violations] of added) held.contents.documents[key] = violations;
  held.contents.count += added.length;
  held.version = version;
  return true;
}

/** Writes `file` whole, with exactly these verdicts and kinds. */
export function writeStore(file: string, documents: Record<string, readonly SchemaViolation[]>, kinds: Record<string, boolean>): void {
  const version = writeAtomically(file, JSON.stringify({ kinds, documents }));
  held = { file, version, contents: { documents, kinds, count: Object.keys(documents).length }, spliceable: true };
}

/**
 * Removes the temporary files among `names` (the entries of `dir`) that a process left behind
 * when it died before renaming them.
 */
export function removeAbandonedTemporaries(dir: string, names: readonly string[]): void {
  for (const name of names.filter(n => /\.tmp$/.test(n))) {
    const file = path.join(dir, name);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > ABANDONED_MS) fs.rmSync(file, { force: true });
    } catch {
      // renamed or removed meanwhile
    }
  }
}

/**
 * Removes all but the `kept` most recently written of `names` (entries of `dir`: files, or
 * folders with their contents).
 */
export function removeAllButNewest(dir: string, names: readonly string[], kept: number): void {
  const entries = names.map(name => ({ entry: path.join(dir, name), written: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.written - a.written);
  for (const { entry } of entries.slice(kept)) fs.rmSync(entry, { recursive: true, force: true });
}

/** Writes `content` to a temporary file and renames it into place; returns the version `file` then is. */
export function writeAtomically(file: string, content: string | Buffer): string {
  const temp = `${file}.${process.pid}-${threadId}.tmp`;
  const fd = fs.openSync(temp, 'w');
  let version: string;
  try {
    fs.writeFileSync(fd, content);
    version = versionOf(fs.fstatSync(fd));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  return version;
}

/**
 * The bytes of `file` and their version, read from one open file; 'unchanged' when its version is
 * `known` (a stat, without reading it).
 */
function readVersion(file: string, known: string | undefined): { bytes: Buffer; version: string } | 'unchanged' {
  if (known !== undefined && versionOf(fs.statSync(file)) === known) return 'unchanged';
  const fd = fs.openSync(file, 'r');
  try {
    return { version: versionOf(fs.fstatSync(fd)), bytes: fs.readFileSync(fd) };
  } finally {
    fs.closeSync(fd);
  }
}

/** What tells one version of a file from another: every write renames a new file into place. */
function versionOf(stat: fs.Stats): string {
  return `${stat.ino}|${stat.size}|${stat.mtimeMs}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
