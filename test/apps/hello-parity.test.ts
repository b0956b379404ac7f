import { helloApp } from '../../apps/hello';
import { keyOf, normalize, readReference, testNeeding, withoutProductionDefaults } from '../support/reference';

/**
 * Parity with Istio's helloworld sample: dist/hello/helloworld.yaml reproduces
 * samples/helloworld/helloworld.yaml and helloworld-gateway.yaml field by field. The intentional
 * differences, and only these:
 * - every resource carries `metadata.namespace` (masked by normalize());
 * - an added Namespace `helloworld` with `istio-injection: enabled` (upstream leaves it to `kubectl label`);
 * - an added ServiceAccount `helloworld`, and `serviceAccountName: helloworld` in both Deployments'
 *   pod templates: a mesh identity per workload instead of the namespace's `default` account;
 * - the library's production defaults where upstream sets nothing (withoutProductionDefaults():
 *   no ServiceAccount token mount, RuntimeDefault seccomp, no privilege escalation, no capabilities,
 *   a memory request beside upstream's CPU request).
 */
const SAMPLE = 'istio/samples/helloworld';
const SOURCES = ['helloworld.yaml', 'helloworld-gateway.yaml'];
const ADDED = ['Namespace/helloworld', 'ServiceAccount/helloworld'];

/** The documents of our helloworld.yaml. */
function ours(): Record<string, any>[] {
  const { app, fileOf } = helloApp();
  return app.charts.filter(chart => fileOf(chart) === 'helloworld.yaml').flatMap(chart => chart.toJson());
}

/** A deep copy of ours without the documented additions. */
function withoutAdditions(docs: Record<string, any>[]): Record<string, any>[] {
  return structuredClone(docs).filter(d => !ADDED.includes(keyOf(d))).map(d => {
    if (d.kind === 'Deployment') delete d.spec.template.spec.serviceAccountName;
    return d;
  });
}

/**
 * `[Kind/name, upstream file]` of every upstream resource, in upstream order: written out so the
 * suite has the same tests with or without the reference (the first test checks the list against it).
 */
const CASES: [string, string][] = [
  ['Service/helloworld', 'helloworld.yaml'], ['Deployment/helloworld-v1', 'helloworld.yaml'], ['Deployment/helloworld-v2', 'helloworld.yaml'],
  ['Gateway/helloworld-gateway', 'helloworld-gateway.yaml'], ['VirtualService/helloworld', 'helloworld-gateway.yaml'],
];
/** `test`, or a skip that says so when ../shared/reference/istio/samples/helloworld is absent. */
const parityTest = testNeeding(`reference/${SAMPLE}`);

describe('helloworld parity with ../shared/reference/istio/samples/helloworld', () => {
  /** Upstream's documents (read by the tests, which are skipped when the reference is absent). */
  const upstream = () => SOURCES.flatMap(f => readReference(`${SAMPLE}/${f}`));
  const synthesized = ours();

  parityTest('the resources are upstream\'s plus exactly the Namespace and the ServiceAccount', () => {
    expect(SOURCES.flatMap(f => readReference(`${SAMPLE}/${f}`).map(d => [keyOf(d), f]))).toEqual(CASES);
    expect(synthesized.map(keyOf).sort()).toEqual([...upstream().map(keyOf), ...ADDED].sort());
    expect(new Set(synthesized.map(keyOf)).size).toBe(synthesized.length);
  });

  test('the additions are as documented: an injected Namespace helloworld, a ServiceAccount helloworld used by both Deployments', () => {
    const namespace = synthesized.find(d => keyOf(d) === 'Namespace/helloworld')!;
    expect(namespace).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'helloworld', labels: { 'istio-injection': 'enabled' } } });
    const account = synthesized.find(d => keyOf(d) === 'ServiceAccount/helloworld')!;
    expect(account.apiVersion).toBe('v1');
    expect(account.metadata.namespace).toBe('helloworld');
    expect(Object.keys(account).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    for (const d of synthesized.filter(x => x.kind === 'Deployment')) {
      expect(`${d.metadata.name}: ${d.spec.template.spec.serviceAccountName}`).toBe(`${d.metadata.name}: helloworld`);
    }
  });

  test('removing the additions does not touch the documents themselves (deep copy)', () => {
    const before = JSON.stringify(synthesized);
    withoutAdditions(synthesized);
    expect(JSON.stringify(synthesized)).toBe(before);
  });

  parityTest.each(CASES)(
    '%s of %s is reproduced field by field (but for the documented differences)', (key) => {
      const ref = upstream().find(d => keyOf(d) === key)!;
      const mine = withoutAdditions(synthesized).find(d => keyOf(d) === key);
      expect(mine).toBeDefined();
      expect({ key, doc: normalize(withoutProductionDefaults(mine!, ref)) }).toEqual({ key, doc: normalize(ref) });
    });

  test('every namespaced resource is in the helloworld namespace', () => {
    for (const d of synthesized.filter(x => x.kind !== 'Namespace')) expect(`${keyOf(d)} ${d.metadata.namespace}`).toBe(`${keyOf(d)} helloworld`);
  });
});
