import { Analyzer } from '../analyzer';
import { hasSchema, validateDocument } from '../schema';

/**
 * IST0106: a document breaks its schema — an Istio CRD's OpenAPI schema and CEL rules, or a
 * Kubernetes API type. Kinds without a known schema (other projects' CRDs) are not judged, nor
 * objects the library's typed constructs rendered (their schema conformance is tested instead).
 */
export const schemaValidation: Analyzer = {
  codes: ['IST0106'],
  analyze(index, report) {
    for (const r of index.resources) {
      if (r.typed || !hasSchema(r.doc.apiVersion, r.kind)) continue;
      for (const v of validateDocument(r.doc)) {
        report('IST0106', r, `Schema validation error: ${v.path ? `${v.path}: ` : ''}${v.message}.`, v.path || undefined);
      }
    }
  },
};
