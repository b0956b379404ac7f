import { IConstruct } from 'constructs';
import { startAtCaller } from './caller-stack';
import { redactSecrets } from './secret-redaction';

/**
 * The error every construct throws for bad input: it names the construct path, the field, what is
 * wrong and how to fix it, so the message alone is enough to find and correct the mistake.
 *
 * Message shape: `<construct path>: <field>: <problem>. Fix: <fix>` (the App's own path reads `App`).
 */
export class MeshConfigError extends Error {
  /** Construct path of the construct whose input is wrong (not enumerable, like `field`: the message names both). */
  public declare readonly constructPath: string;
  /** Field (prop or emitted spec path) that is wrong, e.g. `http[0].route[1].destination.subset`. */
  public declare readonly field: string;

  /**
   * @param scope the construct whose input is wrong
   * @param field the prop or spec field at fault
   * @param problem what is wrong, without a trailing period
   * @param fix how to fix it, without a trailing period
   */
  constructor(scope: IConstruct, field: string, problem: string, fix: string) {
    super(formatProblem(scope, field, problem, fix));
    this.name = 'MeshConfigError';
    // not enumerable, so that Node, printing an uncaught one, shows the message without repeating them
    Object.defineProperties(this, { constructPath: { value: pathOf(scope) }, field: { value: field } });
    startAtCaller(this);
  }
}

/** A construct's path as messages show it: the App itself (whose path is empty) as `App`. */
function pathOf(scope: IConstruct): string {
  return scope.node.path === '' ? 'App' : scope.node.path;
}

/**
 * Formats a problem the way {@link MeshConfigError} does; used for messages returned from
 * `node.addValidation()` validators, which report strings rather than throwing. A secret the
 * problem quotes (a private key, a password, a token) is redacted.
 */
export function formatProblem(scope: IConstruct, field: string, problem: string, fix: string): string {
  return `${pathOf(scope)}: ${field}: ${redactSecrets(problem)}. Fix: ${fix}`;
}
