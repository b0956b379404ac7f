import { parseArgs } from 'util';
import { analyze } from '../analysis/analyze';
import { formatMessage } from '../analysis/messages';
import { UnreadableInputError, manifestFiles, readManifests } from '../analysis/read-manifests';

/** Exit codes of `cdk8s-istio analyze`. */
export const EXIT = { CLEAN: 0, ERRORS: 1, UNREADABLE: 2 } as const;

const USAGE = `Usage: cdk8s-istio analyze <file|dir>... [--output text|json] [--recursive]

Analyzes Istio and Kubernetes manifests as \`istioctl analyze --use-kube=false\` does.
Directories are read like \`kubectl apply -f\`: their .yaml/.yml/.json files, not subdirectories
unless --recursive. Exit code: 0 no errors, 1 errors found, 2 unreadable input or bad usage.`;

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
      args: [...args], allowPositionals: true,
      options: { output: { type: 'string', short: 'o', default: 'text' }, recursive: { type: 'boolean', short: 'R', default: false }, help: { type: 'boolean', short: 'h' } },
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
    io.err(`${positionals.length === 0 ? 'no files or directories given' : `unknown output "${values.output}" (use text or json)`}\n${USAGE}\n`);
    return EXIT.UNREADABLE;
  }
  let inputs;
  try {
    const files = manifestFiles(positionals, values.recursive!);
    if (files.length === 0) {
      throw new UnreadableInputError(`no .yaml, .yml or .json files in ${positionals.join(', ')}${values.recursive ? '' : ' (subfolders are read with --recursive)'}`);
    }
    inputs = files.flatMap(readManifests);
  } catch (e) {
    if (!(e instanceof UnreadableInputError)) throw e;
    io.err(`Error: ${e.message}\n`);
    return EXIT.UNREADABLE;
  }
  const messages = analyze(inputs);
  if (values.output === 'json') {
    io.out(`${JSON.stringify(messages, null, 2)}\n`);
  } else if (messages.length === 0) {
    io.out(`\u2714 No validation issues found when analyzing ${inputs.length} resources.\n`);
  } else {
    io.out(`${messages.map(formatMessage).join('\n')}\n`);
  }
  return messages.some(m => m.level === 'Error') ? EXIT.ERRORS : EXIT.CLEAN;
}
