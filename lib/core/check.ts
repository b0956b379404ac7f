import { IConstruct } from 'constructs';
import { MeshConfigError } from './errors';
import { nearestName } from './nearest-name';

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
    // A JavaScript caller can leave out a required prop: say so, instead of the predicate's TypeError.
    if (value === undefined || value === null) {
      throw new MeshConfigError(scope, field, `is required, but ${describeGiven(value)} was given`, fix);
    }
    // every check is of a string or a number: an object here (a cdk8s Lazy) would read as "[object Object]"
    if (typeof value === 'object' || typeof value === 'function') {
      throw new MeshConfigError(scope, field, `must be a string or a number, not ${describeGiven(value)}`, `${fix}; ${TOKEN_FIX}`);
    }
    if (!valid(value)) throw new MeshConfigError(scope, field, problem(value), fix);
    return value;
  };
}

/**
 * Checks a value given for an enum-typed prop: one of the enum's members. TypeScript admits no
 * other, but a JavaScript caller (or a cast) can pass a typo (`'STRICTEST'`), which a lookup
 * table would otherwise turn into an empty or missing field without a word.
 *
 * @param members the enum object (`MtlsMode`)
 * @param enumName its exported name, for the message and the fix
 */
export function checkMember<E extends string>(
  scope: IConstruct, field: string, value: E, members: Record<string, E>, enumName: string,
): E {
  const values: readonly string[] = Object.values(members);
  if (!values.includes(value)) {
    const listed = values.map(v => `"${v}"`).join(', ');
    throw new MeshConfigError(scope, field, `${describeGiven(value)} is not a member of ${enumName} (${listed})`,
      `use ${Object.keys(members).map(k => `${enumName}.${k}`).join(', ')}`);
  }
  return value;
}

/**
 * The problem of a value given where a number goes: `<value> <problem>` for a number (`-1 is not a
 * number of retries`), `must be a number, not "3"` for anything else (a JavaScript caller's
 * string), which would otherwise read as a wrong number.
 */
export function numberProblem(value: unknown, problem: string): string {
  return typeof value === 'number' ? `${value} ${problem}` : `must be a number, not ${describeGiven(value)}`;
}

/** How a value of the wrong kind reads in a message: `"text"`, `null`, `a number`, `an object`. */
export function describeGiven(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value !== 'object') return `a ${typeof value}`;
  // by prototype, not `value.constructor`, which a key of that name would replace
  return isPlainRecord(value) ? 'a plain object' : `a ${(Object.getPrototypeOf(value) as object).constructor.name}`;
}

/** Whether `value` is a plain object (of `Object`'s prototype or none): not a list, null, a name or an instance of a class. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Checks that a prop typed as one of the library's (or cdk8s's) classes holds an instance of it:
 * a JavaScript caller can pass a plain object or a string (`timeout: '5s'`), which would
 * otherwise fail deep in the synthesis with a TypeError.
 *
 * @param type the class (`Duration`, `LoadBalancer`)
 * @param make how to make one, for the fix (`Duration.seconds(5)`)
 */
export function checkInstance<T>(
  scope: IConstruct, field: string, value: T, type: { readonly prototype: T; readonly name: string }, make: string,
): T {
  // the prototype test of `instanceof`, which also takes classes with private constructors
  if (!Object.prototype.isPrototypeOf.call(type.prototype, value as object)) {
    throw new MeshConfigError(scope, field, `must be a ${type.name}, not ${describeGiven(value)}`, `make one with ${make}`);
  }
  return value;
}

/**
 * Checks a free-form value that is written as it is into the manifests (an install's Helm
 * `values`): plain data only — plain objects, lists, strings, finite numbers, booleans and null
 * (an object's undefined members are left out) — and no object inside itself. A JavaScript caller
 * can pass a function, a Date, a Map, a BigInt or a cycle, which YAML cannot hold.
 *
 * @param field the prop; a problem inside the value names its place (`values.pilot.env`)
 */
export function checkJsonValue<T>(scope: IConstruct, field: string, value: T): T {
  const problem = dataProblem(value, field, new Set());
  if (problem !== undefined) {
    throw new MeshConfigError(scope, problem.at, problem.what,
      'give plain data only: objects, lists, strings, finite numbers, booleans and null');
  }
  return value;
}

