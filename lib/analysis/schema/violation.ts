/** One way a document breaks its schema. */
export interface SchemaViolation {
  /** `apiVersion` of the offending document (empty when it has none). */
  readonly apiVersion: string;
  /** `kind` of the offending document (empty when it has none). */
  readonly kind: string;
  /** `metadata.name` of the offending document (empty when it has none). */
  readonly name: string;
  /** `metadata.namespace` of the offending document, when it has one. */
  readonly namespace?: string;
  /** Dotted field path from the document root, e.g. `spec.http[0].route[0].weight`. */
  readonly path: string;
  /** What is wrong, in a sentence a platform engineer understands (include the allowed values for enums, the rule message for CEL). */
  readonly message: string;
  /**
   * Which check found it: `schema` for the Istio CRD's OpenAPI schema and the object metadata rules
   * every kind obeys (and for documents that have no schema at all), `cel` for a CRD
   * `x-kubernetes-validations` rule, `kubernetes` for the Kubernetes API type of a built-in kind.
   */
  readonly source: 'schema' | 'cel' | 'kubernetes';
}

/** A violation before it is tied to the document it was found in. */
export type FieldProblem = Pick<SchemaViolation, 'path' | 'message' | 'source'>;

/**
 * One line per violation: kind, `namespace/name`, field path and message, e.g.
 * `VirtualService bookinfo/reviews spec.http[0].route[0].weight: must be >= 0`.
 */
export function formatViolation(v: SchemaViolation): string {
  const name = v.name === '' ? '(unnamed)' : v.name;
  const subject = `${v.kind === '' ? '(no kind)' : v.kind} ${v.namespace === undefined ? '' : `${v.namespace}/`}${name}`;
  return v.path === '' ? `${subject}: ${v.message}` : `${subject} ${v.path}: ${v.message}`;
}
