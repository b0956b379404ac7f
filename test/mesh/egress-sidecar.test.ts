import { ApiObject, Chart } from 'cdk8s';
import { AuthorizationPolicy, Caller, Destination, EgressGatewayRoute, EgressProtocol, MeshService, RoutingApi, Sidecar, VirtualService, routeOf } from '../../lib';
import { docsOf, expectMeshError, expectProblem, expectSchemaValid, findDoc, newChart, service, validationProblems } from '../support/constructs';

const EGRESS = 'istio-egressgateway.istio-system.svc.cluster.local';

describe('EgressGatewayRoute', () => {
  test('HTTP: the four resources of Istio\'s egress gateway task (edition.cnn.com on port 80), valid against their CRDs', () => {
    const { chart } = newChart('default');
    const route = new EgressGatewayRoute(chart, 'cnn', { name: 'cnn', host: 'edition.cnn.com', protocol: EgressProtocol.HTTP });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'ServiceEntry', 'cnn').spec).toEqual({
      hosts: ['edition.cnn.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], location: 'MESH_EXTERNAL', resolution: 'DNS',
    });
    expect(findDoc(docs, 'Gateway', 'cnn-egressgateway').spec).toEqual({
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['edition.cnn.com'] }],
    });
    expect(findDoc(docs, 'DestinationRule', 'cnn-egressgateway').spec).toEqual({
      host: EGRESS, subsets: [{ name: 'cnn', labels: { istio: 'egressgateway' } }],
    });
    expect(findDoc(docs, 'VirtualService', 'direct-cnn-through-egress-gateway').spec).toEqual({
      hosts: ['edition.cnn.com'],
      gateways: ['cnn-egressgateway', 'mesh'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: EGRESS, subset: 'cnn', port: { number: 80 } } }] },
        { match: [{ gateways: ['cnn-egressgateway'], port: 80 }], route: [{ destination: { host: 'edition.cnn.com', port: { number: 80 } }, weight: 100 }] },
      ],
    });
    expect(route.egressGatewayHost).toBe(EGRESS);
    expectSchemaValid(docs);
  });

  test('HTTP: a sidecar\'s request goes to the egress gateway, and the egress gateway sends it on to the host (route simulation)', () => {
    const { chart } = newChart('default');
    new EgressGatewayRoute(chart, 'cnn', { name: 'cnn', host: 'edition.cnn.com', protocol: EgressProtocol.HTTP });
    const client = service(chart, 'client');
    expect(routeOf(chart, { host: 'edition.cnn.com', port: 80, from: client })).toEqual([{ host: EGRESS, subset: 'cnn', port: 80, percent: 100 }]);
    expect(routeOf(chart, { host: 'edition.cnn.com', port: 80, from: { gateway: 'default/cnn-egressgateway', namespace: 'istio-system' } }))
      .toEqual([{ host: 'edition.cnn.com', port: 80, percent: 100 }]);
  });

  test('TLS: passed through by SNI on 443, the egress gateway\'s Gateway in PASSTHROUGH mode', () => {
    const { chart } = newChart('default');
    new EgressGatewayRoute(chart, 'cnn', { name: 'cnn', host: 'edition.cnn.com', protocol: EgressProtocol.TLS });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'Gateway', 'cnn-egressgateway').spec.servers).toEqual([
      { port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['edition.cnn.com'], tls: { mode: 'PASSTHROUGH' } },
    ]);
    expect(findDoc(docs, 'VirtualService', 'direct-cnn-through-egress-gateway').spec.tls).toEqual([
      { match: [{ gateways: ['mesh'], port: 443, sniHosts: ['edition.cnn.com'] }], route: [{ destination: { host: EGRESS, subset: 'cnn', port: { number: 443 } } }] },
      {
        match: [{ gateways: ['cnn-egressgateway'], port: 443, sniHosts: ['edition.cnn.com'] }],
        route: [{ destination: { host: 'edition.cnn.com', port: { number: 443 } }, weight: 100 }],
      },
    ]);
    expectSchemaValid(docs);
  });

  test('a host port other than the default goes through the egress gateway Service\'s port (80/443), which the install exposes', () => {
    const { chart } = newChart('default');
    const route = new EgressGatewayRoute(chart, 'api', { name: 'api', host: 'api.example.com', protocol: EgressProtocol.TLS, port: 8443 });
    const docs = docsOf(chart);
    expect(route.gatewayPort).toBe(443);
    expect(findDoc(docs, 'ServiceEntry', 'api').spec.ports).toEqual([{ number: 8443, name: 'tls', protocol: 'TLS' }]);
    expect(findDoc(docs, 'Gateway', 'api-egressgateway').spec.servers[0].port).toEqual({ number: 443, name: 'tls', protocol: 'TLS' });
    expect(findDoc(docs, 'VirtualService', 'direct-api-through-egress-gateway').spec.tls).toEqual([
      { match: [{ gateways: ['mesh'], port: 8443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: EGRESS, subset: 'api', port: { number: 443 } } }] },
      {
        match: [{ gateways: ['api-egressgateway'], port: 443, sniHosts: ['api.example.com'] }],
        route: [{ destination: { host: 'api.example.com', port: { number: 8443 } }, weight: 100 }],
      },
    ]);
    const custom = new EgressGatewayRoute(chart, 'web', {
      name: 'web',
      host: 'web.example.com',
      protocol: EgressProtocol.HTTP,
      port: 8080,
      egressGateway: { port: 8081 },
    });
    expect(findDoc(docsOf(chart), 'Gateway', 'web-egressgateway').spec.servers[0].port.number).toBe(custom.gatewayPort);
    // a sidecar calling web.example.com:8080 reaches the egress gateway on 8081, which sends it on to 8080
    const client = service(chart, 'client');
    expect(routeOf(chart, { host: 'web.example.com', port: 8080, from: client })).toEqual([{ host: EGRESS, subset: 'web', port: 8081, percent: 100 }]);
    expect(routeOf(chart, { host: 'web.example.com', port: 8081, from: { gateway: 'default/web-egressgateway', namespace: 'istio-system' } }))
      .toEqual([{ host: 'web.example.com', port: 8080, percent: 100 }]);
    expectSchemaValid(docsOf(chart));
    // the same host from another port through the same gateway port: the two Gateways would claim one host and port
    const clash = newChart('default');
    new EgressGatewayRoute(clash.chart, 'web80', { name: 'web80', host: 'web.example.com', protocol: EgressProtocol.HTTP });
    new EgressGatewayRoute(clash.chart, 'web8080', { name: 'web8080', host: 'web.example.com', protocol: EgressProtocol.HTTP, port: 8080 });
    expectProblem(validationProblems(clash.app), 'test/web8080', 'egressGateway.port', 'test/web80 also sends web.example.com (from port 80)',
      'through port 80 of the egress gateway', 'another egressGateway.port');
    expectMeshError(() => new EgressGatewayRoute(chart, 'bad', {
      name: 'bad',
      host: 'b.example.com',
      protocol: EgressProtocol.HTTP,
      egressGateway: { port: 0 },
    }), 'test/bad', 'egressGateway.port');
  });

  test('refuses wildcard hosts, bad names and ports, empty selectors', () => {
    const { chart } = newChart();
    expectMeshError(() => new EgressGatewayRoute(chart, 'a', { name: 'a', host: '*.cnn.com', protocol: EgressProtocol.TLS }), 'test/a', 'host', 'wildcard');
    for (const host of ['reviews', 'reviews.shop.svc.cluster.local', 'reviews.shop.svc', 'db.cluster.local']) {
      expectMeshError(() => new EgressGatewayRoute(chart, `in-${host}`, { name: 'internal', host, protocol: EgressProtocol.TLS }), `test/in-${host}`, 'host',
        'a name inside the cluster', 'external host');
    }
    expect(new EgressGatewayRoute(chart, 'svc-like', { name: 'svc-like', host: 'api.svc.example.com', protocol: EgressProtocol.TLS }).host)
      .toBe('api.svc.example.com');
    expectMeshError(() => new EgressGatewayRoute(chart, 'b', { name: 'B!', host: 'cnn.com', protocol: EgressProtocol.TLS }), 'test/b', 'name');
    expectMeshError(() => new EgressGatewayRoute(chart, 'c', { name: 'c', host: 'cnn.com', protocol: EgressProtocol.TLS, port: 0 }), 'test/c', 'port');
    expectMeshError(() => new EgressGatewayRoute(chart, 'd', { name: 'd', host: 'cnn.com', protocol: EgressProtocol.HTTP, egressGateway: { selector: {} } }),
      'test/d', 'egressGateway.selector', 'empty selector');
  });
});

