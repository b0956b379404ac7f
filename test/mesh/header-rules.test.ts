import { Chart } from 'cdk8s';
import { Destination, HttpRoute, MeshService, VirtualService } from '../../lib';
import { expectAccepted, expectProblemAt, httpRoute } from '../admission/documents';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

function setup(): { chart: Chart; svc: MeshService } {
  const { chart } = newChart();
  const svc = new MeshService(chart, 'reviews', {
    port: 9080,
    versions: { v1: { image: 'reviews:v1' }, v2: { image: 'reviews:v2' } },
  });
  return { chart, svc };
}

function httpOf(chart: Chart): any[] {
  return findDoc(docsOf(chart), 'VirtualService', 'vs').spec.http;
}

/** Adds `route` to a fresh VirtualService `vs` of `reviews`; returns what threw, if anything. */
function addRoute(route: (svc: MeshService) => HttpRoute): () => void {
  const { chart, svc } = setup();
  return () => new VirtualService(chart, 'vs', { hosts: [svc], http: [route(svc)] });
}

describe('header operations', () => {
  test('route headers: request set/add/remove and response set/add/remove, names in lower case', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', {
      hosts: [svc],
      http: [{
        to: [svc.version('v1')],
        headers: {
          request: { set: { 'X-Request-Source': 'mesh' }, add: { 'x-forwarded-client': '%DOWNSTREAM_REMOTE_ADDRESS%' }, remove: ['X-Debug'] },
          response: { set: { 'cache-control': 'no-store' }, add: { 'x-discount': '10%%' }, remove: ['server'] },
        },
      }],
    });
    expect(httpOf(chart)[0].headers).toEqual({
      request: { set: { 'x-request-source': 'mesh' }, add: { 'x-forwarded-client': '%DOWNSTREAM_REMOTE_ADDRESS%' }, remove: ['x-debug'] },
      response: { set: { 'cache-control': 'no-store' }, add: { 'x-discount': '10%%' }, remove: ['server'] },
    });
  });

  test('destination headers render on that destination only, keeping its weight; withWeight keeps the headers', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', {
      hosts: [svc],
      http: [{
        to: [
          svc.version('v1').withWeight(75).withHeaders({ response: { remove: ['foo'] } }),
          svc.version('v2').withHeaders({ request: { set: { host: 'reviews-canary.example.com' } } }).withWeight(25),
        ],
        headers: { request: { set: { test: 'true' } } },
      }],
    });
    const http = httpOf(chart)[0];
    expect(http.headers).toEqual({ request: { set: { test: 'true' } } });
    expect(http.route).toEqual([
      { destination: { host: 'reviews', subset: 'v1' }, weight: 75, headers: { response: { remove: ['foo'] } } },
      { destination: { host: 'reviews', subset: 'v2' }, weight: 25, headers: { request: { set: { host: 'reviews-canary.example.com' } } } },
    ]);
  });

  test('a route without header rules writes no headers key', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')] }] });
    expect(httpOf(chart)[0]).not.toHaveProperty('headers');
    expect(httpOf(chart)[0].route[0]).not.toHaveProperty('headers');
  });

  test('a name that is not an RFC 7230 token', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1')], headers: { request: { set: { 'x user': 'a' } } } })),
      'test/vs', 'http[0].headers.request.set.x user', '"x user" is not an HTTP header name (an RFC 7230 token)', 'letters, digits');
  });

  test('an empty name in remove', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1')], headers: { response: { remove: ['x-a', ''] } } })),
      'test/vs', 'http[0].headers.response.remove[1]', 'the header name is empty');
  });

  test('a pseudo-header', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1')], headers: { response: { set: { ':status': '200' } } } })),
      'test/vs', 'http[0].headers.response.set.:status', '":status" is a pseudo-header');
  });

  test('Host on a route points to rewrite.authority', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1')], headers: { request: { set: { Host: 'a.example.com' } } } })),
      'test/vs', 'http[0].headers.request.set.Host', 'the Host header cannot be changed here', 'rewrite: { authority }');
  });

  test(':authority on a destination (Istio accepts only host there)', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1').withHeaders({ request: { add: { ':authority': 'a.example.com' } } })] })),
      'test/vs', 'http[0].route[0].headers.request.add.:authority', 'pseudo-header', 'only a request set or add may name host');
  });

  test('removing host from a destination\'s requests', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1').withHeaders({ request: { remove: ['host'] } })] })),
      'test/vs', 'http[0].route[0].headers.request.remove[0]', 'the Host header cannot be changed here');
  });

  test('two names equal but for case', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1')], headers: { request: { add: { 'X-A': '1', 'x-a': '2' } } } })),
      'test/vs', 'http[0].headers.request.add.x-a', '"x-a" and "X-A" are the same header', 'list each header once');
  });

  test('a value with an unpaired %', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1')], headers: { response: { set: { 'x-discount': '10%' } } } })),
      'test/vs', 'http[0].headers.response.set.x-discount', '"10%" has an unpaired "%"', 'write "%%" for a literal percent sign');
  });

  test('a value with a control character', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1')], headers: { request: { set: { 'x-a': 'a\nb' } } } })),
      'test/vs', 'http[0].headers.request.set.x-a', 'contains a control character');
  });

  test('a mirror with headers', () => {
    expectMeshError(addRoute(svc => ({ to: [svc.version('v1')], mirror: svc.version('v2').withHeaders({ request: { set: { 'x-a': 'b' } } }) })),
      'test/vs', 'http[0].mirror.headers', 'Istio changes no headers of mirrored requests');
  });

  test('a TCP route destination with headers', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: [svc], tcp: [{ to: [Destination.toService(svc).withHeaders({ request: { set: { 'x-a': 'b' } } })] }],
    }), 'test/vs', 'tcp[0].route[0].headers', 'a TCP or TLS route has no HTTP headers to change');
  });
});

describe('header operations in YAML (the admission rules, as Istio\'s webhook checks them)', () => {
  test('a value with an unpaired % on a destination is refused; paired operators and %% pass', () => {
    expectProblemAt(httpRoute({ route: [{ destination: { host: 'orders' }, headers: { response: { add: { 'x-a': '50%' } } } }] }),
      'spec.http[0].route[0].headers.response.add.x-a', 'has an unpaired "%"', 'write "%%" for a literal percent sign');
    expectAccepted(httpRoute({ headers: { request: { set: { 'x-client': '%DOWNSTREAM_REMOTE_ADDRESS%', 'x-rate': '10%%' } } } }));
  });

  test('a control character in a route header value is refused', () => {
    expectProblemAt(httpRoute({ headers: { request: { set: { 'x-a': 'a\u0007' } } } }),
      'spec.http[0].headers.request.set.x-a', 'contains a control character', 'no control characters');
  });
});
