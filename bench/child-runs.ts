import { spawnSync } from 'child_process';

/** One measured run of a child process. */
export interface ChildRun {
  /** The whole process's wall time as the parent saw it, from spawn to exit, in ms. */
  readonly wallMs: number;
  /** The figures the child printed as JSON on its last output line (none when it printed none). */
  readonly reported: Readonly<Record<string, number>>;
}

/** Where and how a child runs. */
export interface ChildOptions {
  readonly cwd: string;
  /** Variables added to the bench's own environment. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs `command args` to its end and times it; throws, with its output, when it fails. Output is
 * captured (not shown), so a chatty child costs the same in every run.
 */
export function runChild(command: string, args: readonly string[], options: ChildOptions): ChildRun {
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...options.env },
  });
  const wallMs = performance.now() - start;
  if (result.status !== 0) {
    const why = result.error?.message ?? `exit ${result.status}`;
    throw new Error(`${command} ${args.join(' ')} failed (${why}):\n${result.stdout}${result.stderr}`);
  }
  const last = result.stdout.trim().split('\n').pop() ?? '';
  return { wallMs, reported: last.startsWith('{') ? JSON.parse(last) : {} };
}
