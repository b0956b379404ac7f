import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import { isatty } from 'tty';
import { isListKind } from './group-kinds';
import { AnalysisInput } from './mesh-index';
import { jsYaml } from '../core/js-yaml-lazy';

/** Input that cannot be read or parsed; the message names the file (and line, for bad YAML). */
export class UnreadableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableInputError';
  }
}

/**
 * The largest file read (256 MiB): far beyond any real set of manifests, and small enough that the
 * parsed objects fit the default Node.js heap, so an oversized input is an error and not a crash.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * How many nodes aliases may add to one document (1,000,000). An alias refers to its anchor's value
 * without copying it, but everything that walks the object (schema checks, analyzers) walks every
 * alias again: a "billion laughs" file of a few hundred bytes would stand for ~10^9 nodes.
 */
export const MAX_ALIAS_EXPANSION = 1_000_000;

/**
 * How deeply a document may nest (1,000 levels; the largest Istio and Gateway API CRDs nest 28).
 * Deeper documents are refused whichever thread reads them: the parser recurses, and a worker
 * thread's stack holds about four times the main thread's (1,826 levels of `[`).
 */
export const MAX_DEPTH = 1_000;

/** The path that stands for the standard input, as in `kubectl apply -f -` and `istioctl analyze -`. */
export const STDIN_PATH = '-';

/** How messages and findings name the standard input. */
export const STDIN_NAME = '<stdin>';

/**
 * Reads every object of a YAML (or JSON) file, each with its file and 1-based starting line, as
 * `kubectl apply -f` sees them: every document, and the items of a `kind: List`. Only regular files
 * are read (never a FIFO or a device), and {@link STDIN_PATH}: the standard input to its end (a
 * pipe, a redirected file; never a terminal), named {@link STDIN_NAME}. Bytes must be UTF-8; YAML
 * uses the core schema (no merge keys, no timestamps). Anything else is an
 * {@link UnreadableInputError} naming the file and line.
 */
export function readManifests(file: string): AnalysisInput[] {
  return readManifestFile(file).inputs;
}

/** The objects of one file ({@link readManifests}), and whether its text can hold YAML aliases at all. */
export interface ManifestFile {
  /** Every object of the file, in order. */
  readonly inputs: AnalysisInput[];
  /** False when the text has no `&` or no `*`: then no two places of any object share a value. */
  readonly mayAlias: boolean;
}

/** {@link readManifests}, also saying whether any object may share values through aliases. */
export function readManifestFile(file: string): ManifestFile {
  return file === STDIN_PATH ? manifestsOf(STDIN_NAME, decodeText(STDIN_NAME, readStdin())) : manifestsOf(file, readText(file));
}

/** The objects of whole documents in bytes `start` to `end` of a file, with how many lines those bytes hold. */
export interface ManifestRange extends ManifestFile {
  /** The number of line breaks in the range: where the next range's lines start. */
  readonly lineBreaks: number;
}

/** Where a range of whole documents is in a file, and the file's size and modification time when it was found. */
export interface FileRange {
  /** The range's first byte. */
  readonly start: number;
  /** The byte after its last. */
  readonly end: number;
  /** The file's size then. */
  readonly size: number;
  /** Its `mtimeMs` then. */
  readonly mtimeMs: number;
}

/**
 * The objects of bytes `start` (inclusive) to `end` (exclusive) of a regular file, a range of
 * whole documents (it starts at the file's start or at a `---` line, and ends before one or at the
 * end), as {@link readManifestFile} reads them, except that lines count from the range's start.
 * Any problem (the file is no longer a regular file of the size and modification time it had,
 * bytes that are not UTF-8, bad YAML) is an {@link UnreadableInputError} whose line is only right
 * when `start` is 0: reading the whole file again tells where exactly.
 */
