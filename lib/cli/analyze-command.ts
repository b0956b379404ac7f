import { parseArgs } from 'util';
import { checkInputSize } from './input-budget';
import { manifestFiles } from './manifest-files';
import { readInParallel, readerThreads } from './parallel-read';
import { analyze } from '../analysis/analyze';
import { AnalysisInput } from '../analysis/mesh-index';
import { AnalysisMessage, formatMessage } from '../analysis/messages';
import { UnreadableInputError, readManifests } from '../analysis/read-manifests';

/**
 * Exit codes of `cdk8s-istio analyze`: 0 no error-level finding, 1 error-level findings, 2 input that
 * cannot be read or parsed (or bad usage), 3 an internal error (a bug of the tool, never the input).
 */
export const EXIT = { CLEAN: 0, ERRORS: 1, UNREADABLE: 2, INTERNAL: 3 } as const;

const USAGE = `Usage: cdk8s-istio analyze <file|dir>... [--output text|json] [--recursive]

Analyzes Istio and Kubernetes manifests as \`istioctl analyze --use-kube=false\` does.
Directories are read like \`kubectl apply -f\`: their .yaml/.yml/.json files, not subdirectories
unless --recursive. Exit code: 0 no errors, 1 errors found, 2 unreadable or malformed input or bad
usage, 3 internal error.`;

/** The environment variable that makes `analyze` print how long reading and analysis took (to stderr). */
export const TIMINGS_VARIABLE = 'CDK8S_ISTIO_TIMINGS';

/** Where the command writes. */
export interface Output {
  /** Standard output. */
  readonly out: (text: string) => void;
  /** Standard error. */
  readonly err: (text: string) => void;
}

/** Runs `analyze` with its arguments; returns the exit code. */
export function analyzeCommand(args: readonly string[], io: Output): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o', default: 'text' },
        recursive: { type: 'boolean', short: 'R', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}\n`);
    return EXIT.UNREADABLE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${USAGE}\n`);
    return EXIT.CLEAN;
  }
  if (positionals.length === 0 || !['text', 'json'].includes(values.output!)) {
    const problem = positionals.length === 0 ? 'no files or directories given' : `unknown output "${values.output}" (use text or json)`;
    io.err(`${problem}\n${USAGE}\n`);
    return EXIT.UNREADABLE;
  }
  const started = performance.now();
  let inputs: AnalysisInput[];
  try {
    inputs = readInputs(positionals, values.recursive!, io);
  } catch (e) {
    if (!(e instanceof UnreadableInputError)) throw e;
    io.err(`Error: ${e.message}\n`);
    return EXIT.UNREADABLE;
  }
  const read = performance.now();
  const messages = analyze(inputs);
  if (process.env[TIMINGS_VARIABLE] === '1') {
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    io.err(`Timings: read ${inputs.length} objects in ${s(read - started)}, analyzed them in ${s(performance.now() - read)}\n`);
  }
  if (values.output === 'json') {
    writeJson(messages, io);
  } else if (messages.length === 0) {
    io.out(`\u2714 No validation issues found when analyzing ${inputs.length} resources.\n`);
  } else {
    inBatches(messages, batch => io.out(`${batch.map(formatMessage).join('\n')}\n`));
  }
  return messages.some(m => m.level === 'Error') ? EXIT.ERRORS : EXIT.CLEAN;
}

/** Every object of the files under `paths`; subfolders left out without `recursive` are named on stderr. */
function readInputs(paths: readonly string[], recursive: boolean, io: Output): AnalysisInput[] {
  const { files, skippedFolders } = manifestFiles(paths, recursive);
  if (files.length === 0) {
    const hint = recursive ? '' : ' (subfolders are read with --recursive)';
    throw new UnreadableInputError(`no .yaml, .yml or .json files in ${paths.join(', ')}${hint}`);
  }
  const totalBytes = checkInputSize(files);
  if (skippedFolders.length > 0) {
    const shown = skippedFolders.slice(0, 3).join(', ') + (skippedFolders.length > 3 ? ', …' : '');
    io.err(`Note: ${skippedFolders.length} subfolder(s) not read (${shown}); use --recursive to read them\n`);
  }
  const threads = readerThreads(files, totalBytes);
  const inputs: AnalysisInput[] = threads > 0 ? readInParallel(files, threads) : [];
  if (threads === 0) for (const file of files) for (const input of readManifests(file)) inputs.push(input);
  if (inputs.length === 0) {
    const where = files.length === 1 ? `${files[0]}: no Kubernetes objects` : `no Kubernetes objects in the ${files.length} files read`;
    throw new UnreadableInputError(`${where} (empty, or only comments and separators)`);
  }
  return inputs;
}

/**
 * Calls `write` with the messages a thousand at a time: the output of a huge input is never one
 * string (V8 caps a string at ~512 MB).
 */
function inBatches(messages: readonly AnalysisMessage[], write: (batch: readonly AnalysisMessage[], first: boolean) => void): void {
  for (let i = 0; i < messages.length; i += 1000) write(messages.slice(i, i + 1000), i === 0);
}

/** The messages as a JSON array (formatted as `JSON.stringify(messages, null, 2)` would), written in batches. */
function writeJson(messages: readonly AnalysisMessage[], io: Output): void {
  if (messages.length === 0) {
    io.out('[]\n');
    return;
  }
  const item = (m: AnalysisMessage) => `  ${JSON.stringify(m, null, 2).replace(/\n/g, '\n  ')}`;
  inBatches(messages, (batch, first) => io.out(`${first ? '[\n' : ',\n'}${batch.map(item).join(',\n')}`));
  io.out('\n]\n');
}
