import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

const REPO = path.resolve(__dirname, '..', '..');

/**
 * The shared reference material beside the repo (../shared: upstream manifests, the CRD bundle),
 * absent outside CI and dev machines. `CDK8S_ISTIO_SHARED_DIR` points it elsewhere, e.g. at a
 * folder that does not exist to see what the suite skips without it.
 */
export const SHARED_DIR = process.env.CDK8S_ISTIO_SHARED_DIR
  ? path.resolve(process.env.CDK8S_ISTIO_SHARED_DIR)
  : path.resolve(REPO, '..', 'shared');

/** Where the upstream manifests live: `reference/` of {@link SHARED_DIR}. */
export const REFERENCE_DIR = path.join(SHARED_DIR, 'reference');

/** Whether the reference manifests are available; when not, the tests that need them are skipped by name. */
export function referenceAvailable(): boolean {
  return fs.existsSync(REFERENCE_DIR);
}

/** The parts of jest's `test` a parity suite uses: a test, and a table of them. */
export interface TestFunction {
  (name: string, fn: jest.ProvidesCallback, timeout?: number): void;
  each<T extends readonly unknown[]>(table: readonly T[]): (name: string, fn: (...args: T) => unknown, timeout?: number) => void;
  each<T>(table: readonly T[]): (name: string, fn: (arg: T) => unknown, timeout?: number) => void;
}

const warned = new Set<string>();

/**
 * `test` when `required` (a path under {@link SHARED_DIR}) exists. Otherwise `test.skip`, with the
 * missing path added to each test's name: the suite defines the same tests either way, so the count
 * does not change, and the report says which comparison was skipped and why.
 */
export function testNeeding(required: string): TestFunction {
  const where = path.join(SHARED_DIR, required);
  if (fs.existsSync(where)) return test;
  const shown = path.relative(REPO, where);
  if (!warned.has(shown)) {
    warned.add(shown);
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED: ${shown} not found, so the tests named "[skipped: ${shown} not found]" compare nothing.`);
  }
  const named = (name: string) => `${name} [skipped: ${shown} not found]`;
  const skipped = (name: string, fn: jest.ProvidesCallback, timeout?: number) => test.skip(named(name), fn, timeout);
  skipped.each = (table: readonly unknown[]) => (name: string, fn: (...args: never[]) => unknown, timeout?: number) =>
    test.skip.each(table as unknown[])(named(name), fn as never, timeout);
  return skipped as TestFunction;
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
