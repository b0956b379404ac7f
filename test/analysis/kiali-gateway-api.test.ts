import { analyze } from '../../lib/analysis/analyze';
import { MessageCode } from '../../lib/analysis/messages';

/**
 * The semantics of Kiali's Gateway API validations (KIA1401, KIA1402, KIA1501–KIA1503) beyond their
 * fixtures (test/fixtures/analysis/KIA14*, KIA15*): where a rule must stay quiet, the route kinds
 * and references it reads, and where this project deliberately differs from Kiali.
 */

type Doc = Record<string, any>;

const GATEWAY_API = 'gateway.networking.k8s.io';
const namespace = (name: string, labels: Record<string, string> = { 'istio-injection': 'enabled' }): Doc =>
  ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const service = (name: string, ns = 'shop'): Doc =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 9080 }] } });
const gatewayApi = (kind: string, name: string, spec: Doc, ns = 'shop', version = 'v1'): Doc =>
  ({ apiVersion: `${GATEWAY_API}/${version}`, kind, metadata: { name, namespace: ns }, spec });
const listener = (name: string, extra: Doc = {}): Doc => ({ name, hostname: 'shop.example.com', port: 80, protocol: 'HTTP', ...extra });
const gateway = (name: string, listeners: Doc[] = [listener('http')], ns = 'shop', extra: Doc = {}) =>
  gatewayApi('Gateway', name, { gatewayClassName: 'istio', listeners, ...extra }, ns);
const backend = (name = 'reviews', extra: Doc = {}): Doc => ({ name, port: 9080, ...extra });
const httpRoute = (name: string, parentRefs: Doc[], backendRefs: Doc[] = [backend()], ns = 'shop', rule: Doc = {}) =>
  gatewayApi('HTTPRoute', name, { parentRefs, rules: [{ backendRefs, ...rule }] }, ns);

const SHOP = [namespace('shop'), service('reviews')];

/** The messages of `code` for `docs`, as `<kind>/<name> <field>`. */
function found(code: MessageCode, docs: Doc[]): string[] {
  return analyze(docs).filter(m => m.code === code).map(m => `${m.resource.kind}/${m.resource.name} ${m.field ?? ''}`.trim());
}

/** The texts of the messages of `code` for `docs`. */
function texts(code: MessageCode, docs: Doc[]): string[] {
  return analyze(docs).filter(m => m.code === code).map(m => m.message);
}

