/** The environment variable that adds the stack trace to an internal error's message. */
export const DEBUG_VARIABLE = 'CDK8S_ISTIO_DEBUG';

/**
 * What the CLI prints for an internal error (a bug, not an input problem): one line with the error
 * and how to report it, and the stack trace only when `CDK8S_ISTIO_DEBUG=1`.
 */
export function internalErrorMessage(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = `cdk8s-istio: internal error: ${text.split('\n')[0].slice(0, 500)}. This is a bug in cdk8s-istio, not a problem `
    + `of your input: please report it with the command and the input that caused it (${DEBUG_VARIABLE}=1 prints the stack trace).\n`;
  const stack = env[DEBUG_VARIABLE] === '1' && error instanceof Error && error.stack ? `${error.stack}\n` : '';
  return line + stack;
}
