import { parseArgs } from 'util';
import type { ParseArgsConfig } from 'util';
import { checkInputSize } from './input-budget';
import { manifestFiles } from './manifest-files';
import { readInParallel, readerThreads, readsInParallel } from './parallel-read';
import { readUnits } from './read-units';
import { AnalysisInput } from '../analysis/mesh-index';
import { STDIN_NAME, STDIN_PATH, UnreadableInputError, readManifests } from '../analysis/read-manifests';
import { hasSchema, validateDocument } from '../analysis/schema';

/**
 * Exit codes of every `cdk8s-istio` command: 0 success (for `analyze`, no error-level finding), 1
 * the command's failure result (error-level findings, failing test cases), 2 input that cannot be
 * read or parsed, or bad usage, 3 an internal error (a bug of the tool, never the input).
 */
export const EXIT = { CLEAN: 0, ERRORS: 1, UNREADABLE: 2, INTERNAL: 3 } as const;

/** Where a command writes. */
export interface Output {
  /** Standard output. */
  readonly out: (text: string) => void;
  /** Standard error. */
  readonly err: (text: string) => void;
}

/** The options every subcommand takes besides its own. */
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/** A subcommand's parsed arguments: its options' values (and `help`), and its positionals. */
export type CommandArgs<O extends Options> =
  ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & typeof HELP }>>;

/**
 * A subcommand's arguments parsed with `options` (and `--help`/`-h`), or the exit code that ends
 * the command: 2 with the problem and `usage` on stderr for arguments `options` do not allow, 0
 * with `usage` on stdout for `--help`.
 */
export function parseCommandArgs<O extends Options>(args: readonly string[], options: O, usage: string,
  io: Output): CommandArgs<O> | number {
  let parsed: CommandArgs<O>;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { ...options, ...HELP } }) as CommandArgs<O>;
  } catch (e) {
    return usageError(io, (e as Error).message, usage);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.out(`${usage}\n`);
    return EXIT.CLEAN;
  }
  return parsed;
}

/**
 * Runs a call that writes `target`; a file system error (EACCES, ENOSPC, EISDIR, ...) becomes an
 * {@link UnreadableInputError} naming the target (exit 2: a place the command cannot write to is
 * bad usage, not a bug). Any other error is thrown as it is.
 */
export function writeCall<T>(target: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw e;
    throw new UnreadableInputError(`${target}: cannot be written (${String((e as Error).message).split('\n')[0]}). `
      + 'Fix: give a path in a folder you can write to');
  }
}

/** Prints `problem` and `usage` on stderr; returns the exit code of bad usage (2). */
export function usageError(io: Output, problem: string, usage: string): number {
  io.err(`${problem}\n${usage}\n`);
  return EXIT.UNREADABLE;
}

/** How {@link readCommandInputs} reads. */
export interface ReadOptions {
  /** Read the subfolders of the folders given. */
  readonly recursive: boolean;
  /** Where the note about subfolders left out goes; none when undefined. */
  readonly io?: Output;
  /** An empty folder (no files, no objects) is input too, e.g. the old side of a first deploy. */
  readonly allowEmpty?: boolean;
  /**
   * Refuse objects that break their schema (what `analyze` reports as IST0106): the command reads
   * every object as its kind's type says, where `analyze` leaves invalid objects out.
   */
  readonly schemaValid?: boolean;
}

/** How many invalid objects the error of {@link ReadOptions.schemaValid} lists. */
const LISTED_INVALID = 5;

/**
 * Every object of the manifest files under `paths`, read as `kubectl apply -f` reads them (large
 * input on several threads), and the files; an {@link UnreadableInputError} when there is nothing
 * to read (unless `allowEmpty`) or the input is too large.
 */
export function readCommandInputs(paths: readonly string[], options: ReadOptions): { inputs: AnalysisInput[]; files: readonly string[] } {
  const { files, skippedFolders, skippedMetadata } = manifestFiles(paths, options.recursive, true);
  if (files.length === 0 && !options.allowEmpty) {
    const hint = options.recursive ? '' : ' (subfolders are read with --recursive)';
    throw new UnreadableInputError(`no .yaml, .yml or .json files in ${paths.join(', ')}${hint}`);
  }
  const totalBytes = checkInputSize(files);
  if (skippedMetadata.length > 0 && options.io) {
    options.io.err(`Note: not read: ${skippedMetadata.join(', ')} (cdk8s's construct metadata, not Kubernetes objects)\n`);
  }
  if (skippedFolders.length > 0 && options.io) {
    const shown = skippedFolders.slice(0, 3).join(', ') + (skippedFolders.length > 3 ? ', …' : '');
    options.io.err(`Note: ${skippedFolders.length} subfolder(s) not read (${shown}); use --recursive to read them\n`);
  }
  const units = readsInParallel(totalBytes) ? readUnits(files) : files.map(file => ({ file }));
  const threads = readerThreads(units.length, totalBytes);
  const inputs: AnalysisInput[] = threads > 0 ? readInParallel(units, threads) : [];
  if (threads === 0) for (const file of files) for (const input of readManifests(file)) inputs.push(input);
  if (inputs.length === 0 && !options.allowEmpty) {
    const only = files[0] === STDIN_PATH ? STDIN_NAME : files[0];
    const where = files.length === 1 ? `${only}: no Kubernetes objects` : `no Kubernetes objects in the ${files.length} files read`;
    throw new UnreadableInputError(`${where} (empty, or only comments and separators)`);
  }
  if (options.schemaValid) refuseInvalid(inputs);
  return { inputs, files };
}

/** Throws an {@link UnreadableInputError} listing the first objects that break their schema, if any do. */
function refuseInvalid(inputs: readonly AnalysisInput[]): void {
  const invalid: string[] = [];
  let count = 0;
  for (const { doc, source, violations } of inputs) {
    if (!hasSchema(String(doc.apiVersion), String(doc.kind))) continue; // another project's kind: passed through
    const found = violations ?? validateDocument(doc);
    if (found.length === 0) continue;
    count++;
    if (invalid.length === LISTED_INVALID) continue;
    const { path, message } = found[0];
    const where = source ? `${source.file}:${source.line}: ` : '';
    const object = `${doc.kind} ${doc.metadata?.namespace ?? ''}/${doc.metadata?.name ?? ''}`;
    invalid.push(`  ${where}${object}: ${path ? `${path}: ` : ''}${message}`);
  }
  if (count === 0) return;
  const more = count > invalid.length ? `\n  … and ${count - invalid.length} more` : '';
  throw new UnreadableInputError(`${count} object(s) break their schema:\n${invalid.join('\n')}${more}\n`
    + 'Fix: correct them (`cdk8s-istio analyze` lists every problem as IST0106)');
}
