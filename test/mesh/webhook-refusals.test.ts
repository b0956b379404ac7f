import { App, Chart, Duration } from 'cdk8s';
import {
  Destination, Gateway, GatewayProtocol, HttpMatch, MeshNamespace, MeshService, RoutingApi, Sidecar, StringMatch, VirtualService,
  synthesize, useRoutingApi,
} from '../../lib';
import { docsOf, expectMeshError, findDoc, newChart, service } from '../support/constructs';

/**
 * Inputs Istio's webhook or the Gateway API's CRDs refuse, or that can never match, caught before
 * anything is written: at construction where the construct knows, else by the synth's admission
 * rules (every document is checked), naming the construct path and the field.
 */
const synthProblems = (app: App): string => {
  try {
    synthesize(app);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('routes Istio refuses or that never match', () => {
  test('a match on port 0 (no port to Istio, so every port) is refused', () => {
    const { chart } = newChart();
    const orders = service(chart, 'orders');
    expectMeshError(() => new VirtualService(chart, 'r', { hosts: [orders], http: [{ match: [HttpMatch.port(0)], to: [Destination.toService(orders)] }] }),
      'test/r', 'http[0].match[0].port', '0 is not a port number');
  });

  test('an exact path with a query string never matches: Envoy compares the path without it', () => {
    const { chart } = newChart();
    const orders = service(chart, 'orders');
    expectMeshError(() => new VirtualService(chart, 'r', { hosts: [orders], http: [{ match: [HttpMatch.exact('/a?b=1')], to: [Destination.toService(orders)] }] }),
      'test/r', 'http[0].match[0].uri.exact', '"/a?b=1" never matches', 'match the path exactly ("/a")', 'HttpMatch.queryParam()');
  });

  test('an empty fault injection is refused', () => {
    const { chart } = newChart();
    const orders = service(chart, 'orders');
    expectMeshError(() => new VirtualService(chart, 'r', { hosts: [orders], http: [{ fault: {}, to: [Destination.toService(orders)] }] }),
      'test/r', 'http[0].fault', 'needs a delay, an abort or both');
  });

  test('an empty rewrite fails the synth, as Istio\'s webhook refuses it', () => {
    const { app, chart } = newChart();
    const orders = service(chart, 'orders');
    new VirtualService(chart, 'r', { hosts: [orders], http: [{ rewrite: { uri: '' }, to: [Destination.toService(orders)] }] });
    expect(synthProblems(app)).toContain('spec.http[0].rewrite: a rewrite needs a uri, a uriRegexRewrite or an authority');
  });

  test('JWT claim routing fails the synth on a mesh VirtualService, and keeps the claim\'s case on a gateway one', () => {
    const claim = HttpMatch.header('@request.auth.claims.Group', StringMatch.exact('admin'));
    const mesh = newChart();
    const orders = service(mesh.chart, 'orders');
    new VirtualService(mesh.chart, 'r', { hosts: [orders], http: [{ match: [claim], to: [Destination.toService(orders)] }] });
    expect(synthProblems(mesh.app)).toContain('JWT claim based routing ("@request.auth.claims.Group") works only on a VirtualService '
      + 'bound to gateways');

    const edge = newChart();
    const web = service(edge.chart, 'web');
    const gateway = new Gateway(edge.chart, 'edge', { servers: [{ port: 8080, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
    new VirtualService(edge.chart, 'r', { hosts: ['shop.example.com'], gateways: [gateway], http: [{ match: [claim], to: [Destination.toService(web)] }] });
    const doc = findDoc(docsOf(edge.chart), 'VirtualService', 'r');
    expect(Object.keys(doc.spec.http[0].match[0].headers)).toEqual(['@request.auth.claims.Group']);
    expect(synthProblems(edge.app)).not.toContain('JWT claim based routing');
  });
});

describe('names Istio cannot use', () => {
  test('a Sidecar egress host whose namespace part is no namespace name matches nothing and is refused', () => {
    const { chart } = newChart();
    const orders = service(chart, 'orders');
    expectMeshError(() => new Sidecar(chart, 'sc', { workload: orders, egressHosts: ['Shop/api.example.com'] }), 'test/sc', 'egressHosts[0]',
      '"Shop" is not a namespace name');
    expect(() => new Sidecar(chart, 'ok', { workload: orders, egressHosts: ['~/*', './*', '*/api.example.com'] })).not.toThrow();
  });

  test('a Gateway API Gateway whose deployed Service name would pass 63 characters is refused', () => {
    const { chart } = newChart();
    useRoutingApi(chart, RoutingApi.GATEWAY_API);
    expectMeshError(() => new Gateway(chart, 'g'.repeat(60)), `test/${'g'.repeat(60)}`, 'name',
      `"${'g'.repeat(60)}-istio", 66 characters`, 'use a name of at most 57 characters');
    expect(() => new Gateway(chart, 'g'.repeat(57))).not.toThrow();
  });
});

describe('Gateway API durations', () => {
  test.each([[Duration.hours(30), '30h'], [Duration.seconds(90), '90s'], [Duration.millis(1500), '1500ms'],
    [Duration.seconds(100_000), '27h46m40s']])('a route timeout of %s is written as %s, which the HTTPRoute pattern admits', (timeout, text) => {
    const app = new App();
    useRoutingApi(app, RoutingApi.GATEWAY_API);
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'shop');
    const orders = new MeshService(chart, 'orders', { port: 8080, versions: { v1: { image: 'example/orders:1.0' } } });
    new VirtualService(chart, 'r', { hosts: [orders], http: [{ to: [orders.version('v1')], timeout }] });
    const route = docsOf(chart).find(d => d.kind === 'HTTPRoute')!;
    expect(route.spec.rules[0].timeouts).toEqual({ request: text });
    expect(text).toMatch(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/);
  });
});
