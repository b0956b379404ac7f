import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { CompiledValidatorCache } from './compiled-validator-cache';
import { SCHEMA_FORMATS } from './openapi-to-json-schema';

/**
 * The engine of the schemas' `pattern`s: RE2 (re2js), as the API server runs them (Go's regexp). The
 * patterns are written for RE2, and V8's backtracking engine takes time that grows with the string
 * (a 120,000-character Gateway listener protocol ran for over a minute) where RE2 stays linear.
 * `code` is how a cached standalone validator gets it (it runs with this library's `require`).
 */
const re2Pattern = Object.assign((pattern: string) => (require('re2js') as typeof import('re2js')).RE2JS.compile(pattern), {
  code: '(pattern) => require("re2js").RE2JS.compile(pattern)',
});

const AJV_OPTIONS = { allErrors: true, verbose: true, strictTypes: false, code: { source: true, regExp: re2Pattern } } as const;
let cache: CompiledValidatorCache | undefined;

/**
 * The compiled ajv validator of a JSON Schema (Istio CRD or Kubernetes kind), from the compiled
 * validator cache. ajv itself loads only to compile a schema the cache does not hold: a synthesis
 * of library objects, or a run whose validators are all cached, never needs it.
 */
export function schemaValidator(schema: object): ValidateFunction {
  if (!cache) {
    const newAjv = () => new (require('ajv').default as typeof Ajv)({ ...AJV_OPTIONS, formats: SCHEMA_FORMATS });
    const formats = Object.entries(SCHEMA_FORMATS).map(([name, f]) => `${name}:${String(f)}`);
    cache = new CompiledValidatorCache(newAjv, { ...AJV_OPTIONS, code: { source: true, regExp: re2Pattern.code }, formats });
  }
  return cache.validator(schema);
}
