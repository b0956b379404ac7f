import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { DEFAULT_REQUESTS, containerSecurityContext, podSecurityContext } from '../../lib/workload/production-defaults';

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

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

/** Whether two JSON values are equal, whatever their key order and prototypes (rendered objects have none). */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown) => JSON.stringify(v, (_k, x) =>
    (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => p.localeCompare(q))) : x));
  return canonical(a) === canonical(b);
}

/**
 * A deep copy of our document without the library's production defaults (lib/workload/
 * production-defaults.ts) where `upstream` sets no value: the pod's `automountServiceAccountToken:
 * false` and RuntimeDefault seccomp profile, and per container (matched by name) the default
 * securityContext and the default requests. Only values equal to the defaults are removed, so a
 * parity test still fails on anything else.
 */
export function withoutProductionDefaults(ours: Record<string, any>, upstream: Record<string, any>): Record<string, any> {
  const doc = structuredClone(ours);
  if (!WORKLOAD_KINDS.has(doc.kind)) return doc;
  const pod = doc.spec.template.spec;
  const refPod = upstream.spec?.template?.spec ?? {};
  if (refPod.automountServiceAccountToken === undefined && pod.automountServiceAccountToken === false) {
    delete pod.automountServiceAccountToken;
  }
  if (refPod.securityContext === undefined && sameJson(pod.securityContext, podSecurityContext(undefined))) delete pod.securityContext;
  for (const list of ['initContainers', 'containers']) {
    for (const c of pod[list] ?? []) {
      const ref = (refPod[list] ?? []).find((r: any) => r.name === c.name) ?? {};
      const ports = (c.ports ?? []) as { containerPort: number }[];
      if (ref.securityContext === undefined && sameJson(c.securityContext, containerSecurityContext(undefined, ports))) {
        delete c.securityContext;
      }
      const requests = c.resources?.requests ?? {};
      for (const [name, value] of Object.entries(DEFAULT_REQUESTS)) {
        if (ref.resources?.requests?.[name] === undefined && requests[name] === value) delete requests[name];
      }
      if (c.resources && Object.keys(requests).length === 0) delete c.resources.requests;
      if (c.resources && Object.keys(c.resources).length === 0) delete c.resources;
    }
  }
  return doc;
}