describe('KIA1401 routes whose parent Gateway does not take them', () => {
  test('a sectionName or port no listener has is reported', () => {
    const docs = [...SHOP, gateway('gw'), httpRoute('a', [{ name: 'gw', sectionName: 'https' }]), httpRoute('b', [{ name: 'gw', port: 443 }])];
    expect(found('KIA1401', docs)).toEqual(['HTTPRoute/a spec.parentRefs[0].name', 'HTTPRoute/b spec.parentRefs[0].name']);
    expect(texts('KIA1401', docs)).toEqual([
      expect.stringContaining('Gateway shop/gw has no listener named https.'), expect.stringContaining('Gateway shop/gw has no listener on port 443.'),
    ]);
  });

  test('hostnames no listener that takes the route serves are reported (the Gateway API\'s NoMatchingListenerHostname)', () => {
    const withHosts = (name: string, hostnames: string[]) =>
      gatewayApi('HTTPRoute', name, { parentRefs: [{ name: 'gw' }], hostnames, rules: [{ backendRefs: [backend()] }] });
    const docs = [...SHOP, gateway('gw'), withHosts('typo', ['shop.exmaple.com']), withHosts('listed', ['shop.example.com', 'x.example.com'])];
    expect(found('KIA1401', docs)).toEqual(['HTTPRoute/typo spec.parentRefs[0].name']);
    expect(texts('KIA1401', docs)).toEqual([expect.stringContaining('no listener of Gateway shop/gw that takes the route serves its hostnames '
      + '(shop.exmaple.com); the listeners serve shop.example.com')]);
    // wildcards match by suffix, either way round; a listener without a hostname, or a route without hostnames, matches any
    const wildcard = gateway('gw', [listener('http', { hostname: '*.example.com' })]);
    expect(found('KIA1401', [...SHOP, wildcard, withHosts('sub', ['api.shop.example.com']), withHosts('apex', ['example.com'])]))
      .toEqual(['HTTPRoute/apex spec.parentRefs[0].name']);
    expect(found('KIA1401', [...SHOP, gateway('gw'), withHosts('wild', ['*.example.com'])])).toEqual([]);
    expect(found('KIA1401', [...SHOP, gateway('gw', [listener('http', { hostname: undefined })]), withHosts('any', ['a.example.org'])])).toEqual([]);
    expect(found('KIA1401', [...SHOP, gateway('gw'), httpRoute('none', [{ name: 'gw' }])])).toEqual([]);
  });

  test('a route kind the listener does not carry is reported: by its protocol, or by allowedRoutes.kinds', () => {
    const tcp = gatewayApi('TCPRoute', 'db', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [backend()] }] }, 'shop', 'v1alpha2');
    expect(texts('KIA1401', [...SHOP, gateway('gw'), tcp])).toEqual([expect.stringContaining('no listener of Gateway shop/gw admits TCPRoutes')]);
    const onlyGrpc = gateway('gw', [listener('http', { allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } })]);
    expect(found('KIA1401', [...SHOP, onlyGrpc, httpRoute('web', [{ name: 'gw' }])])).toEqual(['HTTPRoute/web spec.parentRefs[0].name']);
    const tcpListener = gateway('gw', [{ name: 'tcp', port: 5432, protocol: 'TCP' }]);
    expect(found('KIA1401', [...SHOP, tcpListener, tcp])).toEqual([]);
  });

  test('GRPCRoutes, TCPRoutes and TLSRoutes are read as HTTPRoutes are (Kiali reads HTTPRoutes and GRPCRoutes)', () => {
    const rules = [{ backendRefs: [backend()] }];
    const docs = [...SHOP,
      gatewayApi('GRPCRoute', 'g', { parentRefs: [{ name: 'missing' }], rules }),
      gatewayApi('TCPRoute', 't', { parentRefs: [{ name: 'missing' }], rules }, 'shop', 'v1alpha2'),
      gatewayApi('TLSRoute', 's', { parentRefs: [{ name: 'missing' }], hostnames: ['db.example.com'], rules })];
    expect(found('KIA1401', docs)).toEqual(['GRPCRoute/g spec.parentRefs[0].name', 'TCPRoute/t spec.parentRefs[0].name', 'TLSRoute/s spec.parentRefs[0].name']);
  });

  test('from: All admits every namespace; a Selector is judged by the namespace\'s labels and its name label', () => {
    const web = httpRoute('web', [{ name: 'gw', namespace: 'shop' }], [backend('reviews', { namespace: 'shop' })], 'web');
    const grant = gatewayApi('ReferenceGrant', 'web', { from: [{ group: GATEWAY_API, kind: 'HTTPRoute', namespace: 'web' }], to: [{ group: '', kind: 'Service' }] });
    const admitting = (namespaces: Doc) => gateway('gw', [listener('http', { allowedRoutes: { namespaces } })]);
    expect(found('KIA1401', [...SHOP, namespace('web'), grant, web, admitting({ from: 'All' })])).toEqual([]);
    const team = { from: 'Selector', selector: { matchLabels: { team: 'web' } } };
    expect(found('KIA1401', [...SHOP, namespace('web', { team: 'web' }), grant, web, admitting(team)])).toEqual([]);
    expect(found('KIA1401', [...SHOP, namespace('web', { team: 'ops' }), grant, web, admitting(team)])).toEqual(['HTTPRoute/web spec.parentRefs[0].name']);
    // a namespace the manifests do not declare: its labels other than its name are unknown, so it is not judged
    expect(found('KIA1401', [...SHOP, grant, web, admitting(team)])).toEqual([]);
  });

  test('a parentRef to a Service (a mesh route) or to another kind is not a Gateway parent', () => {
    const docs = [...SHOP, httpRoute('mesh', [{ group: '', kind: 'Service', name: 'reviews' }]), httpRoute('x', [{ group: 'example.com', kind: 'Proxy', name: 'p' }])];
    expect(found('KIA1401', docs)).toEqual([]);
  });
});

