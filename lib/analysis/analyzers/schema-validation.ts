import { Analyzer } from '../analyzer';
import { Resource, givenViolations } from '../mesh-index';
import { msg } from '../message-constructors';
import { hasSchema, unservedKind, validateDocument, validateMetadata } from '../schema';

/**
 * IST0106: a document breaks its schema — an Istio CRD's OpenAPI schema and CEL rules, or a
 * Kubernetes API type, or a rule the API server or Istio's webhook enforces (lib/admission).
 *
 * CDK0001: a kind without a known schema (another project's CRD such as a cert-manager
 * Certificate) passes through with only its metadata checked (IST0106 for what the API server
 * refuses there); this says so, once per apiVersion and kind, on its first document by namespace
 * and name.
 *
 * CDK0011: a kind or version the API server does not serve, in a Kubernetes built-in or Istio API
 * group whose kinds are all known (a typo, `extensions/v1beta1` Ingress): kubectl apply refuses it.
 */
export const schemaValidation: Analyzer = {
  name: 'schema-validation',
  codes: ['IST0106', 'CDK0001', 'CDK0011'],
  analyze(index, report) {
    // One CDK0001 per apiVersion and kind, on its first resource by namespace and name (not by input order).
    const unvalidated = new Map<string, Resource>();
    const order = (r: Resource) => `${r.namespace}/${r.name}`;
    for (const r of index.resources) {
      const apiVersion = String(r.doc.apiVersion);
      if (!hasSchema(apiVersion, r.kind)) {
        const unserved = unservedKind(apiVersion, r.kind);
        if (unserved !== undefined) {
          report(r, msg.kindNotServed(unserved.problem, unserved.fix), unserved.field);
          continue;
        }
        for (const v of validateMetadata(r.doc)) report(r, msg.schemaValidationError(v.path, v.message), v.path || undefined);
        const gvk = `${apiVersion} ${r.kind}`;
        const first = unvalidated.get(gvk);
        if (!first || order(r) < order(first)) unvalidated.set(gvk, r);
        continue;
      }
      for (const v of givenViolations(r) ?? validateDocument(r.doc)) {
        report(r, msg.schemaValidationError(v.path, v.message), v.path || undefined);
      }
    }
    for (const r of unvalidated.values()) report(r, msg.noSchemaForKind(String(r.doc.apiVersion), r.kind));
  },
};
