import * as fs from 'fs';
import * as path from 'path';
import type { CelInput, CelResult } from '@bufbuild/cel';
import { requireCached } from '../../core/code-cache';

/** One entry of a schema's `x-kubernetes-validations`. */
export interface ValidationRule {
  /** CEL expression over `self` that must be true. */
  readonly rule: string;
  /** Message reported when the rule is false. */
  readonly message?: string;
  /** CEL expression over `self` giving the message, preferred over `message`. */
  readonly messageExpression?: string;
}

type CelEnvironment = typeof import('./cel-environment');
let loaded: CelEnvironment | undefined;

/** The CEL library and environment (cel-environment.ts), loaded on the first rule: most syntheses never evaluate one. */
function cel(): CelEnvironment {
  return (loaded ??= loadCelEnvironment());
}

/** `true` in the package's own bundles (esbuild's `define` in scripts/build.js); undeclared anywhere else. */
declare const CDK8S_ISTIO_OWN_BUNDLE: boolean | undefined;

/**
 * In the package's own bundles, the bundle of cel-environment.ts with the CEL library that
 * scripts/build.js writes beside them (build/cel.js), loaded with V8's code cache: one file instead
 * of about 130, about twice as fast to load. Elsewhere (build/lib, the TypeScript sources, the
 * package bundled by someone else, beside whatever `cel.js` that has) the module itself.
 */
function loadCelEnvironment(): CelEnvironment {
  const bundle = typeof CDK8S_ISTIO_OWN_BUNDLE === 'boolean' ? path.join(__dirname, 'cel.js') : undefined;
  if (bundle !== undefined && fs.existsSync(bundle)) return requireCached(bundle) as CelEnvironment;
  return require('./cel-environment') as CelEnvironment;
}

type Program = (bindings: { self: CelInput }) => CelResult;

/** Each distinct expression parsed and planned once: the program, or why it could not be. */
const programs = new Map<string, Program | Error>();

function program(expression: string): Program | Error {
  let compiled = programs.get(expression);
  if (compiled === undefined) {
    try {
      const { cel: lib, env } = cel();
      compiled = lib.plan(env, lib.parse(expression)) as Program;
    } catch (e) {
      compiled = e instanceof Error ? e : new Error(String(e));
    }
    programs.set(expression, compiled);
  }
  return compiled;
}

/** The syntax error of a CEL expression (as Istio's webhook parses a Telemetry filter), or undefined when it parses. */
export function celSyntaxProblem(expression: string): string | undefined {
  try {
    cel().cel.parse(expression);
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0];
  }
}

/**
 * Evaluates a CRD validation rule with `self` bound to a value (already in CEL form: integers as
 * bigint). Returns undefined when the rule holds, otherwise what to report: the result of
 * `messageExpression`, else `message`, else `failed rule: <rule>`, as the API server does. A rule
 * that cannot be compiled or evaluated is a failure too, with the reason appended.
 */
export function checkRule(rule: ValidationRule, self: CelInput): string | undefined {
  const key = scalarKey(self);
  if (key === undefined) return evaluate(rule, self);
  let results = scalarResults.get(rule);
  if (results === undefined || results.size >= MAX_REMEMBERED) scalarResults.set(rule, results = new Map());
  if (results.has(key)) return results.get(key);
  const result = evaluate(rule, self);
  results.set(key, result);
  return result;
}

/**
 * What a rule said about each scalar `self` (a string, number, boolean...): rules are pure and
 * most of them judge scalars that recur across documents (durations such as `5s`, label values),
 * so each distinct one is evaluated once, up to {@link MAX_REMEMBERED} per rule.
 */
const scalarResults = new WeakMap<ValidationRule, Map<string, string | undefined>>();
const MAX_REMEMBERED = 10_000;

/** A key naming a scalar CEL value and its type, or undefined for a list, map or null. */
function scalarKey(self: CelInput): string | undefined {
  switch (typeof self) {
    case 'string': return `s${self}`;
    case 'bigint': return `i${self}`;
    case 'number': return Object.is(self, -0) ? 'd-0' : `d${self}`;
    case 'boolean': return self ? 'b1' : 'b0';
    default: return undefined;
  }
}

function evaluate(rule: ValidationRule, self: CelInput): string | undefined {
  const compiled = program(rule.rule);
  if (compiled instanceof Error) return `${failureMessage(rule, self)} (the rule could not be compiled: ${compiled.message})`;
  const result = compiled({ self });
  if (result === true) return undefined;
  const message = failureMessage(rule, self);
  if (result === false) return message;
  if (cel().cel.isCelError(result)) return `${message} (the rule could not be evaluated: ${result.message})`;
  return `${message} (the rule returned ${String(result)} instead of a boolean)`;
}

function failureMessage(rule: ValidationRule, self: CelInput): string {
  if (rule.messageExpression !== undefined) {
    const compiled = program(rule.messageExpression);
    const result = compiled instanceof Error ? compiled : compiled({ self });
    if (typeof result === 'string' && result.trim() !== '') return result;
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}