export function readManifestRange(file: string, { start, end, size, mtimeMs }: FileRange): ManifestRange {
  const bytes = Buffer.alloc(end - start);
  // eslint-disable-next-line no-bitwise -- open(2) flags are a bit set
  const fd = fsCall(file, () => fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
  try {
    const stat = fs.fstatSync(fd);
    checkRegular(file, stat);
    if (stat.size !== size || stat.mtimeMs !== mtimeMs) throw new UnreadableInputError(`${file}: changed while it was read`);
    const read = fsCall(file, () => fs.readSync(fd, bytes, 0, bytes.length, start));
    if (read !== bytes.length) throw new UnreadableInputError(`${file}: changed while it was read`);
  } finally {
    fs.closeSync(fd);
  }
  if (!isUtf8(bytes)) throw new UnreadableInputError(`${file}: not UTF-8 text`);
  let text = bytes.toString('utf8');
  if (start === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let lineBreaks = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineBreaks++;
  return { ...manifestsOf(file, text), lineBreaks };
}

function manifestsOf(file: string, text: string): ManifestFile {
  return { inputs: parseManifests(file, text), mayAlias: text.includes('&') && text.includes('*') };
}

function parseManifests(file: string, text: string): AnalysisInput[] {
  const inputs: AnalysisInput[] = [];
  for (const chunk of yamlDocuments(text)) {
    const line = chunk.line + contentLineOffset(chunk.text);
    const at = `${file}:${line}`;
    for (const doc of parseDocument(file, chunk, at)) {
      if (doc === null || doc === undefined) continue;
      checkNesting(at, chunk.text, doc);
      const object = kubernetesObject(at, doc, '');
      const items = listItems(at, object);
      for (const item of items) inputs.push({ doc: item, source: { file, line } }); // (not a spread: a List may hold 125k+ items)
    }
  }
  return inputs;
}

/** The file's text: a regular file, at most {@link MAX_FILE_BYTES}, UTF-8 (a byte-order mark dropped). */
function readText(file: string): string {
  const stat = fsCall(file, () => fs.statSync(file));
  checkRegular(file, stat);
  // O_NONBLOCK: should the path be swapped for a FIFO after the check, opening it does not hang.
  // eslint-disable-next-line no-bitwise -- open(2) flags are a bit set
  const fd = fsCall(file, () => fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
  let bytes: Buffer;
  try {
    checkRegular(file, fs.fstatSync(fd));
    bytes = fsCall(file, () => fs.readFileSync(fd));
  } finally {
    fs.closeSync(fd);
  }
  return decodeText(file, bytes);
}

/** The text of a file's bytes: UTF-8, a byte-order mark dropped; else an error naming the line and offset. */
function decodeText(file: string, bytes: Buffer): string {
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, offset).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
    throw new UnreadableInputError(`${file}:${line}: not UTF-8 text (byte 0x${bytes[offset]?.toString(16) ?? '?'} at offset ${offset}). `
      + 'Fix: save the file as UTF-8');
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** How much of the standard input one read asks for (1 MiB). */
const STDIN_CHUNK_BYTES = 1024 * 1024;

/**
 * The bytes of the standard input, read to its end, at most {@link MAX_FILE_BYTES}: a terminal is
 * refused (the command would wait for typing), as is input that cannot be read.
 */
function readStdin(): Buffer {
  if (isatty(0)) {
    throw new UnreadableInputError(`${STDIN_NAME}: the standard input is a terminal. `
      + 'Fix: pipe the manifests in (`helm template . | cdk8s-istio analyze -`), or give files or folders');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(STDIN_CHUNK_BYTES);
    let read: number;
    try {
      read = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { // a non-blocking pipe with nothing in it yet: wait a little and read again
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (code === 'EOF') break;
      throw new UnreadableInputError(`${STDIN_NAME}: ${describeFsError(e as NodeJS.ErrnoException)}`);
    }
    if (read === 0) break;
    total += read;
    if (total > MAX_FILE_BYTES) {
      throw new UnreadableInputError(`${STDIN_NAME}: more than the ${MAX_FILE_BYTES / 1024 / 1024} MiB read from one file. `
        + 'Fix: write the manifests to files and give their folder');
    }
    chunks.push(chunk.subarray(0, read));
  }
  return Buffer.concat(chunks, total);
}

function checkRegular(file: string, stat: fs.Stats): void {
  if (!stat.isFile()) {
    throw new UnreadableInputError(`${file}: not a regular file (${fileType(stat)}); only regular files and directories are read`);
  }
  if (stat.size > MAX_FILE_BYTES) {
    throw new UnreadableInputError(`${file}: ${stat.size} bytes is more than the ${MAX_FILE_BYTES / 1024 / 1024} MiB read from one file. `
      + 'Fix: split the manifests into several files');
  }
}

/** What kind of file system object a non-regular path is, for messages. */
export function fileType(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a file';
}

/** Runs a file system call; its error becomes an {@link UnreadableInputError} in plain words. */
export function fsCall<T>(file: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw new UnreadableInputError(`${file}: ${describeFsError(e as NodeJS.ErrnoException)}`);
  }
}

function describeFsError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return `permission denied (${e.code})`;
    case 'ELOOP': return 'too many levels of symbolic links (a symbolic link loop?) (ELOOP)';
    case 'ENOTDIR': return 'a part of the path is not a directory (ENOTDIR)';
    case 'ENAMETOOLONG': return 'the path is too long (ENAMETOOLONG)';
    default: return `cannot be read: ${String(e.message).split('\n')[0]}`;
  }
}

/** The offset of the first byte that breaks UTF-8 (the text is known not to be valid). */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0 || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return bytes.length;
}

