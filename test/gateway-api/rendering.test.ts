import { App, Chart, Duration, Testing } from 'cdk8s';
import { BOOKINFO_SCENARIOS, bookinfoGatewayApiApp } from '../../apps/bookinfo';
import { foodDeliveryGatewayApiApp } from '../../apps/food-delivery';
import {
  Caller, Destination, DestinationRule, Gateway, GatewayProtocol, GatewayTls, HttpMatch, MeshNamespace, ROUTING_API_CONTEXT, ReferenceGrant,
  RoutingApi, StringMatch, Subset, VirtualService, deployedGateway, routingApiOf, synthesize, useRoutingApi,
} from '../../lib';
import { docsOf, expectMeshError, expectProblem, expectSchemaValid, findDoc, newApp, ofKind, service, validationProblems } from '../support/constructs';

/** An app rendered to the Gateway API, with one chart `test` in namespace `shop`. */
function gatewayApiChart(namespace = 'shop'): { app: App; chart: Chart } {
  const app = gatewayApiApp();
  return { app, chart: new Chart(app, 'test', { namespace }) };
}

const WAY_OUT = 'routingApi: RoutingApi.CLASSIC';

/** An app rendered to the Gateway API, its analysis off (newApp(): the routing API set as context before anything else). */
function gatewayApiApp(): App {
  return newApp({ [ROUTING_API_CONTEXT]: RoutingApi.GATEWAY_API });
}

describe('the routing-API choice', () => {
  test('classic by default: a VirtualService renders networking.istio.io, a version gets a subset', () => {
    const app = newApp();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const reviews = service(chart, 'reviews', { versions: { v1: { image: 'r:1' }, v2: { image: 'r:2' } } });
    const vs = new VirtualService(chart, 'reviews-route', { hosts: [reviews], http: [{ to: [reviews.version('v2')] }] });
    expect(vs.routingApi).toBe(RoutingApi.CLASSIC);
    const docs = docsOf(chart);
    expect(findDoc(docs, 'VirtualService', 'reviews-route').apiVersion).toBe('networking.istio.io/v1');
    expect(ofKind(docs, 'HTTPRoute')).toEqual([]);
    expect(findDoc(docs, 'DestinationRule', 'reviews').spec.subsets).toEqual([{ name: 'v2', labels: { version: 'v2' } }]);
  });

  test('per app, inherited by charts; a construct may keep the classic API', () => {
    const { chart } = gatewayApiChart();
    expect(routingApiOf(chart)).toBe(RoutingApi.GATEWAY_API);
    const reviews = service(chart, 'reviews');
    new VirtualService(chart, 'gamma', { hosts: [reviews], http: [{ to: [reviews.version('v1')] }] });
    new VirtualService(chart, 'classic', { routingApi: RoutingApi.CLASSIC, hosts: ['other'], http: [{ to: [Destination.toHost('other')] }] });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'HTTPRoute', 'gamma').apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(findDoc(docs, 'VirtualService', 'classic').apiVersion).toBe('networking.istio.io/v1');
    expect(ofKind(docs, 'DestinationRule')).toEqual([]);
    expectSchemaValid(docs);
  });

  test('a value that is not a RoutingApi, chosen for the App itself: refused naming the App', () => {
    expectMeshError(() => useRoutingApi(new App(), 'istio-gateway-api' as RoutingApi), 'App', 'routingApi', '"istio-gateway-api" is not a routing API');
  });

  test('chosen after constructs were added: refused with the fix', () => {
    const chart = new Chart(new App(), 'test');
    service(chart, 'reviews');
    expectMeshError(() => useRoutingApi(chart, RoutingApi.GATEWAY_API), 'test', 'routingApi', 'before adding constructs');
  });
});

