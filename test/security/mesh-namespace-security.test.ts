import { Chart } from 'cdk8s';
import { AuthorizationAction, MeshEnrollment, MeshNamespace, MtlsMode } from '../../lib';
import { docsOf, expectSchemaValid, findDoc, ofKind, newChart, validationProblems, newApp } from '../support/constructs';

describe('MeshNamespace.requireMtls', () => {
  test('emits PeerAuthentication default, STRICT, in the namespace', () => {
    const { chart } = newChart();
    const ns = new MeshNamespace(chart, 'shop');
    const pa = ns.requireMtls();
    expect(pa.name).toBe('default');
    expect(pa.mode).toBe(MtlsMode.STRICT);
    const doc = findDoc(docsOf(chart), 'PeerAuthentication', 'default');
    expect(doc).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'shop' },
      spec: { mtls: { mode: 'STRICT' } },
    });
  });

  test('emits PERMISSIVE when asked', () => {
    const { chart } = newChart();
    new MeshNamespace(chart, 'shop').requireMtls(MtlsMode.PERMISSIVE);
    expect(findDoc(docsOf(chart), 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
  });

  test('uses the MeshNamespace name, not the chart namespace', () => {
    const { chart } = newChart();
    new MeshNamespace(chart, 'Payments', { name: 'payments' }).requireMtls();
    const doc = findDoc(docsOf(chart), 'PeerAuthentication', 'default');
    expect(doc.metadata.namespace).toBe('payments');
  });

  test('works in a chart without a namespace', () => {
    const app = newApp();
    const chart = new Chart(app, 'cluster');
    new MeshNamespace(chart, 'billing', { enrollment: MeshEnrollment.AMBIENT }).requireMtls();
    expect(findDoc(docsOf(chart), 'PeerAuthentication', 'default').metadata).toEqual({ name: 'default', namespace: 'billing' });
  });
});

describe('MeshNamespace.denyByDefault', () => {
  test('emits allow-nothing with exactly spec: {} in the namespace', () => {
    const { app, chart } = newChart();
    const policy = new MeshNamespace(chart, 'shop').denyByDefault();
    expect(policy.name).toBe('allow-nothing');
    expect(policy.action).toBe(AuthorizationAction.ALLOW);
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'allow-nothing')).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-nothing', namespace: 'shop' },
      spec: {},
    });
  });

  test('uses the MeshNamespace name even when it differs from the chart namespace', () => {
    const { chart } = newChart();
    new MeshNamespace(chart, 'Payments', { name: 'payments' }).denyByDefault();
    const doc = findDoc(docsOf(chart), 'AuthorizationPolicy', 'allow-nothing');
    expect(doc.metadata).toEqual({ name: 'allow-nothing', namespace: 'payments' });
    expect(doc.spec).toEqual({});
  });

  test('takes another name', () => {
    const { chart } = newChart();
    new MeshNamespace(chart, 'shop').denyByDefault('deny-all');
    const doc = findDoc(docsOf(chart), 'AuthorizationPolicy', 'deny-all');
    expect(doc.metadata.namespace).toBe('shop');
    expect(doc.spec).toEqual({});
  });

  test('both together: a Namespace without metadata.namespace, a PeerAuthentication and an AuthorizationPolicy inside it; all schema-valid', () => {
    const { chart } = newChart();
    const ns = new MeshNamespace(chart, 'payments', { enrollment: MeshEnrollment.REVISION, revision: '1-24-0' });
    ns.requireMtls();
    ns.denyByDefault();
    const docs = docsOf(chart);
    const namespace = findDoc(docs, 'Namespace', 'payments');
    expect(namespace.metadata.namespace).toBeUndefined();
    expect(ofKind(docs, 'PeerAuthentication').map(d => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['payments/default']);
    expect(ofKind(docs, 'AuthorizationPolicy').map(d => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['payments/allow-nothing']);
    expectSchemaValid(docs);
  });
});
