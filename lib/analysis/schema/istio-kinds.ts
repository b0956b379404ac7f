import type { ValidateFunction } from 'ajv';
import { describeAjvErrors } from './ajv-errors';
import { schemaValidator } from './ajv-validator';
import { isAtOrUnder } from './field-path';
import { openApiToJsonSchema } from './openapi-to-json-schema';
import type { SchemaNode } from './openapi-to-json-schema';
import { checkStructuralRules } from './schema-walk';
import type { FieldProblem } from './violation';
import type { IstioCrdSchemas } from '../../../imports/istio-crd-schemas';

/**
 * Schema errors after which the API server runs no CEL rule (they would see values of the wrong
 * shape): wrong type, missing required field, value outside its enum, too long or too many.
 */
const BLOCKING_KEYWORDS = new Set(['type', 'required', 'enum', 'maxLength', 'maxItems', 'maxProperties']);

/** The fields every object has besides its CRD schema; the metadata rules are checked separately. */
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };
const TYPE_AND_OBJECT_META = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: {
    type: 'object',
    properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: STRING_MAP, annotations: STRING_MAP },
  },
};

let schemas: IstioCrdSchemas | undefined;

/** The Istio CRD schemas, parsed on first use (100 KB of JSON that `require('cdk8s-istio')` should not pay for). */
function istioSchemas(): IstioCrdSchemas {
  schemas ??= (require('../../../imports/istio-crd-schemas') as typeof import('../../../imports/istio-crd-schemas')).ISTIO_CRD_SCHEMAS;
  return schemas;
}

/** Compiled validators by index into `ISTIO_CRD_SCHEMAS.schemas`, compiled on first use. */
const validators = new Map<number, ValidateFunction>();

function validatorFor(index: number): ValidateFunction {
  let validate = validators.get(index);
  if (validate === undefined) {
    const schema = openApiToJsonSchema(istioSchemas().schemas[index]);
    schema.properties = { ...TYPE_AND_OBJECT_META, ...(schema.properties as object) };
    validate = schemaValidator(schema);
    validators.set(index, validate);
  }
  return validate;
}

/** The CRD schema index of an Istio `apiVersion`/`kind`, or undefined when it is not an Istio kind. */
export function istioSchemaIndex(apiVersion: string, kind: string): number | undefined {
  const key = `${apiVersion}/${kind}`;
  return Object.prototype.hasOwnProperty.call(istioSchemas().kinds, key) ? istioSchemas().kinds[key] : undefined;
}

/**
 * Validates a document of an Istio kind against its CRD schema (index from
 * {@link istioSchemaIndex}) as the API server does with strict field validation: the OpenAPI
 * schema through ajv, then `x-kubernetes-list-type: map` keys and every CEL rule. Rules are not
 * run at nodes at or above a value that failed a type, required, enum or size check.
 */
export function validateIstioDocument(doc: Record<string, unknown>, schemaIndex: number): FieldProblem[] {
  const validate = validatorFor(schemaIndex);
  const schema = istioSchemas().schemas[schemaIndex] as SchemaNode;
  if (validate(doc)) return checkStructuralRules(doc, schema);
  const errors = describeAjvErrors(doc, validate.errors ?? []);
  const blocked = errors.filter((e) => BLOCKING_KEYWORDS.has(e.keyword)).map((e) => e.path);
  const problems: FieldProblem[] = errors.map(({ path, message }) => ({ path, message, source: 'schema' }));
  return [...problems, ...checkStructuralRules(doc, schema, (path) => blocked.some((b) => isAtOrUnder(b, path)))];
}
