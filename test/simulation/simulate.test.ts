import * as yaml from 'js-yaml';
import { Simulation, SimulationRequest, simulate } from '../../lib';

/** The documents of a YAML stream. */
function docs(text: string): Record<string, any>[] {
  return yaml.loadAll(text) as Record<string, any>[];
}

const SERVICES = `
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews, version: v1}}
  template:
    metadata: {labels: {app: reviews, version: v1}}
    spec: {serviceAccountName: shop-reviews, containers: [{name: reviews, image: reviews:1}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v2, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews, version: v2}}
  template:
    metadata: {labels: {app: reviews, version: v2}}
    spec: {serviceAccountName: shop-reviews, containers: [{name: reviews, image: reviews:2}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {serviceAccountName: shop-web, containers: [{name: web, image: web:1}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
`;

/** A VirtualService for `reviews` in the shop namespace with the given HTTP rules (YAML flow). */
function reviewsRoute(http: string, extra = ''): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  ${extra}
  http: ${http}
`;
}

const V1 = '{destination: {host: reviews, subset: v1}}';
const V2 = '{destination: {host: reviews, subset: v2}}';

function run(http: string, request: Partial<SimulationRequest> = {}, extra = ''): Simulation {
  return simulate(docs(SERVICES + '---' + reviewsRoute(http, extra)), { host: 'reviews', ...request });
}

/** The subset the request is routed to, or the outcome when it is not routed. */
function subsetOf(s: Simulation): string | undefined {
  return s.outcome === 'route' ? s.destinations.map(d => d.subset).join('+') : s.outcome;
}

describe('simulate: hosts', () => {
  const http = `[{route: [${V2}]}]`;

  test.each([
    ['reviews'], ['reviews.shop'], ['reviews.shop.svc'], ['reviews.shop.svc.cluster.local'], ['REVIEWS:9080'],
  ])('from the shop namespace, %s is the reviews host', host => {
    expect(subsetOf(run(http, { host, from: { namespace: 'shop' } }))).toBe('v2');
  });

  test('from another namespace the short name is another host: the VirtualService does not apply', () => {
    const s = run(http, { from: { namespace: 'other' } });
    expect(s.outcome).toBe('no-route');
    expect(s.reason).toContain('not in the service registry');
    expect(subsetOf(run(http, { host: 'reviews.shop', from: { namespace: 'other' } }))).toBe('v2');
  });

  test('a wildcard host matches subdomains, and the most specific host wins', () => {
    const wild = (name: string, host: string, subset: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: shop}
spec: {hosts: ['${host}'], http: [{route: [{destination: {host: reviews, subset: ${subset}}}]}]}
`;
    const set = docs([SERVICES, wild('any', '*.example.com', 'v1'), wild('api', '*.api.example.com', 'v2'), wild('exact', 'x.api.example.com', 'v1')].join('---'));
    expect(subsetOf(simulate(set, { host: 'shop.example.com' }))).toBe('v1');
    expect(simulate(set, { host: 'y.api.example.com' }).rule?.virtualService.name).toBe('api');
    expect(simulate(set, { host: 'x.api.example.com' }).rule?.virtualService.name).toBe('exact');
    expect(simulate(set, { host: 'example.com' }).outcome).toBe('no-route');
  });

  test('exportTo: a VirtualService exported to its own namespace does not apply to clients elsewhere', () => {
    const s = run(http, { host: 'reviews.shop', from: { namespace: 'other' } }, 'exportTo: ["."]');
    expect(s.outcome).toBe('default');
    expect(s.destinations).toEqual([expect.objectContaining({ fqdn: 'reviews.shop.svc.cluster.local', percent: 100 })]);
    expect(subsetOf(run(http, { from: { namespace: 'shop' } }, 'exportTo: ["."]'))).toBe('v2');
  });

  test('without a VirtualService a sidecar sends the request to the Service as it is', () => {
    const s = simulate(docs(SERVICES), { host: 'reviews', from: { namespace: 'shop' } });
    expect(s).toMatchObject({ outcome: 'default', destinations: [{ fqdn: 'reviews.shop.svc.cluster.local', percent: 100 }] });
  });
});

