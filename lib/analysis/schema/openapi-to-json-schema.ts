import { isPlainObject } from './field-path';

/** A schema node, OpenAPI v3 (as in a CRD) or JSON Schema (as ajv takes it). */
export type SchemaNode = Record<string, unknown>;

/**
 * The `format`s the API server checks, as ajv formats. Numeric formats (int32, int64, uint32, ...)
 * pass as formats (the API server does not check them on a custom resource); their ranges are
 * checked as bounds instead ({@link INTEGER_FORMAT_BOUNDS}). Any other format is dropped by
 * {@link openApiToJsonSchema}, as the API server ignores formats it does not know.
 */
export const SCHEMA_FORMATS: Readonly<Record<string, true | RegExp>> = {
  'int32': true,
  'int64': true,
  'uint32': true,
  'uint64': true,
  'float': true,
  'double': true,
  'byte': /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/,
};

/**
 * The range of each integer format. The API server stores a custom resource's number whatever its
 * format, but the programs that read the resource decode it into a field of that width: Istio's
 * validation webhook rejects the object (its protobuf decoding fails), and a Go controller (the
 * Gateway API's) cannot decode it at all. So a value outside the range is a schema error here.
 */
export const INTEGER_FORMAT_BOUNDS: Readonly<Record<string, { readonly minimum: number; readonly maximum: number }>> = {
  int32: { minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
  uint32: { minimum: 0, maximum: 2 ** 32 - 1 },
  int64: { minimum: -(2 ** 63), maximum: 2 ** 63 - 1 },
  uint64: { minimum: 0, maximum: 2 ** 64 - 1 },
};

/** Keywords that mean the same in OpenAPI v3 and JSON Schema, copied as they are. */
const SHARED_KEYWORDS = new Set([
  'type', 'enum', 'required', 'maximum', 'minimum', 'multipleOf', 'maxLength', 'minLength', 'pattern',
  'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties',
]);

/**
 * Keywords that need no JSON Schema counterpart: the Kubernetes extensions are read by the
 * structural walk (CEL rules, list types) or handled below, `default` and `description` do not
 * validate.
 */
const NON_VALIDATING_KEYWORDS = new Set([
  'x-kubernetes-validations', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'default', 'description', 'title', 'example',
]);

/**
 * Converts a CRD's `openAPIV3Schema` into the JSON Schema ajv validates with, so that ajv accepts
 * and rejects what the API server does with strict field validation on:
 *
 * - every object without `additionalProperties` or `x-kubernetes-preserve-unknown-fields` gets
 *   `additionalProperties: false`, so unknown fields are errors (only in the structural part of the
 *   schema, never inside `oneOf`/`anyOf`/`allOf`/`not`, where properties merely constrain);
 * - `x-kubernetes-int-or-string` becomes `type: ['integer', 'string']`;
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` (OpenAPI 3.0) become their JSON Schema numbers;
 * - `nullable` is kept (ajv knows it); formats outside {@link SCHEMA_FORMATS} are dropped;
 * - an integer format's range ({@link INTEGER_FORMAT_BOUNDS}) becomes `minimum`/`maximum`, unless the
 *   schema's own bounds are tighter.
 *
 * Throws on a keyword it does not know, so a regenerated CRD cannot be half-validated silently.
 */
export function openApiToJsonSchema(node: SchemaNode, structural = true): SchemaNode {
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (SHARED_KEYWORDS.has(key)) {
      out[key] = value;
    } else if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, SchemaNode>).map(([name, child]) => [name, openApiToJsonSchema(child, structural)]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = isPlainObject(value) ? openApiToJsonSchema(value, structural) : value;
    } else if (key === 'oneOf' || key === 'anyOf' || key === 'allOf') {
      out[key] = (value as SchemaNode[]).map((branch) => openApiToJsonSchema(branch, false));
    } else if (key === 'not') {
      out.not = openApiToJsonSchema(value as SchemaNode, false);
    } else if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') {
      if (value === true) out[key] = node[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'];
    } else if (key === 'nullable') {
      if (value === true) out.nullable = true;
    } else if (key === 'format') {
      if (typeof value === 'string' && value in SCHEMA_FORMATS) out.format = value;
    } else if (!NON_VALIDATING_KEYWORDS.has(key)) {
      throw new Error(`unsupported OpenAPI schema keyword "${key}"`);
    }
  }
  if (out.exclusiveMinimum !== undefined) delete out.minimum;
  if (out.exclusiveMaximum !== undefined) delete out.maximum;
  const bounds = typeof node.format === 'string' ? INTEGER_FORMAT_BOUNDS[node.format] : undefined;
  if (bounds) {
    out.minimum = Math.max(bounds.minimum, typeof out.minimum === 'number' ? out.minimum : -Infinity);
    out.maximum = Math.min(bounds.maximum, typeof out.maximum === 'number' ? out.maximum : Infinity);
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.anyOf;
    out.type = ['integer', 'string'];
  }
  if (structural && node.type === 'object' && node.additionalProperties === undefined
    && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}
