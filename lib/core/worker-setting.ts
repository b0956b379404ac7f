/**
 * The environment variable that sets the library's worker threads: `off` (or `0`) for none. The
 * command reads large input on that many threads besides the main one (lib/cli/parallel-read.ts);
 * the synth dumps a large app's YAML on one (lib/synth/yaml-dump.ts) unless it is off.
 */
export const WORKERS_VARIABLE = 'CDK8S_ISTIO_WORKERS';

/** Whether `CDK8S_ISTIO_WORKERS` turns worker threads off (`off` or `0`). */
export function workersOff(env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env[WORKERS_VARIABLE]?.trim();
  return setting === 'off' || setting === '0';
}
