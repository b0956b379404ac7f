import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** Where the upstream manifests live: ../shared/reference beside the repo (absent outside CI and dev machines). */
export const REFERENCE_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference');

/** Whether the reference manifests are available; when not, parity suites skip and say so. */
export function referenceAvailable(): boolean {
  const available = fs.existsSync(REFERENCE_DIR);
  if (!available) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED: ${REFERENCE_DIR} not found, so parity with the upstream manifests is NOT checked.`);
  }
  return available;
}

/** Reads every document of a reference file (relative to REFERENCE_DIR). */
export function readReference(file: string): Record<string, any>[] {
  return (yaml.loadAll(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as Record<string, any>[]).filter(Boolean);
}

/** `Kind/name` of a document. */
export function keyOf(doc: Record<string, any>): string {
  return `${doc.kind}/${doc.metadata?.name}`;
}

/**
 * Kubernetes lists whose order carries no meaning (list-map keys of the API): compared sorted by
 * their key, because the API server merges them by key.
 */
const LIST_MAP_KEYS: Record<string, string> = { volumes: 'name', volumeMounts: 'mountPath', env: 'name' };

/**
 * The istioctl annotation that silences an analysis code on one resource: we add it where the
 * upstream sample triggers a finding on purpose (see the README); parity ignores it.
 */
const ANALYZE_SUPPRESS = 'galley.istio.io/analyze-suppress';

/** Istio principals name a namespace (`<td>/ns/<namespace>/sa/<sa>`); compared with it masked. */
const PRINCIPAL = /^([^/]+\/ns\/)[^/]+(\/sa\/.+)$/;

/**
 * A document with namespaces removed (from metadata and from principals), the analyze-suppress
 * annotation dropped and unordered Kubernetes lists sorted, for field-by-field comparison.
 */
export function normalize(doc: unknown, parentKey = ''): unknown {
  if (typeof doc === 'string') return doc.replace(PRINCIPAL, '$1<namespace>$2');
  if (Array.isArray(doc)) {
    const items = doc.map(d => normalize(d));
    const key = LIST_MAP_KEYS[parentKey];
    return key ? [...items].sort((a: any, b: any) => String(a[key]).localeCompare(String(b[key]))) : items;
  }
  if (doc && typeof doc === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc)) {
      if (parentKey === 'metadata' && k === 'namespace') continue;
      if (parentKey === 'metadata' && k === 'annotations') {
        const kept = Object.fromEntries(Object.entries(v as object).filter(([a]) => a !== ANALYZE_SUPPRESS));
        if (Object.keys(kept).length > 0) out[k] = kept;
        continue;
      }
      out[k] = normalize(v, k);
    }
    return out;
  }
  return doc;
}