describe('Sidecar', () => {
  test('egress hosts come from allowFrom, the mesh routes of the called hosts, and egress routes listing the caller', () => {
    const { chart } = newChart();
    const web = service(chart, 'web');
    web.allowFrom(Caller.ingressGateway()); // web takes calls from the ingress only: no other Sidecar lists it
    const api = service(chart, 'api');
    const apiV2 = new MeshService(chart, 'api-next', { port: 9080, versions: { v1: { image: 'example/api:2' } } });
    const db = service(chart, 'db');
    api.allowFrom(web);
    db.allowFrom(api);
    apiV2.allowFrom(Caller.service(web));
    // Web's calls to api are mirrored to api-next: web's proxy needs both.
    new VirtualService(chart, 'api-route', { hosts: [api], http: [{ to: [api.version('v1')], mirror: Destination.toService(apiV2) }] });
    new EgressGatewayRoute(chart, 'cnn', { name: 'cnn', host: 'edition.cnn.com', protocol: EgressProtocol.TLS, callers: [web] });
    const webSidecar = new Sidecar(chart, 'web-sidecar', { workload: web });
    new Sidecar(chart, 'db-sidecar', { workload: db, includeIstioSystem: false, egressHosts: ['./db-backup.example.com'] });
    new Sidecar(chart, 'namespace-sidecar', { registryOnly: false });
    const docs = docsOf(chart);
    expect(webSidecar.egressHosts).toEqual([
      'istio-system/*', `istio-system/${EGRESS}`, 'shop/api-next.shop.svc.cluster.local', 'shop/api.shop.svc.cluster.local', 'shop/edition.cnn.com',
    ]);
    expect(findDoc(docs, 'Sidecar', 'web').spec).toEqual({
      workloadSelector: { labels: { app: 'web' } },
      egress: [{ hosts: webSidecar.egressHosts }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    // db calls nobody the app declares: only what it is given
    expect(findDoc(docs, 'Sidecar', 'db').spec.egress).toEqual([{ hosts: ['./db-backup.example.com'] }]);
    // the namespace's Sidecar covers every workload: web's and api's calls
    const namespaceWide = findDoc(docs, 'Sidecar', 'default').spec;
    expect(namespaceWide.workloadSelector).toBeUndefined();
    expect(namespaceWide.egress[0].hosts).toEqual(expect.arrayContaining(['shop/api.shop.svc.cluster.local', 'shop/db.shop.svc.cluster.local']));
    expect(namespaceWide.outboundTrafficPolicy).toEqual({ mode: 'ALLOW_ANY' });
    expectSchemaValid(docs);
  });

  test('a policy admitting the workload by namespace, a wildcard principal or any caller adds its services, as does having no policy', () => {
    const { chart } = newChart();
    const web = service(chart, 'web');
    web.allowFrom(Caller.ingressGateway()); // web takes calls from the ingress only: no other Sidecar lists it
    const [api, cart, ledger, search, reviews] = ['api', 'cart', 'ledger', 'search', 'reviews'].map(name => service(chart, name));
    // no ALLOW policy applies to it: it accepts every caller, so every Sidecar lists it
    const unguarded = service(chart, 'unguarded');
    api.allowFrom(Caller.namespace('shop'));
    service(chart, 'db').allowFrom(Caller.namespace('payments'));
    new AuthorizationPolicy(chart, 'cart-policy', { selector: cart, rules: [{ from: [{ principals: ['cluster.local/ns/shop/*'] }] }] });
    // every namespace but those starting with "sh": not web's
    new AuthorizationPolicy(chart, 'ledger-policy', { selector: ledger, rules: [{ from: [{ namespaces: ['*'], notNamespaces: ['sh*'] }] }] });
    search.allowFrom(Caller.any());
    // attached to one Service (as for a waypoint): that Service is called, not every one of the namespace
    new AuthorizationPolicy(chart, 'reviews-policy', { targetRefs: [{ kind: 'Service', name: reviews.name }], rules: [{ from: [Caller.service(web)] }] });
    const sidecar = new Sidecar(chart, 'web-sidecar', { workload: web });
    expect(sidecar.egressHosts).toEqual(['istio-system/*', ...[api, cart, reviews, search, unguarded].map(s => `shop/${s.fqdn}`)]);
    expect(findDoc(docsOf(chart), 'Sidecar', 'web').spec.egress).toEqual([{ hosts: sidecar.egressHosts }]);
  });

  test('a mesh-wide ALLOW policy (the root namespace, no selector) applies to every service: an allow-nothing one leaves none open', () => {
    const { chart } = newChart();
    const web = service(chart, 'web');
    const api = service(chart, 'api');
    service(chart, 'db');
    api.allowFrom(web);
    const sidecar = new Sidecar(chart, 'web-sidecar', { workload: web });
    expect(sidecar.egressHosts).toEqual(['istio-system/*', 'shop/api.shop.svc.cluster.local', 'shop/db.shop.svc.cluster.local',
      'shop/web.shop.svc.cluster.local']);
    new AuthorizationPolicy(chart, 'allow-nothing', { namespace: 'istio-system' });
    expect(sidecar.egressHosts).toEqual(['istio-system/*', 'shop/api.shop.svc.cluster.local']);
  });

  test('ServiceAccount sources admit, notPrincipals exclude; an empty list of a source is not set; the root namespace can be another', () => {
    const { chart } = newChart();
    const web = service(chart, 'web');
    web.allowFrom(Caller.ingressGateway());
    const [api, pay, admin] = ['api', 'pay', 'admin'].map(name => service(chart, name));
    new AuthorizationPolicy(chart, 'api-policy', { selector: api, rules: [{ from: [{ serviceAccounts: ['shop/web'] }] }] });
    new AuthorizationPolicy(chart, 'pay-policy', { selector: pay, rules: [{ from: [{ principals: [], namespaces: ['shop'] }] }] });
    new AuthorizationPolicy(chart, 'admin-policy', { selector: admin, rules: [{ from: [{ namespaces: ['shop'], notPrincipals: ['cluster.local/ns/shop/sa/web'] }] }] });
    const sidecar = new Sidecar(chart, 'web-sidecar', { workload: web });
    expect(sidecar.egressHosts).toEqual(['istio-system/*', `shop/${api.fqdn}`, `shop/${pay.fqdn}`]);
    // an allow-nothing policy in the root namespace the Sidecar is told of guards every service
    service(chart, 'open');
    const rooted = new Sidecar(chart, 'rooted', { workload: web, rootNamespace: 'mesh-root' });
    expect(rooted.egressHosts).toContain('shop/open.shop.svc.cluster.local');
    new AuthorizationPolicy(chart, 'allow-nothing', { namespace: 'mesh-root' });
    expect(rooted.egressHosts).not.toContain('shop/open.shop.svc.cluster.local');
    expectMeshError(() => new Sidecar(chart, 'bad-root', { rootNamespace: 'Mesh Root' }), 'test/bad-root', 'rootNamespace');
  });

  test('a principal written with cluster.local admits in another trust domain; a namespace Sidecar without services takes namespace rules', () => {
    const { chart } = newChart('shop', { 'cdk8s-istio/trustDomain': 'example.org' });
    const web = service(chart, 'web');
    web.allowFrom(Caller.ingressGateway());
    const api = service(chart, 'api');
    new AuthorizationPolicy(chart, 'api-policy', { selector: api, rules: [{ from: [{ principals: ['cluster.local/ns/shop/sa/web'] }] }] });
    expect(new Sidecar(chart, 'web-sidecar', { workload: web }).egressHosts).toContain(`shop/${api.fqdn}`);
    const batch = newChart('batch');
    const shop = new Chart(batch.app, 'shop', { namespace: 'shop' });
    const [open, fromBatch, other] = ['open', 'from-batch', 'other'].map(name => service(shop, name));
    open.allowFrom(Caller.any());
    fromBatch.allowFrom(Caller.namespace('batch'));
    other.allowFrom(Caller.namespace('web'));
    expect(new Sidecar(batch.chart, 'jobs').egressHosts).toEqual(['istio-system/*', `shop/${fromBatch.fqdn}`, `shop/${open.fqdn}`]);
  });

  test('Services and ALLOW policies written as plain ApiObjects count as the library\'s do', () => {
    const { chart } = newChart();
    const web = service(chart, 'web');
    web.allowFrom(Caller.ingressGateway());
    new ApiObject(chart, 'redis', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'redis' },
      spec: { selector: { app: 'redis' }, ports: [{ name: 'tcp-redis', port: 6379 }] },
    });
    const api = service(chart, 'api');
    api.allowFrom(Caller.namespace('admin'));
    new ApiObject(chart, 'api-from-web', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'api-from-web' },
      spec: { selector: { matchLabels: { app: 'api' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }] },
    });
    expect(new Sidecar(chart, 'web-sidecar', { workload: web }).egressHosts)
      .toEqual(['istio-system/*', `shop/${api.fqdn}`, 'shop/redis.shop.svc.cluster.local']);
  });

  test('a mesh route rendered to the Gateway API (an HTTPRoute on the Service) adds the version Services it sends to', () => {
    const { chart } = newChart();
    const web = service(chart, 'web');
    web.allowFrom(Caller.ingressGateway()); // web takes calls from the ingress only: no other Sidecar lists it
    const api = new MeshService(chart, 'api', { port: 9080, versions: { v1: { image: 'example/api:1' }, v2: { image: 'example/api:2' } } });
    api.allowFrom(web);
    new VirtualService(chart, 'api-route', {
      hosts: [api], routingApi: RoutingApi.GATEWAY_API, http: [{ to: [api.version('v1').withWeight(90), api.version('v2').withWeight(10)] }],
    });
    const sidecar = new Sidecar(chart, 'web-sidecar', { workload: web });
    expect(findDoc(docsOf(chart), 'HTTPRoute', 'api-route').spec.rules[0].backendRefs.map((b: { name: string }) => b.name)).toEqual(['api-v1', 'api-v2']);
    expect(sidecar.egressHosts).toEqual([
      'istio-system/*', 'shop/api-v1.shop.svc.cluster.local', 'shop/api-v2.shop.svc.cluster.local', 'shop/api.shop.svc.cluster.local',
    ]);
  });

  test('refuses egress hosts without a namespace, and a Sidecar with no egress host at all', () => {
    const { app, chart } = newChart();
    const web = service(chart, 'web');
    web.allowFrom(Caller.ingressGateway()); // web takes calls from the ingress only: no other Sidecar lists it
    expectMeshError(() => new Sidecar(chart, 'a', { egressHosts: ['reviews'] }), 'test/a', 'egressHosts[0]', '<namespace>/<host>');
    // another namespace's name for a Service is accepted: it imports that namespace's config for the host (a client-side
    // VirtualService or DestinationRule, a ServiceEntry)
    expect(new Sidecar(newChart().chart, 'c', { egressHosts: ['shop/reviews.bookinfo.svc.cluster.local'] }).egressHosts)
      .toContain('shop/reviews.bookinfo.svc.cluster.local');
    new Sidecar(chart, 'b', { workload: web, includeIstioSystem: false });
    expectProblem(validationProblems(app), 'test/b', 'egressHosts', 'reach nothing');
  });
});
