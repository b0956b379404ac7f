import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { hasSchema, validateDocument } from '../schema';

/**
 * IST0106: a document breaks its schema — an Istio CRD's OpenAPI schema and CEL rules, or a
 * Kubernetes API type. Objects the library's typed constructs rendered are not judged (their
 * schema conformance is tested instead).
 *
 * CDK0001: a kind without a known schema (another project's CRD such as a cert-manager
 * Certificate or an HTTPRoute, a misspelt apiVersion) passes through unvalidated; this says so,
 * once per apiVersion and kind, on its first document.
 */
export const schemaValidation: Analyzer = {
  name: 'schema-validation',
  codes: ['IST0106', 'CDK0001'],
  analyze(index, report) {
    const unvalidated = new Set<string>();
    for (const r of index.resources) {
      if (r.typed) continue;
      const apiVersion = String(r.doc.apiVersion);
      if (!hasSchema(apiVersion, r.kind)) {
        const gvk = `${apiVersion} ${r.kind}`;
        if (!unvalidated.has(gvk)) report(r, msg.noSchemaForKind(apiVersion, r.kind));
        unvalidated.add(gvk);
        continue;
      }
      for (const v of validateDocument(r.doc)) {
        report(r, msg.schemaValidationError(v.path, v.message), v.path || undefined);
      }
    }
  },
};
