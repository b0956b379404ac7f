/**
 * The schema validator: proves each synthesized document valid against the Istio and Gateway API CRD schemas
 * (OpenAPI with strict field validation, list-map keys, CEL `x-kubernetes-validations` rules) or
 * the Kubernetes API types (imports/kubernetes-schemas.ts), plus the object metadata rules every kind obeys.
 *
 * CEL rules run on @bufbuild/cel: standard CEL, its strings extension (`substring`, ...) and the
 * Kubernetes URL functions `isURL`, `url` and `URL.getScheme` (see kubernetes-cel-library.ts).
 */
import { isAtOrUnder, isPlainObject } from './field-path';
import { isListKind, splitApiVersion } from '../group-kinds';
import { checkMetadata } from './metadata';
import type { NameFormat } from './metadata';
import type { FieldProblem, SchemaViolation } from './violation';

// The validators (ajv, the schema modules, CEL) and the admission rules load on the first document
// checked: `require('cdk8s-istio')` should not pay for them.
let crds: typeof import('./crd-kinds') | undefined;
let kubernetes: typeof import('./kubernetes-kinds') | undefined;
let admission: typeof import('../../admission') | undefined;
const crdKinds = () => (crds ??= require('./crd-kinds') as typeof import('./crd-kinds'));
const kubernetesKinds = () => (kubernetes ??= require('./kubernetes-kinds') as typeof import('./kubernetes-kinds'));
const admissionRules = () => (admission ??= require('../../admission') as typeof import('../../admission'));

export { formatViolation } from './violation';
export type { SchemaViolation } from './violation';

/**
 * Every way one document (a plain JSON object with apiVersion, kind, metadata and spec) breaks its
 * schema; empty when it is valid. A document of a kind that is neither Istio's, the Gateway API's nor
 * a built-in Kubernetes kind the validator covers is reported as having no schema. Unknown fields are reported
 * everywhere, as `kubectl apply` with strict field validation does.
 */
export function validateDocument(doc: unknown): SchemaViolation[] {
  if (activeCache === undefined || !isPlainObject(doc)) return checkDocument(doc);
  const key = activeCache.keyOf(doc);
  const cached = activeCache.verdict(key);
  if (cached !== undefined) return [...cached];
  const violations = checkDocument(doc);
  activeCache.remember(key, violations);
  return violations;
}

/** The persistent verdict cache of the running {@link withVerdictCache}, if any. */
let activeCache: import('./verdict-cache').VerdictCache | undefined;

/**
 * Runs `fn` with the persistent verdict cache (verdict-cache.ts) on: `validateDocument` and
 * `hasSchema` answer from it for documents and kinds seen in an earlier run with the same
 * validator, and what was checked anew is written back at the end. The synth uses it; the CLI
 * does not (its speed is its own). Off with `CDK8S_ISTIO_CACHE=off` or without a node_modules folder.
 */
export function withVerdictCache<T>(fn: () => T): T {
  if (activeCache !== undefined) return fn();
  const cache = (require('./verdict-cache') as typeof import('./verdict-cache')).VerdictCache.open();
  if (cache === undefined) return fn();
  activeCache = cache;
  try {
    const result = fn();
    cache.save();
    return result;
  } finally {
    activeCache = undefined;
  }
}

