import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { CompiledValidatorCache } from './compiled-validator-cache';
import { SCHEMA_FORMATS } from './openapi-to-json-schema';

const AJV_OPTIONS = { allErrors: true, verbose: true, strictTypes: false, code: { source: true } } as const;
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
    cache = new CompiledValidatorCache(newAjv, { ...AJV_OPTIONS, formats });
  }
  return cache.validator(schema);
}
