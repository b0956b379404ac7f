import type { RE2JS } from 're2js';

/** An Istio StringMatch as written in a document: one of exact, prefix, regex, or none (presence). */
export interface StringMatchSpec {
  /** The exact value. */
  readonly exact?: unknown;
  /** A prefix of the value. */
  readonly prefix?: unknown;
  /** An RE2 regex the whole value must match. */
  readonly regex?: unknown;
}

/** Compiled patterns by source; null for a pattern RE2 refuses (it then matches nothing, as Istio's webhook refuses it). */
const COMPILED = new Map<string, RE2JS | null>();

/** The compiled RE2 pattern, or null when it is not valid RE2. */
export function re2(pattern: string): RE2JS | null {
  let compiled = COMPILED.get(pattern);
  if (compiled === undefined) {
    try {
      // re2js is loaded on the first regex (~35 ms), not when the library is.
      compiled = (require('re2js') as typeof import('re2js')).RE2JS.compile(pattern);
    } catch {
      compiled = null;
    }
    COMPILED.set(pattern, compiled);
  }
  return compiled;
}

/**
 * Whether `value` satisfies a StringMatch as Envoy evaluates it: `exact` equals, `prefix` starts
 * the value, `regex` matches the whole value (RE2); an empty match (`{}`) only asks that the value
 * is there. `ignoreCase` compares exact and prefix values case-insensitively (`ignoreUriCase`).
 * Anything else (a non-string value, an unknown form) matches nothing.
 */
export function stringMatches(match: unknown, value: string, ignoreCase = false): boolean {
  if (match === null || match === undefined) return true;
  if (typeof match !== 'object' || Array.isArray(match)) return false;
  const m = match as StringMatchSpec;
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if (m.exact !== undefined) return typeof m.exact === 'string' && fold(value) === fold(m.exact);
  if (m.prefix !== undefined) return typeof m.prefix === 'string' && fold(value).startsWith(fold(m.prefix));
  if (m.regex !== undefined) return typeof m.regex === 'string' && (re2(m.regex)?.matches(value) ?? false);
  return Object.keys(m).length === 0;
}

/** The prefix a StringMatch matches by, when it is a prefix match. */
export function prefixOf(match: unknown): string | undefined {
  const prefix = (match as StringMatchSpec | undefined)?.prefix;
  return typeof prefix === 'string' ? prefix : undefined;
}

/**
 * `path` rewritten by Envoy's regex_rewrite: every match of `pattern` replaced by `substitution`,
 * whose `\1`…`\9` name capture groups. Undefined when the pattern is not valid RE2.
 */
export function regexRewrite(path: string, pattern: string, substitution: string): string | undefined {
  const compiled = re2(pattern);
  if (!compiled) return undefined;
  const replacement = substitution.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
  return compiled.matcher(path).replaceAll(replacement);
}
