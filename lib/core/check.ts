import { IConstruct } from 'constructs';
import { MeshConfigError } from './errors';

/**
 * A construct-side check: returns the value when it is valid, and otherwise throws a
 * {@link MeshConfigError} naming the construct, the prop (`field`), what is wrong and the fix.
 */
export type Check<T> = (scope: IConstruct, field: string, value: T) => T;

/**
 * The {@link Check} made of a predicate over the value (one of lib/core's `is…` functions), the
 * problem it states about a value that fails it, and the fix.
 */
export function checkWith<T>(valid: (value: T) => boolean, problem: (value: T) => string, fix: string): Check<T> {
  return (scope, field, value) => {
    if (!valid(value)) throw new MeshConfigError(scope, field, problem(value), fix);
    return value;
  };
}
