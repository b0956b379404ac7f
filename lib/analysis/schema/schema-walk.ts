import type { CelInput } from '@bufbuild/cel';
import { checkRule } from './cel-rules';
import type { ValidationRule } from './cel-rules';
import { childPath, isPlainObject } from './field-path';
import type { SchemaNode } from './openapi-to-json-schema';
import type { FieldProblem } from './violation';

/** Per schema node: whether it or anything below it has CEL rules or a keyed list (cached; schemas are immutable). */
const hasChecks = new WeakMap<SchemaNode, boolean>();

/**
 * Checks what JSON Schema cannot express, walking the document alongside its CRD's structural
 * schema (`properties`, `items`, `additionalProperties`):
 *
 * - every `x-kubernetes-validations` rule at every node it is declared on, `self` bound to that
 *   node (integers as CEL ints); a rule is skipped at a node when `skipRulesAt(path)` (if given) says so
 *   (the API server does not run rules over values that already failed their type checks);
 * - `x-kubernetes-list-type: map`: no two items share the same `x-kubernetes-list-map-keys` values.
 */
export function checkStructuralRules(doc: unknown, schema: SchemaNode, skipRulesAt?: (path: string) => boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  walk(doc, schema, ROOT, skipRulesAt, problems);
  return problems;
}

/**
 * Where the walk is: a chain of keys from the root, turned into a dotted path only when something
 * needs it (a problem, or a rule-skipping test), since most documents have neither.
 */
interface At {
  readonly parent: At | undefined;
  readonly key: string | number;
}

const ROOT: At = { parent: undefined, key: '' };

function pathOf(at: At): string {
  return at.parent === undefined ? '' : childPath(pathOf(at.parent), at.key);
}

type SkipRules = ((path: string) => boolean) | undefined;

function walk(value: unknown, schema: SchemaNode, at: At, skipRulesAt: SkipRules, problems: FieldProblem[]): void {
  if (value === undefined || !checksBelow(schema)) return;
  const rules = schema['x-kubernetes-validations'] as readonly ValidationRule[] | undefined;
  if (rules !== undefined && !(skipRulesAt !== undefined && skipRulesAt(pathOf(at)))) {
    const self = toCel(value, schema);
    for (const rule of rules) {
      if (isTransitionRule(rule)) continue;
      const message = checkRule(rule, self);
      if (message !== undefined) {
        const fix = 'change the value so that the CRD\'s validation rule holds';
        problems.push({ path: pathOf(at), message: `${message}. Fix: ${fix}`, source: 'cel' });
      }
    }
  }
  if (Array.isArray(value)) {
    if (schema['x-kubernetes-list-type'] === 'map') checkListMapKeys(value, schema['x-kubernetes-list-map-keys'] as string[], at, problems);
    const items = schema.items as SchemaNode | undefined;
    if (items !== undefined && checksBelow(items)) {
      for (let i = 0; i < value.length; i++) walk(value[i], items, { parent: at, key: i }, skipRulesAt, problems);
    }
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      const childSchema = propertySchema(schema, key);
      if (childSchema !== undefined && checksBelow(childSchema)) walk(value[key], childSchema, { parent: at, key }, skipRulesAt, problems);
    }
  }
}

function checkListMapKeys(list: readonly unknown[], keys: readonly string[], at: At, problems: FieldProblem[]): void {
  const seen = new Set<string>();
  list.forEach((item, i) => {
    if (!isPlainObject(item)) return;
    const identity = keys.map((k) => `${k}=${JSON.stringify(item[k])}`).join(', ');
    if (seen.has(identity)) {
      problems.push({ path: childPath(pathOf(at), i), message: `duplicate entry: another item already has ${identity}`, source: 'schema' });
    }
    seen.add(identity);
  });
}

function propertySchema(schema: SchemaNode, key: string): SchemaNode | undefined {
  const properties = schema.properties as Record<string, SchemaNode> | undefined;
  if (properties !== undefined && Object.prototype.hasOwnProperty.call(properties, key)) return properties[key];
  return isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
}

function checksBelow(schema: SchemaNode): boolean {
  let found = hasChecks.get(schema);
  if (found === undefined) {
    const children = [
      ...Object.values((schema.properties ?? {}) as Record<string, SchemaNode>),
      schema.items, schema.additionalProperties,
    ].filter(isPlainObject);
    found = schema['x-kubernetes-validations'] !== undefined || schema['x-kubernetes-list-type'] === 'map'
      || children.some(checksBelow);
    hasChecks.set(schema, found);
  }
  return found;
}

/**
 * Whether a rule compares with the object's previous state (`oldSelf`): the API server runs such
 * transition rules only when an object is updated, never when it is created, which is what a
 * manifest is checked as (`self == oldSelf` on GatewayClass.spec.controllerName, for one).
 */
function isTransitionRule(rule: ValidationRule): boolean {
  return /\boldSelf\b/.test(rule.rule);
}

/**
 * A JSON value as the API server hands it to CEL: whole numbers are ints (bigint) unless the
 * schema says `number`, objects (as Maps) and lists are converted field by field along the schema,
 * and an `undefined` field is absent, as in JSON.
 */
function toCel(value: unknown, schema: SchemaNode | undefined): CelInput {
  if (typeof value === 'number') {
    return Number.isInteger(value) && schema?.type !== 'number' ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = schema?.items as SchemaNode | undefined;
    return value.map((item) => toCel(item, items));
  }
  if (isPlainObject(value)) {
    // a Map, not an object: CEL reads a plain object's `constructor` (and `$typeName`), which a key of that name would replace
    const out = new Map<string, CelInput>();
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) out.set(key, toCel(child, schema && propertySchema(schema, key)));
    }
    return out;
  }
  return value as CelInput;
}
