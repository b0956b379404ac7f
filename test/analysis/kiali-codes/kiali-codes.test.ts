import { analyze } from '../../../lib/analysis/analyze';
import { MessageCode } from '../../../lib/analysis/messages';

/**
 * The semantics of the Kiali validations beyond their fixtures (test/fixtures/analysis/KIA*):
 * the cases where a rule must stay quiet, and where this project deliberately differs from Kiali.
 */

type Doc = Record<string, any>;

const namespace = (name: string, labels: Record<string, string> = { 'istio-injection': 'enabled' }): Doc =>
  ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

const deployment = (name: string, labels: Record<string, string>, ns = 'shop', ports: Doc[] = [{ containerPort: 9080 }]): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1', ports }] } },
  },
});

const service = (name: string, ports: Doc[] = [{ name: 'http', port: 9080 }], ns = 'shop'): Doc =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports } });

const istio = (group: string, kind: string, name: string, spec: Doc, ns = 'shop'): Doc =>
  ({ apiVersion: `${group}.istio.io/v1`, kind, metadata: { name, namespace: ns }, spec });

const policy = (name: string, spec: Doc, ns = 'shop') => istio('security', 'AuthorizationPolicy', name, spec, ns);
const peerAuthentication = (name: string, spec: Doc, ns = 'shop') => istio('security', 'PeerAuthentication', name, spec, ns);
const destinationRule = (name: string, spec: Doc, ns = 'shop') => istio('networking', 'DestinationRule', name, spec, ns);
const gateway = (name: string, selector: Doc, hosts: string[], ns = 'shop') =>
  istio('networking', 'Gateway', name, { selector, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] }, ns);
const virtualService = (name: string, spec: Doc, ns = 'shop') => istio('networking', 'VirtualService', name, spec, ns);

const REVIEWS = [namespace('shop'), service('reviews'), deployment('reviews-v1', { app: 'reviews', version: 'v1' })];

/** The fields of the messages of `code` for `docs`, as `<kind>/<name> <field>`. */
function found(code: MessageCode, docs: Doc[]): string[] {
  return analyze(docs).filter(m => m.code === code).map(m => `${m.resource.kind}/${m.resource.name} ${m.field ?? ''}`.trim());
}

describe('KIA0102 methods that match no request', () => {
  const methods = (list: string[], key = 'methods') =>
    [...REVIEWS, policy('p', { selector: { matchLabels: { app: 'reviews' } }, rules: [{ to: [{ operation: { [key]: list } }] }] })];

  test('a gRPC method name (it belongs in paths) and a lower-case method are reported, with why', () => {
    const messages = analyze(methods(['/shop.Reviews/List', 'get'])).filter(m => m.code === 'KIA0102');
    expect(messages.map(m => m.field)).toEqual(['spec.rules[0].to[0].operation.methods[0]', 'spec.rules[0].to[0].operation.methods[1]']);
    expect(messages[0].message).toContain('POST for every gRPC call');
    expect(messages[1].message).toContain('Write GET.');
  });

  test('Istio string matches that match some method pass: *, a prefix, a suffix', () => {
    expect(found('KIA0102', methods(['*', 'P*', '*ETE', 'OPTIONS']))).toEqual([]);
  });

  test('notMethods is read the same way', () => {
    expect(found('KIA0102', methods(['delete'], 'notMethods'))).toEqual(['AuthorizationPolicy/p spec.rules[0].to[0].operation.notMethods[0]']);
  });
});