/** One YAML document's text, with the 1-based line of the file it starts at. */
interface DocumentText {
  readonly text: string;
  readonly line: number;
}

/**
 * `---` or `...` at the start of a line: YAML forbids them inside any scalar, so they always split
 * documents. (The `m` flag also starts a line after U+2028 and U+2029, which YAML does not:
 * {@link yamlDocuments} skips those matches.)
 */
const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
/** Directive lines (`%YAML 1.2`) before a `---`, with any blank or comment lines between: they belong to the next document. */
const TRAILING_DIRECTIVES = /(?:^|\n)(%[^\n]*\n(?:%[^\n]*\n|[ \t\r]*(?:#[^\n]*)?\n)*)$/;

/**
 * Splits a YAML stream into its documents' texts, each parsed on its own: a linear scan instead of
 * one parse of the whole stream, and the line where each document starts for free.
 */
function yamlDocuments(text: string): DocumentText[] {
  const documents: DocumentText[] = [];
  let start = 0;
  let line = 1;
  let counted = 0;
  const lineAt = (offset: number) => {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    counted = offset;
    return line;
  };
  const startLine = lineAt(0);
  let pending: DocumentText = { text: '', line: startLine };
  for (const marker of text.matchAll(MARKER)) {
    const at = marker.index!;
    if (at > 0 && (text.charCodeAt(at - 1) === 0x2028 || text.charCodeAt(at - 1) === 0x2029)) continue;
    let body = text.slice(start, at);
    let next = at;
    if (marker[0] === '---') {
      const directives = body.includes('%') ? TRAILING_DIRECTIVES.exec(body) : null;
      if (directives) {
        body = body.slice(0, body.length - directives[1].length);
        next = at - directives[1].length;
      }
    } else {
      const end = text.indexOf('\n', at);
      next = end === -1 ? text.length : end + 1;
    }
    documents.push({ text: body, line: pending.line });
    pending = { text: '', line: lineAt(next) };
    start = next;
  }
  documents.push({ text: text.slice(start), line: pending.line });
  return documents;
}

/** How many lines into a document's text its content starts (past comments, directives and the `---`). */
function contentLineOffset(text: string): number {
  // Most documents start with a key (`apiVersion: v1`), or with `---` and then a key.
  if (startsWithLetter(text, 0)) return 0;
  if (text.startsWith('---\n') && startsWithLetter(text, 4)) return 1;
  let offset = 0;
  for (let i = 0; ; offset++) {
    const end = text.indexOf('\n', i);
    const raw = text.slice(i, end === -1 ? undefined : end);
    const rest = raw.startsWith('%') ? '' : raw.replace(/^---/, '').trim();
    if ((rest !== '' && !rest.startsWith('#')) || end === -1) return offset;
    i = end + 1;
  }
}

/** Whether the character at `i` is an ASCII letter. */
function startsWithLetter(text: string, i: number): boolean {
  const c = text.charCodeAt(i) | 0x20; // eslint-disable-line no-bitwise -- lower case of an ASCII letter
  return c >= 0x61 && c <= 0x7a;
}

/**
 * The error of a document nested deeper than {@link MAX_DEPTH}, or too deeply for the parser's
 * recursion (which never stops short of it): one message, whichever thread found it.
 */
function nestedTooDeeply(at: string): UnreadableInputError {
  return new UnreadableInputError(`${at}: the YAML document is nested too deeply to read (more than ${MAX_DEPTH} levels). `
    + 'Fix: flatten the structure');
}

/** The objects of one document's text (normally one), with errors located in the file (`at`: where its content starts). */
function parseDocument(file: string, chunk: DocumentText, at: string): unknown[] {
  try {
    return jsYaml().loadAll(chunk.text, undefined, { schema: jsYaml().CORE_SCHEMA });
  } catch (e) {
    if (e instanceof jsYaml().YAMLException) {
      const line = chunk.line + (e.mark?.line ?? 0);
      throw new UnreadableInputError(`${file}:${line}:${(e.mark?.column ?? 0) + 1}: invalid YAML: ${e.reason}`);
    }
    if (e instanceof RangeError) throw nestedTooDeeply(at);
    throw e;
  }
}

/**
 * Refuses a document whose aliases expand to more than {@link MAX_ALIAS_EXPANSION} extra nodes, or
 * that contains itself through an alias. Only documents that can hold aliases (`&` and `*`) are walked.
 */
function checkAliases(at: string, text: string, doc: unknown): void {
  if (!text.includes('&') || !text.includes('*')) return;
  const sizes = new Map<object, number>();
  let distinct = 0;
  const size = (value: unknown): number => {
    if (value === null || typeof value !== 'object') return 1;
    const known = sizes.get(value);
    if (known === -1) {
      throw new UnreadableInputError(`${at}: an alias refers to a node that contains it (a cycle). Fix: remove the alias or its anchor`);
    }
    if (known !== undefined) return known;
    sizes.set(value, -1);
    distinct++;
    let total = 1;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child === null || typeof child !== 'object') distinct++;
      total += size(child);
    }
    sizes.set(value, total);
    return total;
  };
  const expanded = size(doc);
  if (expanded - distinct > MAX_ALIAS_EXPANSION) {
    throw new UnreadableInputError(`${at}: YAML aliases expand this document by more than ${MAX_ALIAS_EXPANSION} nodes `
      + `(${expanded.toPrecision(3)} in all; an alias bomb?). Fix: write the repeated content out, or use fewer aliases`);
  }
}

/**
 * Refuses a parsed YAML document (`text` is where it was read from, `at` names the place) whose
 * aliases expand beyond {@link MAX_ALIAS_EXPANSION} or form a cycle, or that nests deeper than
 * {@link MAX_DEPTH}: everything that walks it afterwards may rely on both bounds.
 */
export function checkNesting(at: string, text: string, doc: unknown): void {
  checkAliases(at, text, doc);
  if (deeperThan(doc, MAX_DEPTH)) throw nestedTooDeeply(at);
}

/** Whether a value nests more than `levels` mappings and sequences deep (walked after {@link checkAliases}, so never a cycle or a bomb). */
function deeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (deeperThan(item, levels - 1)) return true;
    return false;
  }
  for (const key in value) if (deeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  return false;
}