describe('features without a Gateway API equivalent fail with the feature, the construct path and the way out', () => {
  test('fault injection (Bookinfo\'s ratings-test-delay and ratings-test-abort scenarios)', () => {
    for (const scenario of ['virtual-service-ratings-test-delay', 'virtual-service-ratings-test-abort']) {
      const { app, base } = bookinfoGatewayApiApp();
      const chart = new Chart(app, scenario, { namespace: base.namespace });
      expectMeshError(() => BOOKINFO_SCENARIOS[scenario](chart, base), `${scenario}/ratings-route`, 'http[0].fault',
        'Fault injection has no Gateway API equivalent', WAY_OUT);
    }
  });

  test('DestinationRule subsets (Bookinfo\'s details-v2 scenario)', () => {
    const { app, base } = bookinfoGatewayApiApp();
    const chart = new Chart(app, 'details-v2', { namespace: base.namespace });
    expectMeshError(() => BOOKINFO_SCENARIOS['virtual-service-details-v2'](chart, base), 'bookinfo', 'rules', 'no DestinationRule subsets');
  });

  const cases: [string, (chart: Chart) => void, string, string, string][] = [
    ['retries', c => { const s = service(c, 'a'); new VirtualService(c, 'vs', { hosts: [s], http: [{ to: [s.version('v1')], retries: { attempts: 2 } }] }); },
      'test/vs', 'http[0].retries', 'A retry policy'],
    ['a source-label match', c => {
      const s = service(c, 'a');
      new VirtualService(c, 'vs', { hosts: [s], http: [{ match: [HttpMatch.sourceLabels({ app: 'b' })], to: [s.version('v1')] }] });
    }, 'test/vs', 'http[0].match[0].sourceLabels', 'source workload'],
    ['a port match', c => {
      const s = service(c, 'a');
      new VirtualService(c, 'vs', { hosts: [s], http: [{ match: [HttpMatch.port(9080)], to: [s.version('v1')] }] });
    }, 'test/vs', 'http[0].match[0].port', 'A match on the port'],
    ['JWT-claim routing', c => {
      const s = service(c, 'a');
      new VirtualService(c, 'vs', {
        hosts: [s], http: [{ match: [HttpMatch.header('@request.auth.claims.group', StringMatch.exact('admin'))], to: [s.version('v1')] }],
      });
    }, 'test/vs', 'http[0].match[0].headers.@request.auth.claims.group', 'Routing on a JWT claim'],
    ['a regex rewrite', c => {
      const s = service(c, 'a');
      new VirtualService(c, 'vs', { hosts: [s], http: [{ match: [HttpMatch.regex('/v[0-9]+/.*')], rewrite: { uri: '/' }, to: [s.version('v1')] }] });
    }, 'test/vs', 'http[0].rewrite.uri', 'a regex rewrite'],
    ['a subset of an explicit DestinationRule', c => {
      const s = service(c, 'a');
      const rule = new DestinationRule(c, 'rule', { host: s, subsets: [Subset.version('v1')] });
      new VirtualService(c, 'vs', { hosts: [s], http: [{ to: [Destination.toSubset(rule, 'v1')] }] });
    }, 'test/vs', 'http[0].route[0].destination.subset', 'no DestinationRule subsets'],
    ['an external host', c => {
      new VirtualService(c, 'vs', { hosts: ['api.example.com'], http: [{ to: [Destination.toHost('api.example.com')] }] });
    }, 'test/vs', 'http[0].route[0].destination.host', 'is not a Kubernetes Service'],
    ['exportTo', c => { new VirtualService(c, 'vs', { hosts: ['a'], exportTo: ['.'], http: [{ to: [Destination.toHost('a')] }] }); },
      'test/vs', 'exportTo', 'exportTo has no Gateway API equivalent'],
    ['a gateway selector', c => {
      new Gateway(c, 'gw', { selector: { istio: 'ingressgateway' }, servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
    }, 'test/gw', 'selector', 'Istio deploys a gateway for each Gateway'],
    ['client certificate validation', c => {
      new Gateway(c, 'gw', { servers: [{ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['a.example.com'], tls: GatewayTls.mutual('cert') }] });
    }, 'test/gw', 'servers[0].tls', 'MUTUAL'],
    ['a certificate Secret of another namespace', c => {
      new Gateway(c, 'gw', { servers: [{ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['a.example.com'], tls: GatewayTls.simple('istio-system/cert') }] });
    }, 'test/gw', 'servers[0].tls.credentialName', '"istio-system/cert" is a Secret of namespace istio-system, but a Gateway API listener\'s certificate'],
  ];
  test.each(cases)('%s', (_name, build, path, field, fragment) => {
    const { chart } = gatewayApiChart();
    expectMeshError(() => build(chart), path, field, fragment, 'Gateway API');
  });

  test('Istio\'s kubernetes:// and <own namespace>/ forms of a credentialName become the Secret\'s name in certificateRefs', () => {
    for (const credential of ['kubernetes://cert', 'shop/cert', 'cert']) {
      const { chart } = gatewayApiChart();
      new Gateway(chart, 'gw', { servers: [{ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['a.example.com'], tls: GatewayTls.simple(credential) }] });
      const gateway = Testing.synth(chart).find(d => d.kind === 'Gateway');
      expect(gateway.spec.listeners[0].tls).toEqual({ mode: 'Terminate', certificateRefs: [{ name: 'cert' }] });
    }
  });
});

describe('what an HTTPRoute says', () => {
  test('matches, header filters, rewrite, mirror, timeout, weights and a cross-namespace MeshService backend with its grant', () => {
    const app = gatewayApiApp();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const backend = new Chart(app, 'backend', { namespace: 'backend' });
    const api = service(backend, 'api', { versions: { v1: { image: 'a:1' }, v2: { image: 'a:2' } } });
    const web = service(shop, 'web');
    new VirtualService(shop, 'api-route', {
      hosts: [web],
      http: [{
        name: 'beta',
        match: [HttpMatch.prefix('/api').and(HttpMatch.header('x-beta', StringMatch.prefix('yes'))).and(HttpMatch.method('get'))],
        rewrite: { uri: '/' },
        headers: { request: { set: { 'x-from': 'web' } }, response: { remove: ['server'] } },
        to: [api.version('v1').withWeight(90), api.version('v2').withWeight(10).withHeaders({ request: { add: { 'x-canary': '1' } } })],
        mirror: Destination.toService(web),
        mirrorPercentage: 5,
        timeout: Duration.seconds(3),
      }],
    });
    const docs = [...docsOf(shop), ...docsOf(backend)];
    const route = findDoc(docs, 'HTTPRoute', 'api-route');
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'web', port: 9080 }]);
    expect(route.spec.rules).toEqual([{
      name: 'beta',
      matches: [{
        path: { type: 'PathPrefix', value: '/api' },
        headers: [{ name: 'x-beta', type: 'RegularExpression', value: '^yes.*' }],
        method: 'GET',
      }],
      filters: [
        { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-from', value: 'web' }] } },
        { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['server'] } },
        { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
        { type: 'RequestMirror', requestMirror: { backendRef: { name: 'web', port: 9080 }, percent: 5 } },
      ],
      backendRefs: [
        { name: 'api-v1', namespace: 'backend', port: 9080, weight: 90 },
        {
          name: 'api-v2',
          namespace: 'backend',
          port: 9080,
          weight: 10,
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x-canary', value: '1' }] } }],
        },
      ],
      timeouts: { request: '3s' },
    }]);
    const grant = findDoc(docs, 'ReferenceGrant', 'shop-routes');
    expect(grant.metadata.namespace).toBe('backend');
    expect(grant.spec).toEqual({ from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }] });
    expect(findDoc(docs, 'Service', 'api-v2').spec.selector).toEqual({ app: 'api', version: 'v2' });
    expectSchemaValid(docs);
  });

  test('a Service in another namespace the app does not define needs a ReferenceGrant; one written with the construct satisfies it', () => {
    const { app, chart } = gatewayApiChart();
    new VirtualService(chart, 'vs', { hosts: ['web'], http: [{ to: [Destination.toHost('legacy.billing.svc.cluster.local', { port: 80 })] }] });
    expectProblem(validationProblems(app), 'test/vs', 'http[0].route[0].destination', 'Service billing/legacy', 'new ReferenceGrant');
    new ReferenceGrant(chart, 'billing-grant', { namespace: 'billing', from: [{ kind: 'HTTPRoute', namespace: 'shop' }], to: [{ name: 'legacy' }] });
    expect(validationProblems(app)).toEqual([]);
  });
});

