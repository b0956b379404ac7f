import { MESH_ENROLLMENT_LABELS, MeshEnrollment, MeshNamespace, MeshService } from '../../lib';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

describe('MeshNamespace', () => {
  test('default: name from the id, label istio-injection: enabled, no other enrollment label', () => {
    const { chart } = newChart(null);
    const ns = new MeshNamespace(chart, 'bookinfo');
    expect(ns.name).toBe('bookinfo');
    expect(ns.enrollment).toBe(MeshEnrollment.SIDECAR);
    const doc = findDoc(docsOf(chart), 'Namespace', 'bookinfo');
    expect(doc.apiVersion).toBe('v1');
    expect(doc.metadata).toEqual({ name: 'bookinfo', labels: { 'istio-injection': 'enabled' } });
  });

  test('revision enrollment sets istio.io/rev only', () => {
    const { chart } = newChart(null);
    new MeshNamespace(chart, 'ns', { name: 'canary', enrollment: MeshEnrollment.REVISION, revision: '1-22-3' });
    expect(findDoc(docsOf(chart), 'Namespace', 'canary').metadata.labels).toEqual({ 'istio.io/rev': '1-22-3' });
  });

  test('ambient enrollment sets istio.io/dataplane-mode: ambient only', () => {
    const { chart } = newChart(null);
    new MeshNamespace(chart, 'ns', { name: 'ambient', enrollment: MeshEnrollment.AMBIENT });
    expect(findDoc(docsOf(chart), 'Namespace', 'ambient').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
  });

  test('extra labels are kept next to the enrollment label', () => {
    const { chart } = newChart(null);
    new MeshNamespace(chart, 'shop', { labels: { 'team': 'payments', 'pod-security.kubernetes.io/enforce': 'restricted' } });
    expect(findDoc(docsOf(chart), 'Namespace', 'shop').metadata.labels).toEqual({
      'team': 'payments', 'pod-security.kubernetes.io/enforce': 'restricted', 'istio-injection': 'enabled',
    });
  });

  test('no metadata.namespace even in a chart with a namespace (while namespaced objects get it)', () => {
    const { chart } = newChart('shop');
    new MeshNamespace(chart, 'shop');
    new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'web:1' } } });
    const docs = docsOf(chart);
    const ns = findDoc(docs, 'Namespace', 'shop');
    expect(ns.metadata).not.toHaveProperty('namespace');
    expect(ns.metadata).toEqual({ name: 'shop', labels: { 'istio-injection': 'enabled' } });
    expect(findDoc(docs, 'Service', 'web').metadata.namespace).toBe('shop');
  });

  test('revision with sidecar (default) enrollment is rejected', () => {
    const { chart } = newChart(null);
    expectMeshError(() => new MeshNamespace(chart, 'shop', { revision: 'canary' }),
      'test/shop', 'revision', 'a revision only applies to MeshEnrollment.REVISION, not sidecar');
  });

  test('revision with ambient enrollment is rejected', () => {
    const { chart } = newChart(null);
    expectMeshError(() => new MeshNamespace(chart, 'shop', { enrollment: MeshEnrollment.AMBIENT, revision: 'canary' }),
      'test/shop', 'revision', 'not ambient');
  });

  test.each([undefined, ''])('REVISION enrollment without a revision (%p) is rejected', revision => {
    const { chart } = newChart(null);
    expectMeshError(() => new MeshNamespace(chart, 'shop', { enrollment: MeshEnrollment.REVISION, revision }),
      'test/shop', 'revision', 'MeshEnrollment.REVISION needs the revision name');
  });

  test('a revision that is not a valid label value is rejected', () => {
    const { chart } = newChart(null);
    expectMeshError(() => new MeshNamespace(chart, 'shop', { enrollment: MeshEnrollment.REVISION, revision: 'canary!' }),
      'test/shop', 'revision', '"canary!" is not a valid label value');
  });

  test.each([...MESH_ENROLLMENT_LABELS])('enrollment label %s in labels is rejected', label => {
    const { chart } = newChart(null);
    expectMeshError(() => new MeshNamespace(chart, 'shop', { labels: { [label]: 'enabled' } }),
      'test/shop', `labels.${label}`, 'mesh enrollment labels are set by the enrollment prop');
  });

  test('an invalid name is rejected', () => {
    const { chart } = newChart(null);
    expectMeshError(() => new MeshNamespace(chart, 'ns', { name: 'Shop' }), 'test/ns', 'name', '"Shop" is not a valid DNS label');
  });
});