describe('KIA0105 mTLS identities on pods that accept plain text', () => {
  const deny = (source: Doc, extra: Doc = {}) => policy('deny', { selector: { matchLabels: { app: 'reviews' } }, action: 'DENY', rules: [{ from: [{ source }], ...extra }] });
  const strict = (ns = 'shop', selector?: Doc, mode = 'STRICT') => peerAuthentication(`pa-${mode.toLowerCase()}`, { ...(selector && { selector: { matchLabels: selector } }), mtls: { mode } }, ns);

  test('a mesh-wide STRICT PeerAuthentication (root namespace) is enough', () => {
    expect(found('KIA0105', [...REVIEWS, strict('istio-system'), deny({ namespaces: ['web'] })])).toEqual([]);
  });

  test('a workload-level PERMISSIVE policy overrides a STRICT namespace', () => {
    const docs = [...REVIEWS, strict(), strict('shop', { app: 'reviews' }, 'PERMISSIVE'), deny({ principals: ['cluster.local/ns/shop/sa/a'] })];
    const messages = analyze(docs).filter(m => m.code === 'KIA0105');
    expect(messages.map(m => m.field)).toEqual(['spec.rules[0].from[0].source.principals']);
    expect(messages[0].message).toContain('mTLS mode PERMISSIVE from PeerAuthentication shop/pa-permissive');
  });

  test('an UNSET workload-level policy inherits STRICT from the namespace', () => {
    expect(found('KIA0105', [...REVIEWS, strict(), strict('shop', { app: 'reviews' }, 'UNSET'), deny({ namespaces: ['web'] })])).toEqual([]);
  });

  test('a when condition on source.namespace is reported, a request-only condition is not', () => {
    const when = { when: [{ key: 'source.namespace', values: ['web'] }, { key: 'request.headers[x]', values: ['1'] }] };
    expect(found('KIA0105', [...REVIEWS, deny({ ipBlocks: ['10.0.0.0/8'] }, when)])).toEqual(['AuthorizationPolicy/deny spec.rules[0].when[0].values']);
  });

  test('only what plain text slips past: a DENY on identities, an ALLOW on a negative identity match', () => {
    const allow = (source: Doc) => policy('allow', { selector: { matchLabels: { app: 'reviews' } }, rules: [{ from: [{ source }] }] });
    // an ALLOW on principals fails closed for plain text (no identity, no match, denied); a DENY on notPrincipals too
    expect(found('KIA0105', [...REVIEWS, allow({ principals: ['cluster.local/ns/shop/sa/a'] })])).toEqual([]);
    expect(found('KIA0105', [...REVIEWS, deny({ notPrincipals: ['cluster.local/ns/shop/sa/a'] })])).toEqual([]);
    expect(found('KIA0105', [...REVIEWS, allow({ notNamespaces: ['web'] })])).toEqual(['AuthorizationPolicy/allow spec.rules[0].from[0].source.notNamespaces']);
    const audit = policy('audit', { action: 'AUDIT', rules: [{ from: [{ source: { namespaces: ['web'] } }] }] });
    expect(found('KIA0105', [...REVIEWS, audit])).toEqual([]);
  });

  test('a policy attached by targetRefs is not judged', () => {
    const attached = policy('waypoint', { targetRefs: [{ kind: 'Service', group: '', name: 'reviews' }], rules: [{ from: [{ source: { namespaces: ['web'] } }] }] });
    expect(found('KIA0105', [...REVIEWS, attached])).toEqual([]);
  });
});

describe('KIA0201 DestinationRules sharing subsets', () => {
  const rule = (name: string, spec: Doc, ns = 'shop') => destinationRule(name, { host: 'reviews.shop.svc.cluster.local', ...spec }, ns);
  const v1 = { subsets: [{ name: 'v1', labels: { version: 'v1' } }] };

  test('a rule without subsets configures the whole host, so it clashes with one with subsets', () => {
    const messages = analyze([...REVIEWS, rule('a', {}), rule('b', v1)]).filter(m => m.code === 'KIA0201');
    expect(messages.map(m => m.message)).toEqual([
      expect.stringContaining('shop/b (subset v1)'), expect.stringContaining('shop/a (subset v1)'),
    ]);
  });

  test('rules whose exportTo keeps them apart, or with different workload selectors, do not clash', () => {
    expect(found('KIA0201', [...REVIEWS, namespace('web'), rule('a', { ...v1, exportTo: ['.'] }), rule('b', { ...v1, exportTo: ['.'] }, 'web')])).toEqual([]);
    expect(found('KIA0201', [...REVIEWS, rule('a', { ...v1, workloadSelector: { matchLabels: { app: 'x' } } }), rule('b', v1)])).toEqual([]);
  });

  test('a wildcard host is not compared with the hosts it covers (Istio applies the most specific)', () => {
    expect(found('KIA0201', [...REVIEWS, destinationRule('all', { host: '*.shop.svc.cluster.local' }), rule('b', v1)])).toEqual([]);
  });
});

describe('KIA0202, KIA0203, KIA0209 DestinationRule hosts and subsets', () => {
  test('KIA0202 does not judge a cluster-local host in a namespace the manifests do not hold', () => {
    expect(found('KIA0202', [...REVIEWS, destinationRule('r', { host: 'ratings.other.svc.cluster.local' })])).toEqual([]);
  });

  test('KIA0203 reports a subset without pods only when a VirtualService routes to it', () => {
    const rule = destinationRule('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
    expect(found('KIA0203', [...REVIEWS, rule])).toEqual([]);
    const route = virtualService('reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v2' } }] }] });
    expect(found('KIA0203', [...REVIEWS, rule, route])).toEqual(['DestinationRule/reviews spec.subsets[1]']);
  });

  test('KIA0203 reads a ServiceEntry host\'s endpoints', () => {
    const entry = istio('networking', 'ServiceEntry', 'db', { hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'STATIC', endpoints: [{ address: '10.0.0.1', labels: { zone: 'a' } }] });
    const rule = destinationRule('db', { host: 'db.example.com', subsets: [{ name: 'a', labels: { zone: 'a' } }, { name: 'b', labels: { zone: 'b' } }] });
    const route = virtualService('db', { hosts: ['db.example.com'], tcp: [{ route: [{ destination: { host: 'db.example.com', subset: 'b' } }] }] });
    expect(found('KIA0203', [...REVIEWS, entry, rule, route])).toEqual(['DestinationRule/db spec.subsets[1]']);
  });

  test('KIA0209 stays quiet when another subset selects pods by labels', () => {
    const rule = destinationRule('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'all' }] });
    expect(found('KIA0209', [...REVIEWS, rule])).toEqual([]);
  });
});