describe('simulate: gateway and mesh binding', () => {
  const GATEWAY = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: shop-gateway, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['shop/shop.example.com']}]
`;
  const ingress = (gateways: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ingress, namespace: shop}
spec:
  hosts: [shop.example.com, reviews]
  gateways: ${gateways}
  http:
  - match: [{gateways: [mesh], headers: {end-user: {exact: jason}}}]
    route: [${V1}]
  - route: [${V2}]
`;
  const set = (gateways: string) => docs([SERVICES, GATEWAY, ingress(gateways)].join('---'));

  test('a VirtualService bound to a gateway routes requests through it, not from sidecars', () => {
    const through = simulate(set('[shop-gateway]'), { host: 'shop.example.com', from: { gateway: 'shop/shop-gateway' } });
    expect(through).toMatchObject({ outcome: 'route', request: { port: 80 }, destinations: [{ subset: 'v2' }] });
    expect(simulate(set('[shop-gateway]'), { host: 'shop.example.com', from: { namespace: 'shop' } }).outcome).toBe('no-route');
  });

  test('a match naming mesh applies to sidecars even when the VirtualService is bound to a gateway only', () => {
    const sidecar = (headers: Record<string, string>) => simulate(set('[shop-gateway]'), { host: 'reviews', headers, from: { namespace: 'shop' } });
    expect(sidecar({ 'end-user': 'jason' }).destinations.map(d => d.subset)).toEqual(['v1']);
    expect(sidecar({}).outcome).toBe('no-route');
    const gateway = simulate(set('[shop-gateway, mesh]'), { host: 'shop.example.com', headers: { 'end-user': 'jason' }, from: { gateway: 'shop/shop-gateway' } });
    expect(gateway.destinations.map(d => d.subset)).toEqual(['v2']);
  });

  test('a gateway server with httpsRedirect answers HTTP requests with a redirect to HTTPS', () => {
    const redirecting = GATEWAY.replace('hosts: [\'shop/shop.example.com\']}]', 'hosts: [\'shop/shop.example.com\'], tls: {httpsRedirect: true}}]');
    const s = simulate(docs([SERVICES, redirecting, ingress('[shop-gateway]')].join('---')),
      { host: 'shop.example.com', path: '/cart?x=1', from: { gateway: 'shop/shop-gateway' } });
    expect(s).toMatchObject({ outcome: 'redirect', response: { status: 301, location: 'https://shop.example.com/cart?x=1' } });
  });

  test('the gateway must serve the host on the port', () => {
    expect(simulate(set('[shop-gateway]'), { host: 'shop.example.com:8443', from: { gateway: 'shop/shop-gateway' } }).outcome).toBe('no-route');
    expect(simulate(set('[shop-gateway]'), { host: 'other.example.com', from: { gateway: 'shop/shop-gateway' } }).outcome).toBe('no-route');
  });

  test('the default ingress gateway is the caller of the authorization check', () => {
    const policy = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews-viewer, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  rules: [{from: [{source: {principals: [cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account]}}], to: [{operation: {methods: [GET]}}]}]
`;
    const all = docs([SERVICES, GATEWAY, ingress('[shop-gateway]'), policy].join('---'));
    const request = (method: string) => simulate(all, { host: 'shop.example.com', method, from: { gateway: 'shop/shop-gateway' } });
    expect(request('GET').destinations[0].authorization).toMatchObject({ decision: 'allow', policies: ['shop/reviews-viewer'] });
    expect(request('DELETE').destinations[0].authorization).toMatchObject({ decision: 'deny' });
  });
});

describe('simulate: rules and matches', () => {
  test('rules are evaluated in order, the first matching rule wins, and its match index is reported', () => {
    const http = `[
      {name: jason, match: [{headers: {end-user: {exact: nobody}}}, {headers: {end-user: {exact: jason}}}], route: [${V2}]},
      {route: [${V1}]}]`;
    const jason = run(http, { headers: { 'End-User': 'jason' } });
    expect(jason.rule).toEqual({ virtualService: { namespace: 'shop', name: 'reviews' }, ruleIndex: 0, ruleName: 'jason', matchIndex: 1 });
    expect(subsetOf(run(http, { headers: { 'end-user': 'JASON' } }))).toBe('v1');
    expect(run(http).rule?.ruleIndex).toBe(1);
  });

  test.each([
    ['exact', '{uri: {exact: /a}}', '/a', '/a/b'],
    ['prefix', '{uri: {prefix: /a}}', '/a/b', '/b'],
    ['regex, matched against the whole path', '{uri: {regex: "/a/[0-9]+"}}', '/a/12', '/a/12/x'],
    ['ignoreUriCase', '{uri: {prefix: /API}, ignoreUriCase: true}', '/api/x', '/other'],
    ['method', '{method: {exact: POST}}', '/', '/'],
    ['query parameter (from the path)', '{queryParams: {page: {regex: "[0-9]+"}}}', '/?page=2', '/?page=x'],
    ['header presence', '{headers: {x-debug: {}}}', '/', '/'],
    ['withoutHeaders', '{withoutHeaders: {x-debug: {}}}', '/', '/'],
    ['authority', '{authority: {exact: reviews}}', '/', '/'],
    ['scheme', '{scheme: {exact: https}}', '/', '/'],
  ])('%s', (_name, match, hit, miss) => {
    const http = `[{match: [${match}], route: [${V2}]}, {route: [${V1}]}]`;
    const extra: Record<string, Partial<SimulationRequest>> = {
      'method': { method: 'POST' }, 'header presence': { headers: { 'X-Debug': '1' } }, 'scheme': { scheme: 'https' },
    };
    const missExtra: Record<string, Partial<SimulationRequest>> = { withoutHeaders: { headers: { 'x-debug': '' } }, authority: { host: 'reviews.shop' } };
    expect(subsetOf(run(http, { path: hit, ...extra[_name] }))).toBe('v2');
    expect(subsetOf(run(http, { path: miss, ...missExtra[_name] }))).toBe('v1');
  });

  test('port: the host\'s only port when the request names none', () => {
    const http = `[{match: [{port: 9080}], route: [${V2}]}, {route: [${V1}]}]`;
    expect(subsetOf(run(http))).toBe('v2');
    expect(subsetOf(run(http, { port: 9090 }))).toBe('v1');
  });

  test('sourceLabels and sourceNamespace match the calling workload; an unknown caller matches neither', () => {
    const http = `[{match: [{sourceLabels: {app: web}}], route: [${V2}]}, {match: [{sourceNamespace: shop}], route: [${V1}]}]`;
    expect(subsetOf(run(http, { from: { namespace: 'shop', labels: { app: 'web' } } }))).toBe('v2');
    expect(subsetOf(run(http, { from: { namespace: 'shop', labels: { app: 'other' } } }))).toBe('v1');
    expect(subsetOf(run(http))).toBe('no-route');
  });
});

describe('simulate: what the rule does', () => {
  test('weights give each destination its share; a subset no DestinationRule defines answers 503', () => {
    const s = run('[{route: [{destination: {host: reviews, subset: v1}, weight: 75}, {destination: {host: reviews, subset: v3}, weight: 25}]}]');
    expect(s.destinations.map(d => [d.subset, d.percent])).toEqual([['v1', 75], ['v3', 25]]);
    expect(s.destinations[0].subsetLabels).toEqual({ version: 'v1' });
    expect(s.destinations[1].problem).toBe('DestinationRule shop/reviews defines no subset "v3": Istio answers 503');
  });

  test('fault, timeout, retries, headers and mirrors are reported', () => {
    const s = run(`[{
      fault: {abort: {httpStatus: 500, percentage: {value: 100}}}, timeout: 3s, retries: {attempts: 2, perTryTimeout: 1s},
      headers: {response: {remove: [server]}}, mirror: {host: reviews, subset: v2}, mirrorPercentage: {value: 10},
      route: [{destination: {host: reviews, subset: v1}, headers: {request: {set: {x-v: '1'}}}}]}]`);
    expect(s).toMatchObject({
      outcome: 'route',
      fault: { abort: { httpStatus: 500 } },
      timeout: '3s',
      retries: { attempts: 2 },
      headers: { response: { remove: ['server'] } },
      mirrors: [{ host: 'reviews', fqdn: 'reviews.shop.svc.cluster.local', subset: 'v2', percent: 10 }],
      destinations: [{ subset: 'v1', headers: { request: { set: { 'x-v': '1' } } } }],
    });
  });

  test('rewrite: a prefix match has its prefix replaced, a regex rewrite substitutes groups, the authority changes', () => {
    const prefix = run(`[{match: [{uri: {prefix: /old}}], rewrite: {uri: /new, authority: reviews.internal}, route: [${V1}]}]`, { path: '/old/page?x=1' });
    expect(prefix.forwarded).toEqual({ path: '/new/page', host: 'reviews.internal' });
    expect(prefix.rewrite).toEqual({ uri: '/new', authority: 'reviews.internal' });
    const regex = run(`[{rewrite: {uriRegexRewrite: {match: "^/service/([^/]+)(/.*)$", rewrite: "\\\\2/instance/\\\\1"}}, route: [${V1}]}]`,
      { path: '/service/foo/bar' });
    expect(regex.forwarded?.path).toBe('/bar/instance/foo');
  });

  test('redirect and direct response are answered by the proxy', () => {
    const redirect = run('[{redirect: {uri: /v2, authority: new.example.com, scheme: https}}]', { path: '/v1?q=1' });
    expect(redirect).toMatchObject({ outcome: 'redirect', response: { status: 301, location: 'https://new.example.com/v2?q=1' }, destinations: [] });
    expect(run('[{directResponse: {status: 418}}]')).toMatchObject({ outcome: 'direct-response', response: { status: 418 } });
  });

  test('a rule delegates to a VirtualService without hosts, whose rules decide', () => {
    const delegate = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews-team, namespace: team}
spec:
  http:
  - match: [{uri: {prefix: /api/v2}}]
    route: [${V2}]
`;
    const set = docs([SERVICES, reviewsRoute('[{match: [{uri: {prefix: /api}}], delegate: {name: reviews-team, namespace: team}}]'), delegate].join('---'));
    const s = simulate(set, { host: 'reviews', path: '/api/v2/x' });
    expect(s).toMatchObject({
      outcome: 'route',
      rule: { virtualService: { name: 'reviews' }, ruleIndex: 0 },
      delegate: { virtualService: { namespace: 'team', name: 'reviews-team' }, ruleIndex: 0 },
      delegatedTo: { namespace: 'team', name: 'reviews-team' },
      destinations: [{ subset: 'v2', fqdn: 'reviews.team.svc.cluster.local' }],
    });
    expect(simulate(set, { host: 'reviews', path: '/api/v1' })).toMatchObject({ outcome: 'no-route', delegatedTo: { name: 'reviews-team' } });
  });

  test('authorization: the destination version\'s policies decide for the caller and the request', () => {
    const policy = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews-v2-get, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews, version: v2}}
  rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/shop-web]}}], to: [{operation: {methods: [GET], ports: ['8080']}}]}]
`;
    const set = docs([SERVICES, reviewsRoute(`[{route: [${V2}]}]`), policy].join('---'));
    const from = (labels: Record<string, string>, method = 'GET') => simulate(set, { host: 'reviews', method, from: { namespace: 'shop', labels } })
      .destinations[0].authorization;
    expect(from({ app: 'web' })).toEqual({ decision: 'allow', policies: ['shop/reviews-v2-get'], reason: 'allowed by shop/reviews-v2-get' });
    expect(from({ app: 'web' }, 'POST')?.decision).toBe('deny');
    expect(from({ app: 'reviews', version: 'v1' })?.decision).toBe('deny');
    expect(simulate(set, { host: 'reviews' }).destinations[0].authorization?.decision).toBe('conditional');
  });
});