/** The first place in `value` (named from `at`) that is not plain data, and why. */
function dataProblem(value: unknown, at: string, enclosing: Set<object>): { at: string; what: string } | undefined {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { at, what: `${value} is not a finite number` };
  if (typeof value !== 'object') return { at, what: `${describeGiven(value)} cannot be written to YAML` };
  if (enclosing.has(value)) return { at, what: 'the value contains itself (a cycle), which YAML cannot write out' };
  const list = Array.isArray(value);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (!list && prototype !== Object.prototype && prototype !== null) return { at, what: `${describeGiven(value)} is not plain data` };
  enclosing.add(value);
  for (const [key, member] of Object.entries(value)) {
    if (key === '__proto__') return { at: `${at}.${key}`, what: 'a key named __proto__ would be lost (it sets an object\'s prototype)' };
    if (member === undefined && !list) continue;
    const found = member === undefined ? { at: `${at}[${key}]`, what: 'a list item is undefined' }
      : dataProblem(member, list ? `${at}[${key}]` : `${at}.${key}`, enclosing);
    if (found !== undefined) return found;
  }
  enclosing.delete(value);
  return undefined;
}

/**
 * Checks a construct's props as a JavaScript caller gave them: nothing, `null` or a value of
 * another type where the props object belongs would otherwise fail inside the constructor with a
 * TypeError. `example`, for a construct whose props are required, shows the least it needs; a
 * construct whose props are optional takes nothing (its default) but not `null`.
 */
export function checkProps(scope: IConstruct, props: unknown, example?: string): void {
  const isObject = typeof props === 'object' && props !== null && !Array.isArray(props);
  if (isObject || (props === undefined && example === undefined)) return;
  throw new MeshConfigError(scope, 'props', `must be an object of props, not ${describeGiven(props)}`,
    example === undefined ? 'give an object of props, or none for the defaults' : `give at least ${example}`);
}

/** The end of a fix for a cdk8s token given where the library checks a value when the construct is made. */
const TOKEN_FIX = 'give the value itself (the library checks it when the construct is made, before a cdk8s token such as a Lazy resolves)';

/**
 * Checks that every item of a list prop is a string: a JavaScript caller's number or object, or a
 * cdk8s token such as a Lazy, would otherwise fail inside a string function with a TypeError.
 */
export function checkStrings(scope: IConstruct, field: string, value: readonly unknown[] | undefined): void {
  value?.forEach((item, i) => {
    if (typeof item !== 'string') {
      throw new MeshConfigError(scope, `${field}[${i}]`, `must be a string, not ${describeGiven(item)}`,
        `write it as a string; ${TOKEN_FIX}`);
    }
  });
}

/**
 * Checks that a prop typed as a list holds one (or nothing, for an optional prop): a JavaScript
 * caller can pass a string or an object, which would otherwise fail deep inside with a TypeError.
 */
export function checkList<L extends readonly unknown[] | undefined>(scope: IConstruct, field: string, value: L): L {
  if (value !== undefined && !Array.isArray(value)) {
    const name = field.slice(field.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
    throw new MeshConfigError(scope, field, `must be a list, not ${describeGiven(value)}`, `give a list: ${name}: [ ... ]`);
  }
  return value;
}

/**
 * Checks that a plain-object prop has only the members its type declares (`known`, one entry per
 * member of the type, so the compiler keeps it complete): a JavaScript caller's misspelt or
 * obsolete key (`form:` for `from:`, Istio's old `percent`) would otherwise be left out of the
 * manifests without a word — and an empty rule or source means something else than the one meant.
 *
 * @param what how the message names the type (`an authorization source`)
 */
export function checkKnownKeys(
  scope: IConstruct, field: string, value: unknown, known: Readonly<Record<string, true>>, what: string,
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const members = Object.keys(known);
  for (const key of Object.keys(value)) {
    if (Object.prototype.hasOwnProperty.call(known, key)) continue;
    const near = nearestName(key, members);
    throw new MeshConfigError(scope, `${field}.${key}`, `"${key}" is not a member of ${what}, so it would be left out of the manifests`,
      `${near === undefined ? '' : `write ${near}; `}the members are ${members.join(', ')}`);
  }
}

/**
 * Checks that the boolean props `keys` of `props` are booleans or unset: a JavaScript caller's
 * `'false'` (a string, so truthy) would otherwise turn the setting on.
 *
 * @param field where `props` sits (`''` for a construct's own props)
 */
export function checkBooleans<P extends object>(
  scope: IConstruct, field: string, props: P | undefined, keys: readonly (keyof P & string)[],
): void {
  if (typeof props !== 'object' || props === null) return;
  for (const key of keys) {
    const value: unknown = props[key];
    if (value === undefined || typeof value === 'boolean') continue;
    const at = field === '' ? key : `${field}.${key}`;
    throw new MeshConfigError(scope, at, `must be true or false, not ${describeGiven(value)}`,
      `write ${key}: ${value === 'false' ? 'false' : 'true'} (unquoted)`);
  }
}