describe('KIA0301 Gateways serving one host and port', () => {
  const ingress = { istio: 'ingressgateway' };

  test('a wildcard host covers a host of another Gateway on the same selector and port', () => {
    expect(found('KIA0301', [gateway('a', ingress, ['*.example.com']), gateway('b', ingress, ['shop.example.com'])]))
      .toEqual(['Gateway/a spec.servers[0].hosts[0]', 'Gateway/b spec.servers[0].hosts[0]']);
  });

  test('another selector, or namespace parts that never meet, keep Gateways apart', () => {
    expect(found('KIA0301', [gateway('a', ingress, ['shop.example.com']), gateway('b', { istio: 'internal' }, ['shop.example.com'])])).toEqual([]);
    expect(found('KIA0301', [gateway('a', ingress, ['web/shop.example.com']), gateway('b', ingress, ['api/shop.example.com'])])).toEqual([]);
    expect(found('KIA0301', [gateway('a', ingress, ['./shop.example.com']), gateway('b', ingress, ['*/shop.example.com'])])).toHaveLength(2);
  });
});

describe('KIA0302 Gateway selectors', () => {
  test('the install\'s own gateways are exempt, and a gateway pod in another namespace counts', () => {
    expect(found('KIA0302', [gateway('a', { istio: 'ingressgateway' }, ['shop.example.com'])])).toEqual([]);
    const pod = deployment('edge', { app: 'edge' }, 'gateways');
    expect(found('KIA0302', [pod, gateway('a', { app: 'edge' }, ['shop.example.com'])])).toEqual([]);
  });
});

describe('KIA0601 and KIA0602 port protocols of meshed Services', () => {
  const web = [{ name: 'web', port: 9080 }];

  test('only Services whose pods get a sidecar are judged', () => {
    const pods = deployment('reviews-v1', { app: 'reviews' });
    expect(found('KIA0601', [namespace('shop', {}), service('reviews', web), pods])).toEqual([]);
    expect(found('KIA0601', [namespace('shop', { 'istio-injection': 'disabled' }), service('reviews', web), pods])).toEqual([]);
    const injected = deployment('reviews-v1', { 'app': 'reviews', 'sidecar.istio.io/inject': 'true' });
    expect(found('KIA0601', [namespace('shop', {}), service('reviews', web), injected])).toEqual(['Service/reviews spec.ports[0].name']);
  });

  test('UDP ports and the ports Istio treats as server-first TCP by number are exempt', () => {
    const ports = [{ name: 'syslog', port: 5140, protocol: 'UDP' }, { name: 'db', port: 3306 }, { name: 'web', port: 9080 }];
    expect(found('KIA0601', [...REVIEWS.slice(0, 1), service('reviews', ports), REVIEWS[2]])).toEqual(['Service/reviews spec.ports[2].name']);
  });

  test('Kubernetes\' standard appProtocols are known', () => {
    expect(found('KIA0602', [REVIEWS[0], service('reviews', [{ name: 'x', port: 9080, appProtocol: 'kubernetes.io/h2c' }]), REVIEWS[2]])).toEqual([]);
  });
});

describe('KIA0701 Service ports no container declares', () => {
  test('a named targetPort is matched by container port name', () => {
    const pods = deployment('reviews-v1', { app: 'reviews' }, 'shop', [{ name: 'web', containerPort: 9080 }]);
    expect(found('KIA0701', [REVIEWS[0], service('reviews', [{ name: 'http', port: 80, targetPort: 'web' }]), pods])).toEqual([]);
    expect(found('KIA0701', [REVIEWS[0], service('reviews', [{ name: 'http', port: 80, targetPort: 'api' }]), pods])).toEqual(['Service/reviews spec.ports[0]']);
  });

  test('Services of the root namespace and Services selecting no pod template are not judged', () => {
    expect(found('KIA0701', [service('istiod', [{ name: 'grpc', port: 15010 }], 'istio-system'), deployment('istiod', { app: 'istiod' }, 'istio-system')])).toEqual([]);
    expect(found('KIA0701', [REVIEWS[0], service('ratings')])).toEqual([]);
  });
});