describe('KIA1402 references to Services', () => {
  const mesh = (name: string, parent: Doc, ns = 'shop') => httpRoute(name, [{ group: '', kind: 'Service', port: 9080, ...parent }], [backend()], ns);

  test('a mesh route\'s parent Service must exist, and may be in another namespace without a ReferenceGrant (a consumer route)', () => {
    expect(found('KIA1402', [...SHOP, mesh('a', { name: 'ratings' })])).toEqual(['HTTPRoute/a spec.parentRefs[0].name']);
    const consumer = httpRoute('c', [{ group: '', kind: 'Service', name: 'reviews', namespace: 'shop', port: 9080 }], [backend('reviews', { namespace: 'shop' })], 'web');
    const grant = gatewayApi('ReferenceGrant', 'web', { from: [{ group: GATEWAY_API, kind: 'HTTPRoute', namespace: 'web' }], to: [{ group: '', kind: 'Service' }] });
    expect(found('KIA1402', [...SHOP, namespace('web'), consumer, grant])).toEqual([]);
  });

  test('a Service named by a host, and a mirror\'s backend, are reported', () => {
    const mirror = { filters: [{ type: 'RequestMirror', requestMirror: { backendRef: backend('shadow') } }] };
    const docs = [...SHOP, gateway('gw'), httpRoute('r', [{ name: 'gw' }], [backend('reviews.shop.svc.cluster.local')], 'shop', mirror)];
    expect(found('KIA1402', docs)).toEqual(['HTTPRoute/r spec.rules[0].backendRefs[0].name', 'HTTPRoute/r spec.rules[0].filters[0].requestMirror.backendRef.name']);
    expect(texts('KIA1402', docs)[0]).toContain('"reviews.shop.svc.cluster.local" is written as a host');
  });

  test('a ReferenceGrant opens only what it names: the route\'s kind and namespace, the Service (by name when given); every entry is read', () => {
    const route = httpRoute('r', [{ name: 'gw' }], [backend('reviews', { namespace: 'shop' })], 'web');
    const grant = (from: Doc[], to: Doc[]) => gatewayApi('ReferenceGrant', 'g', { from, to });
    const fromWeb = { group: GATEWAY_API, kind: 'HTTPRoute', namespace: 'web' };
    const docs = (g: Doc) => [...SHOP, namespace('web'), gateway('gw', [listener('http')], 'web'), route, g];
    expect(found('KIA1402', docs(grant([{ ...fromWeb, kind: 'GRPCRoute' }], [{ group: '', kind: 'Service' }])))).toEqual(['HTTPRoute/r spec.rules[0].backendRefs[0].name']);
    expect(found('KIA1402', docs(grant([fromWeb], [{ group: '', kind: 'Service', name: 'ratings' }])))).toEqual(['HTTPRoute/r spec.rules[0].backendRefs[0].name']);
    // Kiali reads only the first from and to entries
    expect(found('KIA1402', docs(grant([{ ...fromWeb, namespace: 'ops' }, fromWeb], [{ group: '', kind: 'Secret' }, { group: '', kind: 'Service', name: 'reviews' }])))).toEqual([]);
  });

  test('backends of another kind (an Istio ServiceEntry, a Hostname) are not judged', () => {
    const entry = backend('api.example.com', { group: 'networking.istio.io', kind: 'Hostname', port: 443 });
    expect(found('KIA1402', [...SHOP, gateway('gw'), httpRoute('r', [{ name: 'gw' }], [entry])])).toEqual([]);
  });
});

