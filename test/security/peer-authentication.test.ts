import { Chart } from 'cdk8s';
import { MeshConfigError, MtlsMode, PeerAuthentication, PortProtocol } from '../../lib';
import { docsOf, expectMeshError, expectSchemaValid, findDoc, service, newChart } from '../support/constructs';

describe('PeerAuthentication rendering', () => {
  test('a namespace-wide policy is named default, lives in the chart namespace and has no selector', () => {
    const { chart } = newChart();
    const pa = new PeerAuthentication(chart, 'Mtls', { mode: MtlsMode.STRICT });
    expect(pa.name).toBe('default');
    expect(pa.mode).toBe(MtlsMode.STRICT);
    const doc = findDoc(docsOf(chart), 'PeerAuthentication', 'default');
    expect(doc.apiVersion).toBe('security.istio.io/v1');
    expect(doc.metadata).toEqual({ name: 'default', namespace: 'shop' });
    expect(doc.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  test.each([MtlsMode.STRICT, MtlsMode.PERMISSIVE, MtlsMode.DISABLE, MtlsMode.UNSET])('mtls.mode %s is rendered as is', mode => {
    const { chart } = newChart();
    new PeerAuthentication(chart, 'Mtls', { mode });
    expect(findDoc(docsOf(chart), 'PeerAuthentication', 'default').spec.mtls).toEqual({ mode });
  });

  test('an explicit namespace overrides the chart namespace', () => {
    const { chart } = newChart();
    new PeerAuthentication(chart, 'Mtls', { mode: MtlsMode.PERMISSIVE, namespace: 'legacy' });
    expect(findDoc(docsOf(chart), 'PeerAuthentication', 'default').metadata.namespace).toBe('legacy');
  });

  test('a mesh-wide policy goes to istio-system with no selector, whatever the chart namespace', () => {
    const { chart } = newChart();
    new PeerAuthentication(chart, 'MeshMtls', { mode: MtlsMode.STRICT, meshWide: true });
    const doc = findDoc(docsOf(chart), 'PeerAuthentication', 'default');
    expect(doc.metadata).toEqual({ name: 'default', namespace: 'istio-system' });
    expect(doc.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(doc.spec.selector).toBeUndefined();
  });

  test('a mesh-wide policy goes to the given rootNamespace', () => {
    const { chart } = newChart();
    new PeerAuthentication(chart, 'MeshMtls', { mode: MtlsMode.STRICT, meshWide: true, rootNamespace: 'istio-config' });
    expect(findDoc(docsOf(chart), 'PeerAuthentication', 'default').metadata.namespace).toBe('istio-config');
  });

  test('a MeshService selector becomes matchLabels {app: <name>} and the name defaults to the construct id', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const pa = new PeerAuthentication(chart, 'reviews-mtls', { mode: MtlsMode.STRICT, selector: reviews });
    expect(pa.name).toBe('reviews-mtls');
    const doc = findDoc(docsOf(chart), 'PeerAuthentication', 'reviews-mtls');
    expect(doc.metadata.namespace).toBe('shop');
    expect(doc.spec).toEqual({ selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'STRICT' } });
  });

  test('a MeshService with a custom service account is still selected by its app label', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews', { serviceAccountName: 'bookinfo-reviews' });
    new PeerAuthentication(chart, 'reviews-mtls', { mode: MtlsMode.STRICT, selector: reviews });
    expect(findDoc(docsOf(chart), 'PeerAuthentication', 'reviews-mtls').spec.selector).toEqual({ matchLabels: { app: 'reviews' } });
  });

  test('explicit labels are used as the selector verbatim', () => {
    const { chart } = newChart();
    new PeerAuthentication(chart, 'Legacy', { name: 'legacy', mode: MtlsMode.PERMISSIVE, selector: { app: 'legacy', version: 'v1' } });
    expect(findDoc(docsOf(chart), 'PeerAuthentication', 'legacy').spec.selector).toEqual({ matchLabels: { app: 'legacy', version: 'v1' } });
  });

  test('portLevelMtls keys are port strings, each with {mode}', () => {
    const { chart } = newChart();
    const db = service(chart, 'db', { ports: [{ port: 9080 }, { port: 5432, name: 'tcp-postgres', protocol: PortProtocol.TCP }] });
    new PeerAuthentication(chart, 'db-mtls', {
      mode: MtlsMode.STRICT,
      selector: db,
      portLevelMtls: { 5432: MtlsMode.PERMISSIVE, 9080: MtlsMode.DISABLE },
    });
    const spec = findDoc(docsOf(chart), 'PeerAuthentication', 'db-mtls').spec;
    expect(spec).toEqual({
      selector: { matchLabels: { app: 'db' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 5432: { mode: 'PERMISSIVE' }, 9080: { mode: 'DISABLE' } },
    });
    expect(Object.keys(spec.portLevelMtls).sort()).toEqual(['5432', '9080']);
  });

  test('an empty portLevelMtls renders no portLevelMtls (and needs no selector)', () => {
    const { chart } = newChart();
    new PeerAuthentication(chart, 'Mtls', { mode: MtlsMode.STRICT, portLevelMtls: {} });
    expect(findDoc(docsOf(chart), 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
  });
});

describe('port-level mTLS names the workload\'s port, as Istio reads it', () => {
  /** A MeshService whose Service port 80 forwards to container port 8080, and whose 9090 is its own. */
  const api = (chart: Chart) => service(chart, 'api', { ports: [{ port: 80, targetPort: 8080 }, { port: 9090, protocol: PortProtocol.GRPC }] });

  test('a MeshService\'s Service port is written as the container port behind it; other ports and label selectors as given', () => {
    const { chart } = newChart();
    new PeerAuthentication(chart, 'api-mtls', {
      mode: MtlsMode.STRICT,
      selector: api(chart),
      portLevelMtls: { 80: MtlsMode.PERMISSIVE, 9090: MtlsMode.STRICT, 9100: MtlsMode.DISABLE },
    });
    new PeerAuthentication(chart, 'legacy', { mode: MtlsMode.STRICT, selector: { app: 'legacy' }, portLevelMtls: { 80: MtlsMode.PERMISSIVE } });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'PeerAuthentication', 'api-mtls').spec.portLevelMtls)
      .toEqual({ 8080: { mode: 'PERMISSIVE' }, 9090: { mode: 'STRICT' }, 9100: { mode: 'DISABLE' } });
    expect(findDoc(docs, 'PeerAuthentication', 'legacy').spec.portLevelMtls).toEqual({ 80: { mode: 'PERMISSIVE' } });
    expectSchemaValid(docs);
  });

  test('a Service port and its container port both listed is refused: they are one port of the pod', () => {
    const { chart } = newChart();
    expectMeshError(() => new PeerAuthentication(chart, 'api-mtls', {
      mode: MtlsMode.STRICT,
      selector: api(chart),
      portLevelMtls: { 80: MtlsMode.PERMISSIVE, 8080: MtlsMode.STRICT },
    }),
    'test/api-mtls', 'portLevelMtls.8080', 'names container port 8080, which another entry of portLevelMtls names too');
  });
});

describe('PeerAuthentication errors', () => {
  test('portLevelMtls without a selector', () => {
    const { chart } = newChart();
    expectMeshError(() => new PeerAuthentication(chart, 'Mtls', { mode: MtlsMode.STRICT, portLevelMtls: { 8080: MtlsMode.DISABLE } }),
      'test/Mtls', 'portLevelMtls', 'needs a workload selector');
  });

  test('meshWide with a selector', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    expectMeshError(() => new PeerAuthentication(chart, 'mesh', { mode: MtlsMode.STRICT, meshWide: true, selector: reviews }),
      'test/mesh', 'selector', 'mesh-wide');
  });

  test('meshWide with a namespace, which the policy would not be in', () => {
    const { chart } = newChart();
    expectMeshError(() => new PeerAuthentication(chart, 'mesh', { mode: MtlsMode.STRICT, meshWide: true, namespace: 'shop' }),
      'test/mesh', 'namespace', 'would be ignored', 'rootNamespace');
  });

  test.each([[0], [65536], [-1], [80.5]])('portLevelMtls port %p is not a port number', port => {
    const { chart } = newChart();
    expectMeshError(() => new PeerAuthentication(chart, 'mtls', { mode: MtlsMode.STRICT, selector: { app: 'db' }, portLevelMtls: { [port]: MtlsMode.DISABLE } }),
      'test/mtls', `portLevelMtls.${port}`, `${port} is not a port number`);
  });

  test('a wildcard in a selector label value', () => {
    const { chart } = newChart();
    expectMeshError(() => new PeerAuthentication(chart, 'mtls', { mode: MtlsMode.STRICT, selector: { app: 'reviews-*' } }),
      'test/mtls', 'selector.app', 'wildcards');
  });

  test('a wildcard in a selector label key', () => {
    const { chart } = newChart();
    expectMeshError(() => new PeerAuthentication(chart, 'mtls', { mode: MtlsMode.STRICT, selector: { 'app*': 'reviews' } }),
      'test/mtls', 'selector.app*', 'wildcards');
  });

  test('an empty selector labels object', () => {
    const { chart } = newChart();
    expectMeshError(() => new PeerAuthentication(chart, 'mtls', { mode: MtlsMode.STRICT, selector: {} }),
      'test/mtls', 'selector', 'empty selector');
  });

  test('an invalid selector label value', () => {
    const { chart } = newChart();
    expectMeshError(() => new PeerAuthentication(chart, 'mtls', { mode: MtlsMode.STRICT, selector: { app: 'has space' } }),
      'test/mtls', 'selector.app', 'not a valid label value');
  });

  test('an invalid name', () => {
    const { chart } = newChart();
    expectMeshError(() => new PeerAuthentication(chart, 'Mtls', { name: 'Default', mode: MtlsMode.STRICT }),
      'test/Mtls', 'name', 'not a valid DNS subdomain name');
  });
});

describe('PeerAuthentication schema', () => {
  test('namespace-wide, mesh-wide and workload policies with port overrides are valid against the CRD (with CEL)', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    new PeerAuthentication(chart, 'Namespace', { mode: MtlsMode.STRICT });
    new PeerAuthentication(chart, 'Mesh', { name: 'mesh-default', mode: MtlsMode.PERMISSIVE, meshWide: true });
    new PeerAuthentication(chart, 'reviews-mtls', { mode: MtlsMode.STRICT, selector: reviews, portLevelMtls: { 9080: MtlsMode.PERMISSIVE, 15090: MtlsMode.DISABLE } });
    new PeerAuthentication(chart, 'legacy', { mode: MtlsMode.UNSET, selector: { app: 'legacy', version: 'v1' } });
    expectSchemaValid(docsOf(chart));
  });
});

describe('guards against silent misconfiguration', () => {
  test('a MeshService selector from another namespace is refused or followed', () => {
    const { app, chart } = newChart();
    const reviews = service(chart, 'reviews');
    const platform = new Chart(app, 'platform', { namespace: 'platform' });
    try {
      new PeerAuthentication(platform, 'reviews-mtls', { mode: MtlsMode.STRICT, selector: reviews });
    } catch (e) {
      expect(e).toBeInstanceOf(MeshConfigError);
      expect((e as MeshConfigError).message).toContain('platform/reviews-mtls: selector');
      expect((e as MeshConfigError).message).toContain('Fix:');
      return;
    }
    expect(findDoc(docsOf(platform), 'PeerAuthentication', 'reviews-mtls').metadata.namespace).toBe('shop');
  });
});