describe('KIA1105 repeated destinations', () => {
  test('destinations that differ by port, or that are in different routes, are not repeated', () => {
    const route = (port: number) => ({ destination: { host: 'reviews', port: { number: port } }, weight: 50 });
    expect(found('KIA1105', [...REVIEWS, virtualService('r', { hosts: ['reviews'], http: [{ route: [route(9080), route(9081)] }] })])).toEqual([]);
    const one = { route: [{ destination: { host: 'reviews' } }] };
    expect(found('KIA1105', [...REVIEWS, virtualService('r', { hosts: ['reviews'], http: [{ match: [{ uri: { prefix: '/a' } }], ...one }, one] })])).toEqual([]);
  });

  test('a short and a fully qualified name of one host are the same destination, in TCP routes too', () => {
    const tcp = [{ route: [{ destination: { host: 'reviews' }, weight: 50 }, { destination: { host: 'reviews.shop.svc.cluster.local' }, weight: 50 }] }];
    expect(found('KIA1105', [...REVIEWS, virtualService('r', { hosts: ['reviews'], tcp })]))
      .toEqual(['VirtualService/r spec.tcp[0].route[0].destination.host', 'VirtualService/r spec.tcp[0].route[1].destination.host']);
  });
});

describe('KIA1106 VirtualServices sharing a host', () => {
  const bound = (name: string, host: string, gateways: string[]) => virtualService(name, { hosts: [host], gateways, http: [{ route: [{ destination: { host: 'reviews' } }] }] });

  test('a gateway is the same however it is referenced; other gateways keep hosts apart', () => {
    expect(found('KIA1106', [bound('a', 'shop.example.com', ['gw']), bound('b', 'shop.example.com', ['shop/gw'])])).toHaveLength(2);
    expect(found('KIA1106', [bound('a', 'shop.example.com', ['gw']), bound('b', 'shop.example.com', ['other'])])).toEqual([]);
  });

  test('a wildcard host overlaps the hosts it covers', () => {
    expect(found('KIA1106', [bound('a', '*.example.com', ['gw']), bound('b', 'shop.example.com', ['gw'])])).toHaveLength(2);
  });
});

describe('KIA1108 gateway references', () => {
  test('a match\'s gateways are read too, and a <namespace>/<name> reference is fine', () => {
    const vs = virtualService('r', {
      hosts: ['shop.example.com'],
      gateways: ['web/edge'],
      http: [{ match: [{ gateways: ['edge.web.svc.cluster.local'] }], route: [{ destination: { host: 'reviews' } }] }],
    });
    const messages = analyze([...REVIEWS, vs]).filter(m => m.code === 'KIA1108');
    expect(messages.map(m => m.field)).toEqual(['spec.http[0].match[0].gateways[0]']);
    expect(messages[0].message).toContain('as "web/edge"');
  });
});

describe('KIA1301 workloads no AuthorizationPolicy covers', () => {
  const ratings = deployment('ratings-v1', { app: 'ratings' });
  const allowReviews = policy('reviews', { selector: { matchLabels: { app: 'reviews' } } });

  test('manifests without any AuthorizationPolicy are not judged', () => {
    expect(found('KIA1301', [...REVIEWS, ratings])).toEqual([]);
  });

  test('a root-namespace policy covers the pods it selects in every namespace', () => {
    expect(found('KIA1301', [...REVIEWS, ratings, allowReviews])).toEqual(['Deployment/ratings-v1 spec.template.metadata.labels']);
    const root = policy('ratings', { selector: { matchLabels: { app: 'ratings' } } }, 'istio-system');
    expect(found('KIA1301', [...REVIEWS, ratings, allowReviews, root])).toEqual([]);
  });

  test('a policy attached by targetRefs covers no pod by itself', () => {
    const attached = policy('waypoint', { targetRefs: [{ kind: 'Service', group: '', name: 'ratings' }] });
    expect(found('KIA1301', [...REVIEWS, ratings, allowReviews, attached])).toEqual(['Deployment/ratings-v1 spec.template.metadata.labels']);
  });
});

describe('KIA0004 selectors matching no workload', () => {
  test('a Sidecar\'s workloadSelector is read; the root namespace is not judged', () => {
    const sidecar = istio('networking', 'Sidecar', 's', { workloadSelector: { labels: { app: 'ratings' } } });
    expect(found('KIA0004', [...REVIEWS, sidecar])).toEqual(['Sidecar/s spec.workloadSelector.labels']);
    expect(found('KIA0004', [...REVIEWS, peerAuthentication('gw', { selector: { matchLabels: { istio: 'ingressgateway' } } }, 'istio-system')])).toEqual([]);
  });

  test('the selector must match in the resource\'s own namespace', () => {
    const other = deployment('ratings-v1', { app: 'ratings' }, 'web');
    expect(found('KIA0004', [...REVIEWS, other, policy('p', { selector: { matchLabels: { app: 'ratings' } } })])).toEqual(['AuthorizationPolicy/p spec.selector.matchLabels']);
  });
});
