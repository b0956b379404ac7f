import type { ValidateFunction } from 'ajv';
import { describeAjvErrors } from './ajv-errors';
import { schemaValidator } from './ajv-validator';
import { isAtOrUnder } from './field-path';
import { ISTIO_OPERATOR_KIND, ISTIO_OPERATOR_SCHEMA } from './istio-operator-schema';
import { openApiToJsonSchema } from './openapi-to-json-schema';
import type { SchemaNode } from './openapi-to-json-schema';
import { checkStructuralRules } from './schema-walk';
import { hasDefaults, withStructuralDefaults } from './structural-defaults';
import type { FieldProblem } from './violation';
import type { CrdSchemas } from '../../../imports/crd-schemas';

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

let schemas: CrdSchemas | undefined;

/**
 * The Istio and Gateway API CRD schemas, parsed on first use (200 KB of JSON that
 * `require('cdk8s-istio')` should not pay for), and the IstioOperator's, which has no CRD.
 */
function crdSchemas(): CrdSchemas {
  if (schemas === undefined) {
    const generated = (require('../../../imports/crd-schemas') as typeof import('../../../imports/crd-schemas')).CRD_SCHEMAS;
    schemas = {
      kinds: { ...generated.kinds, [ISTIO_OPERATOR_KIND]: generated.schemas.length },
      schemas: [...generated.schemas, ISTIO_OPERATOR_SCHEMA],
    };
  }
  return schemas;
}

/** Whether each schema (by index) has defaults to apply before validation, found on first use. */
const defaulting = new Map<number, boolean>();

function defaultsIn(index: number): boolean {
  let found = defaulting.get(index);
  if (found === undefined) defaulting.set(index, found = hasDefaults(crdSchemas().schemas[index]));
  return found;
}

/** Compiled validators by index into `CRD_SCHEMAS.schemas`, compiled on first use. */
const validators = new Map<number, ValidateFunction>();

function validatorFor(index: number): ValidateFunction {
  let validate = validators.get(index);
  if (validate === undefined) {
    const schema = openApiToJsonSchema(crdSchemas().schemas[index]);
    // The CRD's own apiVersion, kind and metadata (the Gateway API's: `metadata: { type: object }`) give way to these.
    schema.properties = { ...(schema.properties as object), ...TYPE_AND_OBJECT_META };
    validate = schemaValidator(schema);
    validators.set(index, validate);
  }
  return validate;
}

/** The CRD schema index of an Istio (IstioOperator included) or Gateway API `apiVersion`/`kind`, or undefined when it is neither. */
export function crdSchemaIndex(apiVersion: string, kind: string): number | undefined {
  const key = `${apiVersion}/${kind}`;
  return Object.prototype.hasOwnProperty.call(crdSchemas().kinds, key) ? crdSchemas().kinds[key] : undefined;
}

/**
 * Validates a document of an Istio or Gateway API kind against its CRD schema (index from
 * {@link crdSchemaIndex}) as the API server does with strict field validation: the OpenAPI
 * schema through ajv, then `x-kubernetes-list-type: map` keys and every CEL rule, all on the
 * document with the schema's defaults applied, as the API server applies them first (see
 * structural-defaults.ts). Rules are not run at nodes at or above a value that failed a type,
 * required, enum or size check.
 */
export function validateCrdDocument(given: Record<string, unknown>, schemaIndex: number): FieldProblem[] {
  const validate = validatorFor(schemaIndex);
  const schema = crdSchemas().schemas[schemaIndex] as SchemaNode;
  const doc = defaultsIn(schemaIndex) ? withStructuralDefaults(given, schema) as Record<string, unknown> : given;
  if (validate(doc)) return checkStructuralRules(doc, schema);
  const errors = describeAjvErrors(doc, validate.errors ?? []);
  const blocked = errors.filter((e) => BLOCKING_KEYWORDS.has(e.keyword)).map((e) => e.path);
  const problems: FieldProblem[] = errors.map(({ path, message }) => ({ path, message, source: 'schema' }));
  return [...problems, ...checkStructuralRules(doc, schema, (path) => blocked.some((b) => isAtOrUnder(b, path)))];
}

/** Every `apiVersion/kind` with a CRD schema (Istio's, the IstioOperator, the Gateway API's). */
export function crdApiVersionKinds(): readonly string[] {
  return Object.keys(crdSchemas().kinds);
}