describe('KIA1501 and KIA1502 across Gateways', () => {
  test('listeners without a hostname, or with another protocol or port, are not compared', () => {
    const any = (name: string) => gateway(name, [{ name: 'http', port: 80, protocol: 'HTTP' }]);
    expect(found('KIA1501', [...SHOP, any('a'), any('b')])).toEqual([]);
    const https = gateway('b', [listener('https', { port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } })]);
    expect(found('KIA1501', [...SHOP, gateway('a'), https])).toEqual([]);
  });

  test('Gateways of one name in two namespaces are two Gateways (Kiali compares names only)', () => {
    expect(found('KIA1501', [...SHOP, namespace('web'), gateway('gw'), gateway('gw', [listener('http')], 'web')]))
      .toEqual(['Gateway/gw spec.listeners[0].hostname', 'Gateway/gw spec.listeners[0].hostname']);
  });

  test('Hostname addresses are compared by type too', () => {
    const addressed = (name: string, type: string) => gateway(name, [listener('http', { hostname: `${name}.example.com` })], 'shop',
      { addresses: [{ type, value: 'lb.example.com' }] });
    expect(found('KIA1502', [...SHOP, addressed('a', 'Hostname'), addressed('b', 'Hostname')]))
      .toEqual(['Gateway/a spec.addresses[0].value', 'Gateway/b spec.addresses[0].value']);
  });
});

describe('KIA1503 listeners that are not unique in their Gateway', () => {
  const listenerSet = (name: string, listeners: Doc[], ns = 'shop') => gatewayApi('ListenerSet', name, { parentRef: { name: 'gw', namespace: 'shop' }, listeners }, ns);
  const admitting = gateway('gw', [listener('http')], 'shop', { allowedListeners: { namespaces: { from: 'All' } } });

  test('within one Gateway the CRD\'s rule refuses repeated listeners (IST0106), and the Gateway is not analyzed further', () => {
    const docs = [...SHOP, gateway('gw', [listener('a'), listener('b')])];
    expect(analyze(docs).filter(m => m.level !== 'Info').map(m => [m.code, m.message]))
      .toEqual([['IST0106', 'Schema validation error: spec.listeners: Combination of port, protocol and hostname must be unique for each listener. '
        + 'Fix: change the value so that the CRD\'s validation rule holds.']]);
  });

  test('a ListenerSet the Gateway does not admit (allowedListeners, None by default) is not attached', () => {
    expect(found('KIA1503', [...SHOP, gateway('gw'), listenerSet('team', [listener('team')])])).toEqual([]);
  });

  test('two ListenerSets repeating each other are both reported (which one wins depends on their creation time)', () => {
    const docs = [...SHOP, namespace('web'), admitting,
      listenerSet('a', [listener('a', { hostname: 'team.example.com' })]), listenerSet('b', [listener('b', { hostname: 'team.example.com' })], 'web')];
    expect(found('KIA1503', docs)).toEqual(['ListenerSet/a spec.listeners[0]', 'ListenerSet/b spec.listeners[0]']);
    expect(texts('KIA1503', docs)[0]).toContain('repeats listener b of ListenerSet web/b');
  });

  test('listeners without a hostname repeat each other', () => {
    const docs = [...SHOP, gateway('gw', [{ name: 'tcp', port: 5432, protocol: 'TCP' }], 'shop', { allowedListeners: { namespaces: { from: 'Same' } } }),
      listenerSet('db', [{ name: 'db', port: 5432, protocol: 'TCP' }])];
    expect(texts('KIA1503', docs)).toEqual([expect.stringContaining("listener db (any hostname, port 5432, TCP), added to Gateway shop/gw, repeats the Gateway's listener tcp")]);
  });
});

describe('Istio Gateway analyzers do not read Gateway API Gateways', () => {
  test('a Gateway API Gateway has no selector to match (KIA0302, IST0101) and no servers to bind (CDK0002, KIA0301)', () => {
    const docs = [...SHOP, gateway('gw'), gateway('other'), httpRoute('r', [{ name: 'gw' }])];
    expect(analyze(docs).filter(m => m.resource.kind === 'Gateway').map(m => m.code)).toEqual(['KIA1501', 'KIA1501']);
  });

  test('a VirtualService naming a Gateway API Gateway does not find an Istio Gateway (IST0101)', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'vs', namespace: 'shop' },
      spec: { hosts: ['shop.example.com'], gateways: ['gw'], http: [{ route: [{ destination: { host: 'reviews' } }] }] },
    };
    expect(texts('IST0101', [...SHOP, gateway('gw'), vs])).toEqual([expect.stringContaining('Referenced gateway not found: "gw"')]);
  });
});
