import { Doc, findings, gateway, obj, reported } from './support';

const vs = (id: string, spec: Doc) => obj('VirtualService', id, spec);
const route = (host: string) => [{ route: [{ destination: { host } }] }];
const prefix = (p: string, extra: Doc = {}) => ({ uri: { prefix: p }, ...extra });

describe('IST0109 matches hosts as Istio does, once per VirtualService', () => {
  test('a wildcard overlapping another (*.productpage.d and *.d) conflicts when some namespace sees both', () => {
    const docs = [
      vs('foo/a', { hosts: ['*.productpage.d'], exportTo: ['.'], http: route('productpage') }),
      vs('bar/b', { hosts: ['*.d'], http: route('productpage') }),
      vs('baz/c', { hosts: ['*.d'], exportTo: ['baz'], http: route('productpage') }),
    ];
    // foo/a is seen only in foo, baz/c only in baz; bar/b everywhere.
    expect(reported('IST0109', docs)).toEqual(['VirtualService/bar/b', 'VirtualService/baz/c', 'VirtualService/foo/a']);
    expect(findings('IST0109', docs)[0]).toContain('The VirtualServices bar/b,baz/c,foo/a associated with mesh gateway define the same host *.d');
  });

  test('a VirtualService conflicting on several hosts gets one message', () => {
    const docs = [
      vs('foo/ratings', { hosts: ['ratings'], http: route('ratings') }),
      vs('bar/ratings', { hosts: ['ratings.foo.svc.cluster.local', 'google.com'], gateways: ['mesh'], http: route('ratings') }),
      vs('team2/ratings', { hosts: ['google.com'], exportTo: ['.'], http: route('ratings') }),
    ];
    expect(reported('IST0109', docs)).toEqual(['VirtualService/bar/ratings', 'VirtualService/foo/ratings', 'VirtualService/team2/ratings']);
  });

  test('exports that no namespace sees together do not conflict', () => {
    const docs = [
      vs('foo/a', { hosts: ['*.productpage.b'], exportTo: ['foo'], http: route('productpage') }),
      vs('bar/b', { hosts: ['*.productpage.b'], exportTo: ['.'], http: route('productpage') }),
    ];
    expect(reported('IST0109', docs)).toEqual([]);
  });
});

describe('IST0101 resolves destinations from the namespaces the VirtualService is exported to', () => {
  const service = obj('Service', 'hello/hello', { selector: { app: 'hello' }, ports: [{ name: 'http', port: 9080 }] },
    { annotations: { 'networking.istio.io/exportTo': 'hello1,.' } });
  test('exported to a namespace that does not see the host', () => {
    const docs = [service, vs('hello/bogus', { hosts: ['hello'], exportTo: ['bogus'], http: route('hello.hello.svc.cluster.local') })];
    expect(findings('IST0101', docs)).toEqual([
      'VirtualService/hello/bogus spec.http[0].route[0].destination.host: Referenced host not found: "hello.hello.svc.cluster.local". '
        + 'Deploy the Service, add a ServiceEntry for it, or fix the host.',
    ]);
  });
  test('exported to its own namespace, or to one that sees the host', () => {
    const docs = [service,
      vs('hello/own', { hosts: ['hello'], exportTo: ['.'], http: route('hello.hello.svc.cluster.local') }),
      vs('hello/other', { hosts: ['hello'], exportTo: ['hello1'], http: route('hello.hello.svc.cluster.local') })];
    expect(reported('IST0101', docs)).toEqual([]);
  });
  test('a destination of the mirrors list is checked like a route\'s (and like the singular mirror)', () => {
    const docs = [service, vs('hello/mirrored', {
      hosts: ['hello'], http: [{ route: [{ destination: { host: 'hello' } }], mirrors: [{ destination: { host: 'shadow' } }], mirror: { host: 'gone' } }],
    })];
    expect(findings('IST0101', docs).map(f => f.split(':')[0]).sort())
      .toEqual(['VirtualService/hello/mirrored spec.http[0].mirror.host', 'VirtualService/hello/mirrored spec.http[0].mirrors[0].destination.host']);
  });
});

describe('IST0130 and IST0131 as istioctl\'s validation decides them', () => {
  test('an earlier URI prefix takes a later prefix match with the same other conditions (IST0131), in the same rule too', () => {
    const docs = [vs('shop/api', {
      hosts: ['api'],
      http: [
        { name: 'product', match: [prefix('/api/v1/product'), prefix('/api/v1/products', { method: { exact: 'GET' } })], route: route('a')[0].route },
        { name: 'products', match: [prefix('/api/v1/products'), prefix('/api/v1/productsx', { method: { exact: 'POST' } })], route: route('b')[0].route },
      ],
    })];
    expect(findings('IST0131', docs)).toEqual([
      'VirtualService/shop/api spec.http[0].match[1]: VirtualService rule "product" match #1 of prefix /api/v1/products is not used '
        + '(duplicate/overlapping match in rule #0 of prefix /api/v1/product on "product"). Remove the match, or move it before the one that takes its requests.',
      'VirtualService/shop/api spec.http[1].match[0]: VirtualService rule "products" match #0 of prefix /api/v1/products is not used '
        + '(duplicate/overlapping match in rule #0 of prefix /api/v1/product on "product"). Remove the match, or move it before the one that takes its requests.',
    ]);
    // Prefix shadowing makes a match ineffective, never the whole rule unreachable.
    expect(reported('IST0130', docs)).toEqual([]);
  });

  test('an exact match under an earlier prefix, or another method, is not judged', () => {
    const docs = [vs('shop/api', {
      hosts: ['api'],
      http: [{ match: [prefix('/'), { uri: { exact: '/' }, method: { exact: 'GET' } }, prefix('/x', { method: { exact: 'POST' } })], route: route('a')[0].route }],
    })];
    expect(reported('IST0131', docs)).toEqual([]);
  });

  // istioctl reports a rule after one without matches once per match; identical findings are reported once here.
  test('a rule after one without matches is reported, and a second rule without matches', () => {
    const docs = [vs('shop/api', {
      hosts: ['api'],
      http: [{ route: route('a')[0].route }, { match: [prefix('/a'), prefix('/b')], route: route('b')[0].route }, { route: route('c')[0].route }],
    })];
    expect(findings('IST0130', docs).map(f => f.slice(f.indexOf(': ') + 2, f.indexOf(').') + 1))).toEqual([
      'VirtualService rule #1 not used (route without matches defined before)',
      'VirtualService rule #2 not used (only the last rule can have no matches)',
    ]);
  });
});

describe('IST0132 also when the gateway is missing', () => {
  test('a missing gateway serves none of the hosts: IST0101 and IST0132, as istioctl', () => {
    const docs = [vs('shop/web', { hosts: ['shop.example.com'], gateways: ['missing'], http: route('shop.example.com') })];
    expect(findings('IST0132', docs)).toEqual([
      'VirtualService/shop/web spec.gateways[0]: one or more host [shop.example.com] defined in VirtualService shop/web not found in Gateway '
        + 'shop/missing. Add the hosts to a server of the gateway, or remove them.',
    ]);
    expect(reported('IST0101', docs)).toContain('VirtualService/shop/web');
  });
  test('a gateway that serves the host: no IST0132', () => {
    const docs = [gateway('shop/gw', { istio: 'ingressgateway' }, [{ hosts: ['shop.example.com'] }]),
      vs('shop/web', { hosts: ['shop.example.com'], gateways: ['gw'], http: route('shop.example.com') })];
    expect(reported('IST0132', docs)).toEqual([]);
  });
});
