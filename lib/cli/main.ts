import { analyzeCommand } from './analyze-command';
import { EXIT, Output } from './command-input';
import { graphCommand } from './graph-command';
import { internalErrorMessage } from './internal-error';
import { planCommand } from './plan-command';
import { testCommand } from './test-command';

/** Standard output and error of the process. */
const STANDARD_STREAMS: Output = { out: t => process.stdout.write(t), err: t => process.stderr.write(t) };

const USAGE = [
  'Usage: cdk8s-istio analyze <file|dir>... [--output text|json] [--recursive]',
  '       cdk8s-istio plan <old> <new> [--out <dir> [--argocd | --flux]] [--output text|json]',
  '       cdk8s-istio graph <file|dir>... [-o mesh.html] [--recursive]',
  '       cdk8s-istio test <file|dir>... --cases <file|dir>... [--output text|json] [--recursive]',
].join('\n');

/**
 * The `cdk8s-istio` command: dispatches to its subcommands; returns the exit code. An exception
 * that escapes a command is a bug of the tool, not of the input: one line on stderr and exit 3.
 */
export function main(args: readonly string[], io: Output = STANDARD_STREAMS): number {
  try {
    const [command, ...rest] = args;
    if (command === 'analyze') return analyzeCommand(rest, io);
    if (command === 'plan') return planCommand(rest, io);
    if (command === 'graph') return graphCommand(rest, io);
    if (command === 'test') return testCommand(rest, io);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(`${USAGE}\n\n\`cdk8s-istio <command> --help\` describes a command's options.\n`);
      return EXIT.CLEAN;
    }
    io.err(`${USAGE}\n${command ? `unknown command "${command}"\n` : ''}`);
    return EXIT.UNREADABLE;
  } catch (e) {
    io.err(internalErrorMessage(e));
    return EXIT.INTERNAL;
  }
}
