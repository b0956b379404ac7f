import { Output, analyzeCommand, EXIT } from './analyze-command';

/** The `cdk8s-istio` command: dispatches to its subcommands; returns the exit code. */
export function main(args: readonly string[], io: Output = { out: t => process.stdout.write(t), err: t => process.stderr.write(t) }): number {
  const [command, ...rest] = args;
  if (command === 'analyze') return analyzeCommand(rest, io);
  io.err(`Usage: cdk8s-istio analyze <file|dir>... [--output text|json] [--recursive]\n${command ? `unknown command "${command}"\n` : ''}`);
  return EXIT.UNREADABLE;
}
