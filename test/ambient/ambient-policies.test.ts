import {
  AuthorizationAction, AuthorizationPolicy, Caller, MeshEnrollment, MeshNamespace, MeshService, MtlsMode, PeerAuthentication, PortProtocol,
  RequestAuthentication,
  RoutingApi, VirtualService, Waypoint,
} from '../../lib';
import { docsOf, expectProblem, expectSchemaValid, findDoc, newChart, ofKind, service, validationProblems } from '../support/constructs';

const JWT = { issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' };

function ambientChart() {
  const { app, chart } = newChart('shop');
  const ns = new MeshNamespace(chart, 'shop', { enrollment: MeshEnrollment.AMBIENT });
  return { app, chart, ns, orders: service(chart, 'orders'), web: service(chart, 'web') };
}

describe('authorization in ambient namespaces', () => {
  test('with a waypoint, allowFrom attaches the policy to the Service and lets ztunnel accept only the waypoint', () => {
    const { app, chart, ns, orders, web } = ambientChart();
    ns.addWaypoint();
    orders.allowFrom(web, { methods: ['GET'] });
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    expect(findDoc(docs, 'AuthorizationPolicy', 'orders-allow').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'orders' }],
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { methods: ['GET'] } }] }],
    });
    expect(findDoc(docs, 'AuthorizationPolicy', 'orders-ztunnel').spec).toEqual({
      selector: { matchLabels: { app: 'orders' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/waypoint'] } }] }],
    });
    expectSchemaValid(docs);
  });

  test('the order does not matter: a waypoint added after the policy still attaches it, and one ztunnel policy per service', () => {
    const { app, chart, ns, orders, web } = ambientChart();
    orders.allowFrom(web, { methods: ['GET'] });
    new AuthorizationPolicy(chart, 'orders-deny-admin', {
      selector: orders, action: AuthorizationAction.DENY, rules: [{ to: [{ paths: ['/admin*'] }] }],
    });
    ns.addWaypoint({ name: 'shop-waypoint' });
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    expect(findDoc(docs, 'AuthorizationPolicy', 'orders-allow').spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'orders' }]);
    expect(findDoc(docs, 'AuthorizationPolicy', 'orders-deny-admin').spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'orders' }]);
    expect(ofKind(docs, 'AuthorizationPolicy').map(d => d.metadata.name).sort()).toEqual(['orders-allow', 'orders-deny-admin', 'orders-ztunnel']);
    expect(findDoc(docs, 'AuthorizationPolicy', 'orders-ztunnel').spec.rules[0].from[0].source.principals)
      .toEqual(['cluster.local/ns/shop/sa/shop-waypoint']);
  });

  test('a service\'s own waypoint wins over the namespace\'s, in the ztunnel policy too', () => {
    const { app, chart, ns, orders, web } = ambientChart();
    ns.addWaypoint();
    orders.allowFrom(web);
    new Waypoint(chart, 'orders-waypoint').enroll(orders);
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'orders-ztunnel').spec.rules[0].from[0].source.principals)
      .toEqual(['cluster.local/ns/shop/sa/orders-waypoint']);
  });

  test('without a waypoint, L4 rules stay on ztunnel with the selector', () => {
    const { app, chart, orders, web } = ambientChart();
    orders.allowFrom(web, { ports: [9080] });
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    expect(findDoc(docs, 'AuthorizationPolicy', 'orders-allow').spec).toEqual({
      selector: { matchLabels: { app: 'orders' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['9080'] } }] }],
    });
    expect(ofKind(docs, 'AuthorizationPolicy')).toHaveLength(1);
  });

  test.each([
    ['methods', { methods: ['GET'] }, 'rules[0].to[0].operation.methods'],
    ['paths', { paths: ['/api/*'] }, 'rules[0].to[0].operation.paths'],
  ])('without a waypoint, an L7 rule (%s) fails synthesis with the fix', (_, options, field) => {
    const { app, orders, web } = ambientChart();
    orders.allowFrom(web, options);
    expectProblem(validationProblems(app), 'test/orders/AllowPolicy', field,
      'L7 attribute', 'no waypoint serves test/orders', 'DENY of all traffic', 'MeshNamespace.addWaypoint()');
  });

  test('without a waypoint, a JWT requirement and a CUSTOM policy fail too; a request condition as well', () => {
    const { app, chart, orders } = ambientChart();
    new RequestAuthentication(chart, 'orders-jwt', { selector: orders, jwtRules: [JWT] }).requireJwt();
    new AuthorizationPolicy(chart, 'ext-authz', { selector: orders, action: AuthorizationAction.CUSTOM, provider: 'oauth2', rules: [{}] });
    new AuthorizationPolicy(chart, 'by-header', { selector: orders, rules: [{ when: [{ key: 'request.headers[x-tenant]', values: ['a'] }] }] });
    const problems = validationProblems(app);
    expectProblem(problems, 'test/orders-jwt', 'jwtRules', 'no waypoint serves');
    expectProblem(problems, 'test/orders-jwt/RequireJwt-orders-jwt-require-jwt', 'rules[0].from[0].source.notRequestPrincipals', 'L7 attribute');
    expectProblem(problems, 'test/ext-authz', 'action', 'L7 attribute');
    expectProblem(problems, 'test/by-header', 'rules[0].when[0].key', 'L7 attribute');
  });

  test('gRPC methods are paths, so they need a waypoint too', () => {
    const { app, chart } = ambientChart();
    const cart = service(chart, 'cart', { ports: [{ port: 7070, protocol: PortProtocol.GRPC }] });
    cart.allowFrom(Caller.any(), { grpc: ['shop.v1.Cart/*'] });
    expectProblem(validationProblems(app), 'test/cart/AllowPolicy', 'rules[0].to[0].operation.paths', 'L7 attribute');
  });

  test('L4 conditions ztunnel evaluates pass without a waypoint', () => {
    const { app, chart, orders } = ambientChart();
    new AuthorizationPolicy(chart, 'by-ip', { selector: orders, rules: [{ when: [{ key: 'source.ip', values: ['10.0.0.0/8'] }] }] });
    expect(validationProblems(app)).toEqual([]);
  });

  test('with a waypoint, RequestAuthentication and its JWT requirement target the Service', () => {
    const { app, chart, ns, orders } = ambientChart();
    ns.addWaypoint();
    new RequestAuthentication(chart, 'orders-jwt', { selector: orders, jwtRules: [JWT] }).requireJwt({ paths: ['/api/*'] });
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    expect(findDoc(docs, 'RequestAuthentication', 'orders-jwt').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'orders' }],
      jwtRules: [{ issuer: JWT.issuer, jwksUri: JWT.jwksUri }],
    });
    expect(findDoc(docs, 'AuthorizationPolicy', 'orders-jwt-require-jwt').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'orders' }],
      action: 'DENY',
      rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/*'] } }] }],
    });
    expect(findDoc(docs, 'AuthorizationPolicy', 'orders-ztunnel').spec.selector).toEqual({ matchLabels: { app: 'orders' } });
    expectSchemaValid(docs);
  });

  test('a namespace-wide L7 policy is attached to the namespace\'s waypoint Gateway; namespace-wide L4 stays on ztunnel', () => {
    const { app, chart, ns } = ambientChart();
    ns.addWaypoint();
    ns.denyByDefault();
    new AuthorizationPolicy(chart, 'no-delete', { action: AuthorizationAction.DENY, rules: [{ to: [{ methods: ['DELETE'] }] }] });
    new RequestAuthentication(chart, 'ns-jwt', { jwtRules: [JWT] });
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    const gatewayRef = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }];
    expect(findDoc(docs, 'AuthorizationPolicy', 'no-delete').spec.targetRefs).toEqual(gatewayRef);
    expect(findDoc(docs, 'RequestAuthentication', 'ns-jwt').spec).toEqual({ targetRefs: gatewayRef, jwtRules: [{ issuer: JWT.issuer, jwksUri: JWT.jwksUri }] });
    expect(findDoc(docs, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    expectSchemaValid(docs);
  });

  test('an L7 rule on pods selected by labels is refused even with a waypoint: the labels name no Service', () => {
    const { app, chart, ns } = ambientChart();
    ns.addWaypoint();
    new AuthorizationPolicy(chart, 'by-labels', { selector: { app: 'orders' }, rules: [{ to: [{ methods: ['GET'] }] }] });
    expectProblem(validationProblems(app), 'test/by-labels', 'rules[0].to[0].operation.methods', 'pods selected by labels', 'select a MeshService');
  });

  test('explicit targetRefs are kept as written', () => {
    const { app, chart } = ambientChart();
    new AuthorizationPolicy(chart, 'on-gw', {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }], rules: [{ to: [{ methods: ['GET'] }] }],
    });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'on-gw').spec.targetRefs)
      .toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }]);
  });

  test('sidecar namespaces are unchanged: L7 rules keep the selector', () => {
    const { app, chart } = newChart('shop');
    new MeshNamespace(chart, 'shop');
    const orders = service(chart, 'orders');
    orders.allowFrom(Caller.any(), { methods: ['GET'] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'orders-allow').spec.selector).toEqual({ matchLabels: { app: 'orders' } });
  });

  test('Caller.service(waypoint) names the waypoint\'s identity', () => {
    const { app, chart, ns, orders } = ambientChart();
    const waypoint = ns.addWaypoint();
    new AuthorizationPolicy(chart, 'from-waypoint', { selector: { app: 'orders' }, rules: [{ from: [Caller.service(waypoint)] }] });
    void orders;
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'from-waypoint').spec.rules[0].from[0].source.principals)
      .toEqual(['cluster.local/ns/shop/sa/waypoint']);
  });
});

describe('mesh routes in ambient namespaces', () => {
  const canary = (chart: Parameters<typeof service>[0], orders: ReturnType<typeof service>, gateways?: string[]) =>
    new VirtualService(chart, 'orders-canary', {
      hosts: [orders], gateways, http: [{ to: [orders.version('v1').withWeight(90), orders.version('v2').withWeight(10)] }],
    });
  const twoVersions = (chart: Parameters<typeof service>[0]) =>
    new MeshService(chart, 'orders', { port: 9080, versions: { v1: { image: 'orders:1' }, v2: { image: 'orders:2' } } });

  test.each([RoutingApi.CLASSIC, RoutingApi.GATEWAY_API])('without a waypoint, a %s canary fails synthesis: ztunnel would ignore it', api => {
    const { app, chart } = newChart('shop');
    new MeshNamespace(chart, 'shop', { enrollment: MeshEnrollment.AMBIENT });
    const orders = twoVersions(chart);
    new VirtualService(chart, 'orders-canary', {
      hosts: [orders], routingApi: api, http: [{ to: [orders.version('v1').withWeight(90), orders.version('v2').withWeight(10)] }],
    });
    expectProblem(validationProblems(app), 'test/orders-canary', 'hosts[0]', 'test/orders is in ambient namespace shop and no waypoint serves it',
      'these routes would do nothing', 'MeshNamespace.addWaypoint()');
  });

  test('with a waypoint, or bound to an ingress Gateway only, the routes pass', () => {
    const served = newChart('shop');
    new MeshNamespace(served.chart, 'shop', { enrollment: MeshEnrollment.AMBIENT }).addWaypoint();
    canary(served.chart, twoVersions(served.chart));
    expect(validationProblems(served.app)).toEqual([]);

    const ingress = newChart('shop');
    new MeshNamespace(ingress.chart, 'shop', { enrollment: MeshEnrollment.AMBIENT });
    canary(ingress.chart, twoVersions(ingress.chart), ['istio-system/public-gateway']);
    expect(validationProblems(ingress.app).filter(p => p.includes('no waypoint'))).toEqual([]);
  });
});

describe('PeerAuthentication in ambient namespaces', () => {
  test('DISABLE, for the policy or a port, is refused at synthesis: ztunnel always uses mutual TLS, and Istio reads DISABLE as PERMISSIVE', () => {
    const { app, chart, ns, orders } = ambientChart();
    new PeerAuthentication(chart, 'orders-plain', { mode: MtlsMode.DISABLE, selector: orders });
    new PeerAuthentication(chart, 'orders-port', { mode: MtlsMode.STRICT, selector: orders, portLevelMtls: { 9080: MtlsMode.DISABLE } });
    ns.requireMtls(MtlsMode.DISABLE);
    const problems = validationProblems(app);
    const ignored = 'DISABLE does not turn mutual TLS off in the ambient namespace shop: ztunnel always uses it between mesh workloads, '
      + 'and Istio treats DISABLE as PERMISSIVE there. '
      + 'Fix: write PERMISSIVE to accept plain text from clients outside the mesh, or take the namespace out of ambient mode for plain text';
    expect(problems).toEqual(expect.arrayContaining([`test/orders-plain: mode: ${ignored}`, `test/orders-port: portLevelMtls.9080: ${ignored}`]));
    expect(problems.filter(p => p.includes('DISABLE does not turn mutual TLS off'))).toHaveLength(3);
  });

  test('PERMISSIVE and STRICT are accepted there, and DISABLE in a sidecar namespace', () => {
    const { app, chart, orders } = ambientChart();
    new PeerAuthentication(chart, 'orders-mtls', { mode: MtlsMode.PERMISSIVE, selector: orders, portLevelMtls: { 9080: MtlsMode.STRICT } });
    const sidecars = newChart('legacy');
    new MeshNamespace(sidecars.chart, 'legacy');
    new PeerAuthentication(sidecars.chart, 'plain', { mode: MtlsMode.DISABLE });
    expect(validationProblems(app).filter(p => p.includes('DISABLE'))).toEqual([]);
    expect(validationProblems(sidecars.app)).toEqual([]);
  });
});
