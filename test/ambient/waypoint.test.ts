import { Chart } from 'cdk8s';
import { Gateway, GatewayProtocol, MeshEnrollment, MeshNamespace, RoutingApi, Waypoint, WaypointTrafficType, analyze } from '../../lib';
import { docsOf, expectMeshError, expectProblem, expectSchemaValid, findDoc, newChart, service, validationProblems } from '../support/constructs';

/** An ambient namespace `shop` in its own chart. */
function ambientChart() {
  const { app, chart } = newChart('shop');
  const ns = new MeshNamespace(chart, 'shop', { enrollment: MeshEnrollment.AMBIENT });
  return { app, chart, ns };
}

describe('Waypoint', () => {
  test('renders the Gateway istioctl waypoint generate writes: class istio-waypoint, HBONE on 15008, waypoint-for service', () => {
    const { app, chart, ns } = ambientChart();
    const waypoint = ns.addWaypoint();
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    expect(findDoc(docs, 'Gateway', 'waypoint')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    });
    expect(findDoc(docs, 'Namespace', 'shop').metadata.labels).toEqual({
      'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint', 'istio.io/ingress-use-waypoint': 'true',
    });
    expect(waypoint.serviceAccountName).toBe('waypoint');
    expect(waypoint.selectorLabels).toEqual({ 'gateway.networking.k8s.io/gateway-name': 'waypoint' });
    expect(ns.waypoint).toBe(waypoint);
    expectSchemaValid(docs);
  });

  test('the traffic type is the istio.io/waypoint-for label', () => {
    const { chart } = ambientChart();
    new Waypoint(chart, 'wp', { trafficType: WaypointTrafficType.ALL });
    expect(findDoc(docsOf(chart), 'Gateway', 'wp').metadata.labels).toEqual({ 'istio.io/waypoint-for': 'all' });
  });

  test('enroll(service) labels the Service, not the namespace', () => {
    const { app, chart } = ambientChart();
    const reviews = service(chart, 'reviews');
    new Waypoint(chart, 'reviews-waypoint').enroll(reviews);
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    expect(findDoc(docs, 'Service', 'reviews').metadata.labels).toEqual({
      'app': 'reviews', 'service': 'reviews', 'istio.io/use-waypoint': 'reviews-waypoint', 'istio.io/ingress-use-waypoint': 'true',
    });
    expect(findDoc(docs, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
  });

  test('a waypoint of another namespace: use-waypoint-namespace, and its listener admits the namespace by name', () => {
    const { app, chart } = ambientChart();
    const infra = new Chart(app, 'infra', { namespace: 'infra' });
    new MeshNamespace(infra, 'infra', { enrollment: MeshEnrollment.AMBIENT });
    const shared = new Waypoint(infra, 'shared');
    const shop = chart.node.findChild('shop') as MeshNamespace;
    shop.useWaypoint(shared);
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'Namespace', 'shop').metadata.labels).toMatchObject({
      'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra',
    });
    const gateway = findDoc(docsOf(infra), 'Gateway', 'shared');
    expect(gateway.spec.listeners[0].allowedRoutes).toEqual({
      namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['infra', 'shop'] }] } },
    });
    expectSchemaValid([...docsOf(chart), ...docsOf(infra)]);
  });

  test('a sidecar namespace takes no waypoint', () => {
    const { chart } = newChart('shop');
    const ns = new MeshNamespace(chart, 'shop');
    expectMeshError(() => ns.addWaypoint(), 'test/shop', 'addWaypoint()', 'only serves ambient workloads', 'MeshEnrollment.AMBIENT');
  });

  test('a waypoint declared in a sidecar namespace that no ambient namespace uses fails synthesis', () => {
    const { app, chart } = newChart('shop');
    new MeshNamespace(chart, 'shop');
    new Waypoint(chart, 'wp');
    expectProblem(validationProblems(app), 'test/wp', 'namespace', 'namespace shop is enrolled for sidecars', 'MeshEnrollment.AMBIENT');
    // used from an ambient namespace, a waypoint may live in a sidecar (or undeclared) namespace
    const shared = newChart('infra');
    new MeshNamespace(shared.chart, 'infra');
    const waypoint = new Waypoint(shared.chart, 'shared');
    new MeshNamespace(new Chart(shared.app, 'apps', { namespace: 'apps' }), 'apps', { enrollment: MeshEnrollment.AMBIENT }).useWaypoint(waypoint);
    expect(validationProblems(shared.app)).toEqual([]);
  });

  test('a waypoint of another cdk8s App is refused', () => {
    const { ns } = ambientChart();
    const other = newChart('infra');
    expectMeshError(() => ns.useWaypoint(new Waypoint(other.chart, 'wp')), 'test/shop', 'useWaypoint()', 'belongs to another cdk8s App', 'same App');
  });

  test('one waypoint per namespace', () => {
    const { chart, ns } = ambientChart();
    ns.addWaypoint();
    expectMeshError(() => ns.useWaypoint(new Waypoint(chart, 'other')), 'test/shop', 'useWaypoint()', 'already uses waypoint');
  });

  test('a service enrolls in one waypoint; enrolling it again in the same one is harmless', () => {
    const { chart } = ambientChart();
    const reviews = service(chart, 'reviews');
    const first = new Waypoint(chart, 'first');
    first.enroll(reviews);
    first.enroll(reviews);
    expectMeshError(() => new Waypoint(chart, 'second').enroll(reviews), 'test/second', 'enroll',
      'test/reviews is already enrolled in waypoint shop/first', 'one waypoint');
    expect(findDoc(docsOf(chart), 'Service', 'reviews').metadata.labels).toMatchObject({ 'istio.io/use-waypoint': 'first' });
  });

  test('a waypoint for workload or no traffic is refused for what it would not carry', () => {
    const { chart, ns } = ambientChart();
    const reviews = service(chart, 'reviews');
    const workloads = new Waypoint(chart, 'workloads', { trafficType: WaypointTrafficType.WORKLOAD });
    expectMeshError(() => workloads.enroll(reviews), 'test/workloads', 'enroll', 'for workload traffic', 'WaypointTrafficType.SERVICE');
    const none = new Waypoint(chart, 'none', { trafficType: WaypointTrafficType.NONE });
    expectMeshError(() => ns.useWaypoint(none), 'test/none', 'useWaypoint()', 'for none traffic', 'the services of namespace shop');
    expectMeshError(() => ns.useWaypoint(workloads), 'test/workloads', 'useWaypoint()', 'for workload traffic');
    new Waypoint(chart, 'all', { trafficType: WaypointTrafficType.ALL }).enroll(reviews);
  });

  test('a waypoint named like a service of its namespace, or a Gateway deployed under one\'s name, is CDK0006', () => {
    const { chart } = ambientChart();
    service(chart, 'reviews');
    service(chart, 'edge-istio');
    new Waypoint(chart, 'wp', { name: 'reviews' });
    new Gateway(chart, 'edge', { routingApi: RoutingApi.GATEWAY_API, servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
    const found = analyze(docsOf(chart)).filter(m => m.code === 'CDK0006').map(m => `${m.resource.name}: ${m.message}`);
    expect(found).toEqual([
      expect.stringMatching(/^edge: Istio deploys this Gateway's proxy as the Deployment and Service "edge-istio" .* have a Service of that name/),
      expect.stringMatching(/^reviews: Istio deploys this Gateway's proxy as the Deployment and Service "reviews" /),
    ]);
  });

  test('waypoint labels are not set by hand', () => {
    const { chart } = newChart('shop');
    expectMeshError(() => new MeshNamespace(chart, 'shop', { enrollment: MeshEnrollment.AMBIENT, labels: { 'istio.io/use-waypoint': 'x' } }),
      'test/shop', 'labels.istio.io/use-waypoint', 'useWaypoint()');
  });

  test('enrolling a service of a namespace the app does not declare ambient fails synthesis', () => {
    const { app, chart } = newChart('shop');
    new MeshNamespace(chart, 'shop');
    const reviews = service(chart, 'reviews');
    new Waypoint(chart, 'wp').enroll(reviews);
    expectProblem(validationProblems(app), 'test/wp', 'enroll(test/reviews)', 'not an ambient MeshNamespace', 'MeshEnrollment.AMBIENT');
  });

  test('a workload without ports has no Service to enroll', () => {
    const { chart } = ambientChart();
    const worker = service(chart, 'worker', { ports: [] });
    expectMeshError(() => new Waypoint(chart, 'wp').enroll(worker), 'test/wp', 'enroll', 'has no Service');
  });
});
