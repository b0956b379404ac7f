import { EXIT, Output, parseCommandArgs, readCommandInputs, usageError } from './command-input';
import { analyze } from '../analysis/analyze';
import { AnalysisInput } from '../analysis/mesh-index';
import { AnalysisMessage, formatMessage } from '../analysis/messages';
import { UnreadableInputError } from '../analysis/read-manifests';
import { TIMINGS_VARIABLE, seconds } from '../core/step-timings';

const USAGE = `Usage: cdk8s-istio analyze <file|dir|->... [--output text|json] [--recursive]

Analyzes Istio and Kubernetes manifests as \`istioctl analyze --use-kube=false\` does.
Directories are read like \`kubectl apply -f\`: their .yaml/.yml/.json files, not subdirectories
unless --recursive; - reads the standard input (\`helm template . | cdk8s-istio analyze -\`).
Exit code: 0 no errors, 1 errors found, 2 unreadable or malformed input or bad usage, 3 internal
error.`;

/** The environment variable that makes `analyze` print how long reading and analysis took (to stderr). */
export { TIMINGS_VARIABLE } from '../core/step-timings';

/** Runs `analyze` with its arguments; returns the exit code. */
export function analyzeCommand(args: readonly string[], io: Output): number {
  const parsed = parseCommandArgs(args, {
    output: { type: 'string', short: 'o', default: 'text' },
    recursive: { type: 'boolean', short: 'R', default: false },
  }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0 || !['text', 'json'].includes(values.output!)) {
    const problem = positionals.length === 0 ? 'no files or directories given' : `unknown output "${values.output}" (use text or json)`;
    return usageError(io, problem, USAGE);
  }
  const started = performance.now();
  let inputs: AnalysisInput[];
  try {
    inputs = readCommandInputs(positionals, { recursive: values.recursive!, io }).inputs;
  } catch (e) {
    if (!(e instanceof UnreadableInputError)) throw e;
    io.err(`Error: ${e.message}\n`);
    return EXIT.UNREADABLE;
  }
  const read = performance.now();
  const messages = analyze(inputs);
  if (process.env[TIMINGS_VARIABLE] === '1') {
    io.err(`Timings: read ${inputs.length} objects in ${seconds(read - started)}, analyzed them in ${seconds(performance.now() - read)}\n`);
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