/** `doc` as a Kubernetes object: a mapping with a non-empty string kind, string apiVersion and a metadata mapping. */
function kubernetesObject(at: string, doc: unknown, item: string): Record<string, any> {
  const problem = objectProblem(doc);
  if (problem) throw new UnreadableInputError(`${at}: ${item}not a Kubernetes object (${problem})`);
  return doc as Record<string, any>;
}

function objectProblem(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object') return `a ${doc === null ? 'null' : typeof doc} value, not a mapping`;
  if (Array.isArray(doc)) return 'a sequence, not a mapping';
  const object = doc as Record<string, unknown>;
  if (typeof object.kind !== 'string' || object.kind === '') return 'no kind';
  if (object.apiVersion === undefined || object.apiVersion === '') return 'no apiVersion';
  if (typeof object.apiVersion !== 'string') return 'apiVersion is not a string';
  const metadata = object.metadata;
  if (metadata === undefined) return undefined;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return 'metadata is not a mapping';
  for (const field of ['name', 'namespace'] as const) {
    const value = (metadata as Record<string, unknown>)[field];
    if (value !== undefined && typeof value !== 'string') return `metadata.${field} is not a string`;
  }
  return undefined;
}

/** The objects a document stands for: the items of a `…List` kind, or the document itself. */
function listItems(at: string, object: Record<string, any>): Record<string, any>[] {
  if (!isListKind(object.kind) || !('items' in object)) return [object];
  if (!Array.isArray(object.items)) {
    throw new UnreadableInputError(`${at}: items of ${object.kind} is not a sequence. Fix: make items a list of Kubernetes objects`);
  }
  return object.items.map((item: unknown, i: number) => kubernetesObject(at, item, `items[${i}] of ${object.kind} is `));
}