function checkDocument(doc: unknown): SchemaViolation[] {
  if (!isPlainObject(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
    const message = 'is not a Kubernetes object: it must be a JSON object with string apiVersion and kind';
    return [{ apiVersion: '', kind: '', name: '', path: '', message, source: 'schema' }];
  }
  return withIdentity(doc, problemsOf(doc, doc.apiVersion, doc.kind));
}

/** The problems of a document as violations naming it (apiVersion, kind, name and namespace). */
function withIdentity(doc: Record<string, unknown>, problems: readonly FieldProblem[]): SchemaViolation[] {
  if (problems.length === 0) return [];
  const metadata = isPlainObject(doc.metadata) ? doc.metadata : {};
  const identity = {
    apiVersion: String(doc.apiVersion),
    kind: String(doc.kind),
    name: typeof metadata.name === 'string' ? metadata.name : '',
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
  };
  return problems.map((problem) => ({ ...identity, ...problem }));
}

/**
 * What the API server refuses in the metadata of a document of a kind without a schema here, which
 * it checks for every kind: label and annotation keys and values, no unknown metadata fields, and
 * for another project's custom resource a name that is a DNS-1123 subdomain (the rule of every
 * custom resource; Kubernetes's own kinds and groups ending in `.k8s.io` have rules of their own,
 * not checked). Lists (`ConfigMapList`, `List`), whose metadata is a list's, are not checked.
 */
export function validateMetadata(doc: Record<string, unknown>): SchemaViolation[] {
  if (typeof doc.kind === 'string' && isListKind(doc.kind)) return [];
  const { group } = splitApiVersion(String(doc.apiVersion));
  const builtIn = !group.includes('.') || group.endsWith('.k8s.io');
  return withIdentity(doc, [...checkMetadata(doc, builtIn ? 'unknown' : 'dns1123Subdomain'), ...metadataTypeProblems(doc.metadata)]);
}

/**
 * Metadata fields of the wrong JSON type, which a kind's schema would otherwise report: names are
 * strings, labels and annotations maps of strings.
 */
function metadataTypeProblems(metadata: unknown): FieldProblem[] {
  if (!isPlainObject(metadata)) return []; // reported by checkMetadata
  const problems: FieldProblem[] = [];
  for (const field of ['name', 'generateName', 'namespace']) {
    if (metadata[field] !== undefined && typeof metadata[field] !== 'string') {
      problems.push({ path: `metadata.${field}`, message: 'must be a string. Fix: quote it', source: 'schema' });
    }
  }
  for (const field of ['labels', 'annotations']) {
    const map = metadata[field];
    if (map === undefined) continue;
    if (!isPlainObject(map) || Object.values(map).some(value => typeof value !== 'string')) {
      const message = 'must be a map of strings. Fix: quote every value ("true", "8080")';
      problems.push({ path: `metadata.${field}`, message, source: 'schema' });
    }
  }
  return problems;
}

/** Which schema a kind has: an Istio or Gateway API CRD's (by index), a Kubernetes type's (by definition), or none. */
type KindSchema =
  | { readonly family: 'crd'; readonly index: number }
  | { readonly family: 'kubernetes'; readonly definition: string; readonly nameFormat: NameFormat }
  | { readonly family: 'none' };

/** The schema of each apiVersion and kind asked about, by apiVersion then kind (no key strings built per document). */
const kindSchemas = new Map<string, Map<string, KindSchema>>();

function schemaOf(apiVersion: string, kind: string): KindSchema {
  let byKind = kindSchemas.get(apiVersion);
  if (byKind === undefined) kindSchemas.set(apiVersion, byKind = new Map());
  let found = byKind.get(kind);
  if (found === undefined) {
    const index = crdKinds().crdSchemaIndex(apiVersion, kind);
    const definition = index === undefined ? kubernetesKinds().kubernetesKind(apiVersion, kind) : undefined;
    found = index !== undefined ? { family: 'crd', index }
      : definition !== undefined
        ? { family: 'kubernetes', definition, nameFormat: kubernetesKinds().kubernetesNameFormat(apiVersion, kind) }
        : { family: 'none' };
    byKind.set(kind, found);
  }
  return found;
}

function problemsOf(doc: Record<string, unknown>, apiVersion: string, kind: string): FieldProblem[] {
  const schema = schemaOf(apiVersion, kind);
  switch (schema.family) {
    case 'crd':
      return withAdmission(doc, checkMetadata(doc, 'dns1123Subdomain'), crdKinds().validateCrdDocument(doc, schema.index));
    case 'kubernetes':
      return withAdmission(doc, checkMetadata(doc, schema.nameFormat),
        kubernetesKinds().validateKubernetesDocument(doc, schema.definition));
    default:
      return [{ path: '', message: `no schema for ${apiVersion}/${kind}`, source: 'schema' }];
  }
}

/**
 * The schema problems (metadata, then the kind's schema), then the admission rules' problems
 * (lib/admission) at fields the schema found nothing wrong with: a field of the wrong type is
 * reported once, by the schema.
 */
function withAdmission(doc: Record<string, unknown>, metadataProblems: FieldProblem[], kindProblems: FieldProblem[]): FieldProblem[] {
  const admissionProblems = admissionRules().admissionProblems(doc);
  const schemaProblems = metadataProblems.length === 0 ? kindProblems : [...metadataProblems, ...kindProblems];
  if (schemaProblems.length === 0) return admissionProblems;
  const reported = schemaProblems.map(p => p.path).filter(path => path !== '');
  return [...schemaProblems, ...admissionProblems.filter(p => !reported.some(r => isAtOrUnder(p.path, r)))];
}

/**
 * Whether the validator knows the schema of a kind (Istio's and the Gateway API's CRDs and the built-in Kubernetes kinds
 * of imports/kubernetes-schemas.ts). Any string is a fair question: other projects' kinds, typos.
 */
export function hasSchema(apiVersion: string, kind: string): boolean {
  if (activeCache === undefined) return schemaOf(apiVersion, kind).family !== 'none';
  const key = `${apiVersion}/${kind}`;
  const cached = activeCache.hasSchema(key);
  if (cached !== undefined) return cached;
  const known = schemaOf(apiVersion, kind).family !== 'none';
  activeCache.rememberKind(key, known);
  return known;
}

/** The violations of every document, in document order. */
export function validateDocuments(docs: readonly unknown[]): SchemaViolation[] {
  return docs.flatMap(validateDocument);
}

/**
 * Why the API server would not serve `apiVersion` `kind` (a removed version, a kind its group does
 * not have: served-apis.ts), or undefined when it does or its group is not judged; for kinds
 * without a schema (a kind with one is served).
 */
export function unservedKind(apiVersion: string, kind: string): import('./served-apis').UnservedKind | undefined {
  return (require('./served-apis') as typeof import('./served-apis')).unservedKind(apiVersion, kind);
}
