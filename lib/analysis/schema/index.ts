/**
 * The schema validator: proves each synthesized document valid against the Istio CRD schemas
 * (OpenAPI with strict field validation, list-map keys, CEL `x-kubernetes-validations` rules) or
 * the Kubernetes API types (imports/kubernetes-schemas.ts), plus the object metadata rules every kind obeys.
 *
 * CEL rules run on @bufbuild/cel: standard CEL, its strings extension (`substring`, ...) and the
 * Kubernetes URL functions `isURL`, `url` and `URL.getScheme` (see kubernetes-cel-library.ts).
 */
import { isPlainObject } from './field-path';
import { checkMetadata } from './metadata';
import type { FieldProblem, SchemaViolation } from './violation';

// The validators (ajv, the schema modules, CEL) and the admission rules load on the first document
// checked: `require('cdk8s-istio')` should not pay for them.
let istio: typeof import('./istio-kinds') | undefined;
let kubernetes: typeof import('./kubernetes-kinds') | undefined;
let admission: typeof import('../../admission') | undefined;
const istioKinds = () => (istio ??= require('./istio-kinds') as typeof import('./istio-kinds'));
const kubernetesKinds = () => (kubernetes ??= require('./kubernetes-kinds') as typeof import('./kubernetes-kinds'));
const admissionRules = () => (admission ??= require('../../admission') as typeof import('../../admission'));

export { formatViolation } from './violation';
export type { SchemaViolation } from './violation';

/**
 * Every way one document (a plain JSON object with apiVersion, kind, metadata and spec) breaks its
 * schema; empty when it is valid. A document of a kind that is neither Istio's nor a built-in
 * Kubernetes kind the validator covers is reported as having no schema. Unknown fields are reported
 * everywhere, as `kubectl apply` with strict field validation does.
 */
export function validateDocument(doc: unknown): SchemaViolation[] {
  if (!isPlainObject(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
    const message = 'is not a Kubernetes object: it must be a JSON object with string apiVersion and kind';
    return [{ apiVersion: '', kind: '', name: '', path: '', message, source: 'schema' }];
  }
  const { apiVersion, kind } = doc;
  const metadata = isPlainObject(doc.metadata) ? doc.metadata : {};
  const identity = {
    apiVersion,
    kind,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
  };
  return problemsOf(doc, apiVersion, kind).map((problem) => ({ ...identity, ...problem }));
}

function problemsOf(doc: Record<string, unknown>, apiVersion: string, kind: string): FieldProblem[] {
  const schemaIndex = istioKinds().istioSchemaIndex(apiVersion, kind);
  if (schemaIndex !== undefined) {
    return withAdmission(doc, [...checkMetadata(doc, 'dns1123Subdomain'), ...istioKinds().validateIstioDocument(doc, schemaIndex)]);
  }
  const { kubernetesKind, kubernetesNameFormat, validateKubernetesDocument } = kubernetesKinds();
  const definition = kubernetesKind(apiVersion, kind);
  if (definition !== undefined) {
    const metadataProblems = checkMetadata(doc, kubernetesNameFormat(apiVersion, kind));
    return withAdmission(doc, [...metadataProblems, ...validateKubernetesDocument(doc, definition)]);
  }
  return [{ path: '', message: `no schema for ${apiVersion}/${kind}`, source: 'schema' }];
}

/**
 * The schema problems, then the admission rules' problems (lib/admission) at fields the schema
 * found nothing wrong with: a field of the wrong type is reported once, by the schema.
 */
function withAdmission(doc: Record<string, unknown>, schemaProblems: FieldProblem[]): FieldProblem[] {
  const reported = schemaProblems.map(p => p.path).filter(path => path !== '');
  const covered = (path: string) => reported.some(r => path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[`));
  return [...schemaProblems, ...admissionRules().admissionProblems(doc).filter(p => !covered(p.path))];
}

/**
 * Whether the validator knows the schema of a kind (Istio's CRDs and the built-in Kubernetes kinds
 * of imports/kubernetes-schemas.ts). Any string is a fair question: other projects' kinds, typos.
 */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return istioKinds().istioSchemaIndex(apiVersion, kind) !== undefined || kubernetesKinds().kubernetesKind(apiVersion, kind) !== undefined;
}

/** The violations of every document, in document order. */
export function validateDocuments(docs: readonly unknown[]): SchemaViolation[] {
  return docs.flatMap(validateDocument);
}