describe('the Gateway', () => {
  test('food delivery: the HTTP listener redirects to HTTPS by a route of its own, the ingress route attaches to the HTTPS listener', () => {
    const { app } = foodDeliveryGatewayApiApp();
    const docs = app.charts.flatMap(c => c.toJson());
    const gateway = findDoc(docs, 'Gateway', 'food-gateway');
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.port, l.protocol, l.hostname])).toEqual([
      ['http', 80, 'HTTP', 'food.example.com'], ['https', 443, 'HTTPS', 'food.example.com'],
    ]);
    expect(gateway.spec.listeners[1].tls).toEqual({ mode: 'Terminate', certificateRefs: [{ name: 'food-delivery-tls' }] });
    const redirect = findDoc(docs, 'HTTPRoute', 'food-gateway-https-redirect');
    expect(redirect.spec).toEqual({
      parentRefs: [{ name: 'food-gateway', sectionName: 'http' }],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
    const ingress = findDoc(docs, 'HTTPRoute', 'food-ingress');
    expect(ingress.spec.parentRefs).toEqual([{ name: 'food-gateway', sectionName: 'https' }]);
    expect(ingress.spec.hostnames).toEqual(['food.example.com']);
    // The payment route keeps its classic form (source labels and retries), with its subset.
    expect(findDoc(docs, 'VirtualService', 'payment').apiVersion).toBe('networking.istio.io/v1');
    expect(findDoc(docs, 'AuthorizationPolicy', 'order-allow').spec.rules[0].from[0].source.principals)
      .toEqual(['cluster.local/ns/food-delivery/sa/food-gateway-istio']);
  });

  test('Caller.ingressGateway() without names, in an app whose ingress is a Gateway API Gateway, fails with the deployed gateway\'s names', () => {
    const { app, chart } = gatewayApiChart();
    const gateway = new Gateway(chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
    const web = service(chart, 'web');
    new VirtualService(chart, 'web-route', { hosts: ['shop.example.com'], gateways: [gateway], http: [{ to: [Destination.toService(web)] }] });
    web.allowFrom(Caller.ingressGateway());
    expectProblem(validationProblems(app), 'test/web/AllowPolicy', 'rules[0].from[0].source',
      "Caller.ingressGateway() is Istio's classic ingress gateway", 'the Gateway API Gateway shop/gw',
      "Caller.ingressGateway('shop', 'gw-istio')");
    const named = gatewayApiChart();
    const namedGateway = new Gateway(named.chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
    const namedWeb = service(named.chart, 'web');
    new VirtualService(named.chart, 'r', { hosts: ['shop.example.com'], gateways: [namedGateway], http: [{ to: [Destination.toService(namedWeb)] }] });
    const { namespace, name } = deployedGateway(namedGateway);
    namedWeb.allowFrom(Caller.ingressGateway(namespace, name));
    expect(validationProblems(named.app)).toEqual([]);
  });

  test('a route for a host no listener serves fails the synth (KIA1401), as the classic rendering warns (IST0132)', () => {
    const app = new App();
    useRoutingApi(app, RoutingApi.GATEWAY_API);
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'shop');
    const gateway = new Gateway(chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
    const web = service(chart, 'web');
    new VirtualService(chart, 'web-route', { hosts: ['shop.exmaple.com'], gateways: [gateway], http: [{ to: [Destination.toService(web)] }] });
    expect(() => synthesize(app)).toThrow(/KIA1401.*that takes the route serves its hostnames \(shop\.exmaple\.com\)/);
  });

  test('a route in another namespace opens the listener to that namespace only; a classic Gateway cannot take Gateway API routes', () => {
    const app = gatewayApiApp();
    const edge = new Chart(app, 'edge', { namespace: 'edge' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const gateway = new Gateway(edge, 'gw', { servers: [{ port: 8080, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
    const web = service(shop, 'web');
    new VirtualService(shop, 'web-route', { hosts: ['shop.example.com'], gateways: [gateway], http: [{ to: [Destination.toService(web)] }] });
    const listener = findDoc(docsOf(edge), 'Gateway', 'gw').spec.listeners[0];
    expect(listener.port).toBe(80);
    expect(listener.allowedRoutes.namespaces).toEqual({
      from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['edge', 'shop'] }] },
    });
    expect(findDoc(docsOf(shop), 'HTTPRoute', 'web-route').spec.parentRefs).toEqual([{ name: 'gw', namespace: 'edge' }]);
    const classic = new Gateway(edge, 'classic', { routingApi: RoutingApi.CLASSIC, servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
    expectMeshError(() => new VirtualService(shop, 'other', { hosts: ['*'], gateways: [classic], http: [{ to: [Destination.toService(web)] }] }),
      'shop/other', 'gateways[0]', 'renders to Istio\'s Gateway kind');
  });
});
