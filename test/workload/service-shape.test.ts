import { Destination, MeshService, PortProtocol, ServiceAccountRef, ServiceType, VirtualService } from '../../lib';
import { docsOf, expectMeshError, expectSchemaValid, findDoc, newChart, ofKind, validationProblems } from '../support/constructs';

const IMAGE = 'registry.example.com/frontend:1.0';

describe('unversioned services (workload)', () => {
  test('one Deployment named after the service, labelled and selected by app only', () => {
    const { chart } = newChart();
    const frontend = new MeshService(chart, 'frontend', { port: 8080, workload: { image: IMAGE, replicas: 2 } });
    const docs = docsOf(chart);
    expectSchemaValid(docs);
    const d = findDoc(docs, 'Deployment', 'frontend');
    expect(ofKind(docs, 'Deployment')).toHaveLength(1);
    expect(d.metadata.labels).toEqual({ app: 'frontend' });
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'frontend' } });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'frontend' });
    expect(d.spec.replicas).toBe(2);
    expect(frontend.versionNames).toEqual([]);
    expect(frontend.deployment()).toBeDefined();
  });

  test('a route to the service as a whole works; routing by version, adding a version or asking for one fails with the fix', () => {
    const { app, chart } = newChart();
    const frontend = new MeshService(chart, 'frontend', { port: 8080, workload: { image: IMAGE } });
    new VirtualService(chart, 'frontend-route', { hosts: [frontend], http: [{ to: [Destination.toService(frontend)] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'VirtualService', 'frontend-route').spec.http[0].route).toEqual([{ destination: { host: 'frontend' } }]);
    expectMeshError(() => frontend.version('v1'), 'test/frontend', 'versions', 'the service has no versions', 'Destination.toService(service)');
    expectMeshError(() => frontend.addVersion('v2', { image: IMAGE }), 'test/frontend', 'versions.v2', 'declared with workload',
      'declare it with versions: { v1: <its workload props>');
    expectMeshError(() => frontend.deployment('v1'), 'test/frontend', 'versions', 'has no "v1"');
  });

  test('a route naming a version of an unversioned service fails with the fix', () => {
    const { chart } = newChart();
    const frontend = new MeshService(chart, 'frontend', { port: 8080, workload: { image: IMAGE } });
    expectMeshError(() => new VirtualService(chart, 'frontend-route', { hosts: [frontend], http: [{ to: [Destination.toService(frontend, { version: 'v1' })] }] }),
      'test/frontend', 'versions', 'the service has no versions (it was declared with workload), so no route can pick version "v1"');
  });

  test('exactly one of versions and workload', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'a', { port: 80 }), 'test/a', 'versions', 'exactly one of versions and workload');
    expectMeshError(() => new MeshService(chart, 'b', { port: 80, workload: { image: IMAGE }, versions: { v1: { image: IMAGE } } }),
      'test/b', 'versions', 'exactly one of versions and workload');
  });
});

describe('Service and ServiceAccount shape', () => {
  test('type, annotations and labels on the Service; annotations on the ServiceAccount', () => {
    const { chart } = newChart();
    new MeshService(chart, 'frontend', {
      port: 8080,
      serviceType: ServiceType.LOAD_BALANCER,
      serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' },
      serviceLabels: { tier: 'web' },
      serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'frontend@shop.iam.gserviceaccount.com' },
      workload: { image: IMAGE },
    });
    const docs = docsOf(chart);
    expectSchemaValid(docs);
    const svc = findDoc(docs, 'Service', 'frontend');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.metadata.labels).toEqual({ app: 'frontend', service: 'frontend', tier: 'web' });
    expect(svc.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' });
    expect(findDoc(docs, 'ServiceAccount', 'frontend').metadata.annotations)
      .toEqual({ 'iam.gke.io/gcp-service-account': 'frontend@shop.iam.gserviceaccount.com' });
  });

  test('ClusterIP is left to the Kubernetes default', () => {
    const { chart } = newChart();
    new MeshService(chart, 'frontend', { port: 8080, serviceType: ServiceType.CLUSTER_IP, workload: { image: IMAGE } });
    expect(findDoc(docsOf(chart), 'Service', 'frontend').spec).not.toHaveProperty('type');
  });

  test('an existing ServiceAccount is named by the pods and not emitted', () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'frontend', { port: 8080, serviceAccount: ServiceAccountRef.existing('shop-web'), workload: { image: IMAGE } });
    const docs = docsOf(chart);
    expect(ofKind(docs, 'ServiceAccount')).toEqual([]);
    expect(svc.serviceAccount).toBeUndefined();
    expect(svc.serviceAccountName).toBe('shop-web');
    expect(findDoc(docs, 'Deployment', 'frontend').spec.template.spec.serviceAccountName).toBe('shop-web');
  });

  test.each<[string, Record<string, unknown>, string, ...string[]]>([
    ['an existing account with a name', { serviceAccount: ServiceAccountRef.existing('x'), serviceAccountName: 'y' }, 'serviceAccount',
      'takes no name or annotations'],
    ['an existing account with a bad name', { serviceAccount: ServiceAccountRef.existing('Shop Web') }, 'serviceAccount', 'is not a valid DNS subdomain'],
    ['a label replacing app', { serviceLabels: { app: 'other' } }, 'serviceLabels.app', 'use another label key'],
    ['a bad label value', { serviceLabels: { tier: 'web tier' } }, 'serviceLabels.tier', 'is not a valid label value'],
    ['a bad annotation key', { serviceAnnotations: { 'bad key': 'x' } }, 'serviceAnnotations.bad key', 'is not a valid label or annotation key'],
    ['a bad account annotation key', { serviceAccountAnnotations: { '/x': 'y' } }, 'serviceAccountAnnotations./x'],
    ['a type on a service without ports', { ports: [], serviceType: ServiceType.NODE_PORT }, 'serviceType', 'no Service to shape'],
  ])('%s is refused', (_name, props, field, ...fragments) => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'frontend', { port: props.ports ? undefined : 8080, workload: { image: IMAGE }, ...props }),
      'test/frontend', field, ...fragments);
  });
});

describe('addresses', () => {
  test('address() is the FQDN and port, usable as an env value; fqdn the host', () => {
    const { chart } = newChart();
    const cart = new MeshService(chart, 'cart', { ports: [{ port: 7070, protocol: PortProtocol.GRPC }], workload: { image: IMAGE } });
    const redis = new MeshService(chart, 'redis', { ports: [{ port: 6379, protocol: PortProtocol.REDIS }, { port: 9121 }], workload: { image: IMAGE } });
    new MeshService(chart, 'frontend', { port: 8080, workload: { image: IMAGE, env: { CART_ADDR: cart.address(), REDIS_ADDR: redis.address(6379) } } });
    expect(cart.fqdn).toBe('cart.shop.svc.cluster.local');
    expect(cart.address(7070)).toBe('cart.shop.svc.cluster.local:7070');
    const env = findDoc(docsOf(chart), 'Deployment', 'frontend').spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'CART_ADDR', value: 'cart.shop.svc.cluster.local:7070' },
      { name: 'REDIS_ADDR', value: 'redis.shop.svc.cluster.local:6379' },
    ]);
    expectMeshError(() => redis.address(), 'test/redis', 'address', 'the service has 2 ports (6379, 9121)', 'address(<port>)');
    expectMeshError(() => redis.address(80), 'test/redis', 'address', '80 is not a port of this service');
    const worker = new MeshService(chart, 'worker', { ports: [], workload: { image: IMAGE } });
    expectMeshError(() => worker.address(), 'test/worker', 'ports', 'no route can reach it');
  });
});
