// Shared helpers of the construct unit tests (not a test file itself).
import { App, Chart } from 'cdk8s';
import { AppAnalysis, MeshConfigError, MeshService, MeshServiceProps, formatViolation, validateDocuments } from '../../lib';

/** A rendered Kubernetes/Istio object, as `chart.toJson()` returns it. */
export type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  [key: string]: any;
};

/**
 * A fresh app for construct tests (context set before anything else), with the mesh analysis off: they render partial meshes (routes
 * to hosts no Service backs), and the analyzers have tests of their own.
 */
export function newApp(context: Record<string, string> = {}): App {
  const app = new App();
  for (const [key, value] of Object.entries(context)) app.node.setContext(key, value);
  AppAnalysis.of(app).disable('unit tests of single constructs');
  return app;
}

/**
 * A fresh app (with optional context, set before any chart) and one chart `test` in namespace
 * `shop` (or the given namespace; null for none).
 */
export function newChart(namespace: string | null = 'shop', context: Record<string, string> = {}): { app: App; chart: Chart } {
  const app = newApp(context);
  const chart = new Chart(app, 'test', namespace === null ? {} : { namespace });
  return { app, chart };
}

/** The rendered objects of a chart. */
export function docsOf(chart: Chart): Doc[] {
  return chart.toJson() as Doc[];
}

/** All rendered objects of a kind. */
export function ofKind(docs: Doc[], kind: string): Doc[] {
  return docs.filter(d => d.kind === kind);
}

/** The one rendered object of a kind and name; fails the test when it is missing. */
export function findDoc(docs: Doc[], kind: string, name: string): Doc {
  const found = docs.filter(d => d.kind === kind && d.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind} "${name}", found ${found.length} among ${docs.map(d => `${d.kind}/${d.metadata.name}`).join(', ')}`);
  }
  return found[0];
}

/**
 * Runs `fn` and asserts it throws a MeshConfigError for `path` and `field` whose message has the
 * documented shape `<path>: <field>: <problem>. Fix: <fix>` and contains every fragment.
 */
export function expectMeshError(fn: () => unknown, path: string, field: string, ...fragments: string[]): MeshConfigError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected a MeshConfigError for ${path}: ${field}, but nothing was thrown`);
  expect(thrown).toBeInstanceOf(MeshConfigError);
  const error = thrown as MeshConfigError;
  expect(error.message).toMatch(new RegExp(`^${escapeRegExp(`${path}: ${field}: `)}`));
  expect(error.message).toContain('. Fix: ');
  expect(error.constructPath).toBe(path);
  expect(error.field).toBe(field);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every validation problem of the app (what writeManifests checks before writing). */
export function validationProblems(app: App): string[] {
  return app.node.findAll().flatMap(c => c.node.validate());
}

/**
 * Asserts that exactly one problem is reported for `path` and `field`, with a fix and every
 * fragment; returns it.
 */
export function expectProblem(problems: string[], path: string, field: string, ...fragments: string[]): string {
  const prefix = `${path}: ${field}: `;
  expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${escapeRegExp(prefix)}`)));
  const matching = problems.filter(p => p.startsWith(prefix));
  expect(matching).toHaveLength(1);
  expect(matching[0]).toContain('. Fix: ');
  for (const fragment of fragments) expect(matching[0]).toContain(fragment);
  return matching[0];
}

/** A one-version MeshService on port 9080 unless `ports` is given (props override the defaults). */
export function service(scope: Chart, name: string, props: Partial<MeshServiceProps> = {}): MeshService {
  return new MeshService(scope, name, { ...(!props.ports && { port: 9080 }), versions: { v1: { image: `example/${name}:1.0` } }, ...props });
}

/** Asserts the documents are valid against the Istio CRDs (schema + CEL) and Kubernetes types. */
export function expectSchemaValid(docs: readonly unknown[]): void {
  expect(docs.length).toBeGreaterThan(0);
  expect(validateDocuments(docs).map(formatViolation)).toEqual([]);
}
