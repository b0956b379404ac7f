import type { ErrorObject } from 'ajv';
import { childPath, isPlainObject, resolvePointer } from './field-path';

/** An ajv error turned into words: where, what, and which ajv keyword failed. */
export interface DescribedError {
  /** Dotted path of the offending field. */
  readonly path: string;
  /** What is wrong, in plain words, then how to fix it (`… Fix: …`). */
  readonly message: string;
  /** The JSON Schema keyword that failed (`type`, `enum`, `required`, ...). */
  readonly keyword: string;
}

/** An error raised inside one branch of a `oneOf`/`anyOf`/`not`: only the combinator's own error says anything useful. */
const BRANCH_ERROR = /\/(?:(?:oneOf|anyOf)\/\d+|not)\//;

/**
 * Describes ajv errors (of the Istio CRD and Kubernetes kind validators) in sentences with dotted
 * paths. Errors inside combinator branches are folded into the combinator's error: a union of
 * types reads "must be an integer or a string", a `oneOf` of `required` branches
 * (how the Istio CRDs say "at most one of") reads "at most one of a, b may be set".
 */
export function describeAjvErrors(doc: unknown, errors: readonly ErrorObject[]): DescribedError[] {
  const unions = new Set(errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath));
  const unionTypes = new Map<string, string[]>();
  const kept: ErrorObject[] = [];
  for (const e of errors) {
    if (BRANCH_ERROR.test(e.schemaPath)) continue;
    if (e.keyword === 'type' && unions.has(e.instancePath)) {
      unionTypes.set(e.instancePath, [...unionTypes.get(e.instancePath) ?? [], ...typesOf(e)]);
      continue;
    }
    kept.push(e);
  }
  return kept.map((e) => {
    const { path, value } = resolvePointer(doc, e.instancePath);
    const types = unionTypes.get(e.instancePath);
    if (types !== undefined) {
      const expected = types.map(article).join(' or ');
      return { path, keyword: 'type', message: `must be ${expected}, not ${describeValue(value)}. Fix: give ${expected}` };
    }
    const described = describeError(e, path, value);
    return { ...described, message: `${described.message}. Fix: ${fixFor(e)}` };
  });
}

/** How to fix what an ajv keyword refused, in the words of the message before it. */
function fixFor(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const least = e.keyword.startsWith('min');
  switch (e.keyword) {
    case 'required': return `add ${String(p.missingProperty)}`;
    case 'additionalProperties': return 'remove the field, or correct its name';
    case 'type': return `give ${typesOf(e).map(article).join(' or ')}`;
    case 'enum': return 'use one of those values';
    case 'oneOf': return 'keep only one of them, or give the shape the schema describes';
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum': return `use a value ${p.comparison} ${p.limit}`;
    case 'minLength': return `give at least ${count(p.limit, 'character')}, or leave the field out`;
    case 'maxLength': return `shorten it to at most ${count(p.limit, 'character')}`;
    case 'minItems': case 'maxItems': case 'minProperties': case 'maxProperties':
      return least ? 'add entries, or leave the field out' : 'remove entries (split the object into several if it needs more)';
    case 'pattern': return 'give a value the pattern matches';
    case 'format': return `give a valid ${String(p.format)}`;
    default: return 'change the field to a value its schema allows';
  }
}

function describeError(e: ErrorObject, path: string, value: unknown): DescribedError {
  const p = e.params as Record<string, unknown>;
  const keyword = e.keyword;
  switch (keyword) {
    case 'required':
      return { keyword, path: childPath(path, String(p.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema?.properties ?? {}) as object);
      const field = String(p.additionalProperty);
      const hint = known.length === 0 ? 'this object takes no fields' : `known fields are ${known.join(', ')}`;
      return { keyword, path: childPath(path, field), message: `unknown field ${JSON.stringify(field)}; ${hint}` };
    }
    case 'type':
      return { keyword, path, message: `must be ${typesOf(e).map(article).join(' or ')}, not ${describeValue(value)}` };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { keyword, path, message: `must be one of ${allowed}, not ${describeValue(value)}` };
    }
    case 'oneOf':
      return { keyword, path, message: atMostOneOf(e, value) ?? 'must match exactly one of the allowed shapes' };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { keyword, path, message: `must be ${p.comparison} ${p.limit}` };
    case 'minLength':
    case 'maxLength':
      return { keyword, path, message: `must be at ${keyword === 'minLength' ? 'least' : 'most'} ${count(p.limit, 'character')} long` };
    case 'minItems':
    case 'maxItems':
      return { keyword, path, message: `must have at ${keyword === 'minItems' ? 'least' : 'most'} ${count(p.limit, 'item')}` };
    case 'minProperties':
    case 'maxProperties':
      return {
        keyword, path, message: `must have at ${keyword === 'minProperties' ? 'least' : 'most'} ${count(p.limit, 'entry', 'entries')}`,
      };
    case 'pattern':
      return { keyword, path, message: `must match the pattern ${p.pattern}, not ${describeValue(value)}` };
    case 'format':
      return { keyword, path, message: `must be a valid ${p.format}, not ${describeValue(value)}` };
    default:
      return { keyword, path, message: e.message ?? `fails the "${keyword}" check` };
  }
}

/** For a `oneOf` whose branches only name fields (`required`, `not anyOf required`): which of them are set. */
function atMostOneOf(e: ErrorObject, value: unknown): string | undefined {
  if (!Array.isArray(e.schema) || !isPlainObject(value)) return undefined;
  const fields = [...new Set(e.schema.flatMap(requiredFields))];
  if (fields.length === 0) return undefined;
  const set = fields.filter((f) => value[f] !== undefined);
  return `at most one of ${fields.join(', ')} may be set, found ${set.join(' and ')}`;
}

function requiredFields(branch: unknown): string[] {
  if (!isPlainObject(branch)) return [];
  const own = Array.isArray(branch.required) ? branch.required.map(String) : [];
  const nested = [branch.not, ...(Array.isArray(branch.anyOf) ? branch.anyOf : [])].flatMap(requiredFields);
  return [...own, ...nested];
}

function count(n: unknown, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function typesOf(e: ErrorObject): string[] {
  const t = (e.params as { type: string | string[] }).type;
  return Array.isArray(t) ? t : t.split(',');
}

function article(type: string): string {
  switch (type) {
    case 'integer': return 'an integer';
    case 'object': return 'an object';
    case 'array': return 'a list';
    case 'null': return 'null';
    default: return `a ${type}`;
  }
}

/** A short description of a value for messages: its JSON type and, for scalars, the value itself. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return `${Number.isInteger(value) ? 'the integer' : 'the number'} ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
