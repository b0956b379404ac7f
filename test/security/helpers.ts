// Shared helpers of the test/security unit tests (not a test file itself).
import { App, Chart } from 'cdk8s';
import { MeshConfigError, MeshService, MeshServiceProps, validateDocuments, formatViolation } from '../../lib';

/** A rendered Kubernetes/Istio object, as `chart.toJson()` returns it. */
export interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any;
}

/** A fresh app (optionally with context) and one chart `test` in namespace `shop`. */
export function setup(context: Record<string, string> = {}): { app: App; chart: Chart } {
  const app = new App();
  for (const [key, value] of Object.entries(context)) app.node.setContext(key, value);
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  return { app, chart };
}

/** A one-version MeshService on port 9080 unless `ports` is given (props override the defaults). */
export function service(scope: Chart, name: string, props: Partial<MeshServiceProps> = {}): MeshService {
  return new MeshService(scope, name, { ...(!props.ports && { port: 9080 }), versions: { v1: { image: `example/${name}:1.0` } }, ...props });
}

/** The rendered objects of a chart. */
export function docsOf(chart: Chart): Doc[] {
  return chart.toJson() as Doc[];
}

/** The one rendered object of a kind and name; fails the test when there is not exactly one. */
export function findDoc(docs: Doc[], kind: string, name: string): Doc {
  const found = docs.filter(d => d.kind === kind && d.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} "${name}", found ${found.length} among ${docs.map(d => `${d.kind}/${d.metadata.name}`).join(', ')}`);
  }
  return found[0];
}

/** Every rendered object of a kind. */
export function ofKind(docs: Doc[], kind: string): Doc[] {
  return docs.filter(d => d.kind === kind);
}

/**
 * Runs `fn`, asserts it throws a MeshConfigError for construct `path` and `field`, with the
 * message shape `<path>: <field>: <problem>. Fix: <fix>` and every fragment; returns the message.
 */
export function expectMeshError(fn: () => unknown, path: string, field: string, ...fragments: string[]): string {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected a MeshConfigError for ${path}: ${field}, but nothing was thrown`);
  expect(thrown).toBeInstanceOf(MeshConfigError);
  const error = thrown as MeshConfigError;
  expect(error.constructPath).toBe(path);
  expect(error.field).toBe(field);
  expect(error.message.startsWith(`${path}: ${field}: `)).toBe(true);
  expect(error.message).toContain('. Fix: ');
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error.message;
}

/** Every validation problem of the app (what writeManifests checks before writing). */
export function validationProblems(app: App): string[] {
  return app.node.findAll().flatMap(c => c.node.validate());
}

/** Asserts exactly one problem for `path` and `field`, with a fix and every fragment; returns it. */
export function expectProblem(problems: string[], path: string, field: string, ...fragments: string[]): string {
  const prefix = `${path}: ${field}: `;
  const matching = problems.filter(p => p.startsWith(prefix));
  expect(matching).toHaveLength(1);
  expect(matching[0]).toContain('. Fix: ');
  for (const fragment of fragments) expect(matching[0]).toContain(fragment);
  return matching[0];
}

/** Asserts the documents are valid against the Istio CRDs (schema + CEL) and Kubernetes types. */
export function expectSchemaValid(docs: readonly unknown[]): void {
  expect(docs.length).toBeGreaterThan(0);
  expect(validateDocuments(docs).map(formatViolation)).toEqual([]);
}
