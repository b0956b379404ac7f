import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { BOOKINFO_HTTPS_HOST, BOOKINFO_TLS_SECRET, bookinfoApp } from '../../apps/bookinfo';
import { Destination, RouteSimulator, RouteRequest, routeOf, routeTo, simulate, simulatorOf } from '../../lib';

/**
 * Where Bookinfo's requests go in each traffic scenario of the Istio tasks, simulated on the base
 * app with the scenario applied on top (as `kubectl apply -f dist/bookinfo/scenarios/<file>` does):
 * every file of dist/bookinfo/scenarios/ has its route tests here, and each says what the task says.
 */
const SCENARIO_DIR = path.join(__dirname, '..', '..', 'dist', 'bookinfo', 'scenarios');

const { app, base: b } = bookinfoApp();
const JASON = { 'end-user': 'jason' };

/** The mesh with one scenario applied, rendered and indexed once. */
function withScenario(name: string): RouteSimulator {
  const chart = app.node.tryFindChild(name);
  if (!Chart.isChart(chart)) throw new Error(`no scenario chart ${name}`);
  return simulatorOf([b, chart]);
}

/** What productpage's call to reviews (or reviews' call to ratings, ...) gets, for jason and for anyone. */
const reviewsFor = (mesh: RouteSimulator, headers = {}) => routeOf(mesh, { host: 'reviews', headers, from: b.productpage });
const ratingsFor = (mesh: RouteSimulator, headers = {}) => routeOf(mesh, { host: 'ratings', headers, from: b.reviews });
const detailsCall: RouteRequest = { host: 'details', path: '/details/0', from: b.productpage };

const v1 = (...services: typeof b.reviews[]) => services.map(s => routeTo(s.version('v1')));

const ROUTE_TESTS: Record<string, () => void> = {
  'virtual-service-all-v1': () => {
    test('every service is routed to v1, for jason and for everyone else', () => {
      const mesh = withScenario('virtual-service-all-v1');
      for (const headers of [{}, JASON]) {
        const calls = [b.productpage, b.reviews, b.ratings, b.details]
          .map(s => routeOf(mesh, { host: s.host, headers, from: b.productpage }));
        expect(calls).toEqual(v1(b.productpage, b.reviews, b.ratings, b.details));
      }
    });
  },
  'virtual-service-reviews-test-v2': () => {
    test('the user jason sees reviews v2 (black stars); everyone else v1', () => {
      const mesh = withScenario('virtual-service-reviews-test-v2');
      expect(reviewsFor(mesh, JASON)).toEqual(routeTo(b.reviews.version('v2')));
      expect(reviewsFor(mesh)).toEqual(routeTo(b.reviews.version('v1')));
      expect(reviewsFor(mesh, { 'end-user': 'Jason' })).toEqual(routeTo(b.reviews.version('v1')));
    });
  },
  'virtual-service-reviews-90-10': () => {
    test('90% of the requests go to reviews v1, 10% to v2, whoever logs in', () => {
      const mesh = withScenario('virtual-service-reviews-90-10');
      const split = routeTo(b.reviews.version('v1').withWeight(90), b.reviews.version('v2').withWeight(10));
      expect(reviewsFor(mesh)).toEqual(split);
      expect(reviewsFor(mesh, JASON)).toEqual(split);
    });
  },
  'virtual-service-reviews-80-20': () => {
    test('80% of the requests go to reviews v1, 20% to v2', () => {
      expect(reviewsFor(withScenario('virtual-service-reviews-80-20')))
        .toEqual(routeTo(b.reviews.version('v1').withWeight(80), b.reviews.version('v2').withWeight(20)));
    });
  },
  'virtual-service-reviews-50-v3': () => {
    test('half of the requests go to reviews v1 (no stars), half to v3 (red stars)', () => {
      const route = reviewsFor(withScenario('virtual-service-reviews-50-v3'));
      expect(route).toEqual(routeTo(b.reviews.version('v1').withWeight(50), b.reviews.version('v3').withWeight(50)));
      expect(route.map(r => r.percent)).toEqual([50, 50]);
    });
  },
  'virtual-service-reviews-v2-v3': () => {
    test('reviews v2 and v3 share the requests 50/50; v1 gets none', () => {
      const route = reviewsFor(withScenario('virtual-service-reviews-v2-v3'));
      expect(route).toEqual(routeTo(b.reviews.version('v2').withWeight(50), b.reviews.version('v3').withWeight(50)));
      expect(route.map(r => r.subset)).not.toContain('v1');
    });
  },
  'virtual-service-reviews-v3': () => {
    test('every request goes to reviews v3 (red stars)', () => {
      const mesh = withScenario('virtual-service-reviews-v3');
      expect(reviewsFor(mesh)).toEqual(routeTo(b.reviews.version('v3')));
      expect(reviewsFor(mesh, JASON)).toEqual(routeTo(b.reviews.version('v3')));
    });
  },
  'virtual-service-reviews-jason-v2-v3': () => {
    test('jason sees reviews v2; everyone else v3', () => {
      const mesh = withScenario('virtual-service-reviews-jason-v2-v3');
      expect(reviewsFor(mesh, JASON)).toEqual(routeTo(b.reviews.version('v2')));
      expect(reviewsFor(mesh)).toEqual(routeTo(b.reviews.version('v3')));
    });
  },
  'virtual-service-ratings-test-delay': () => {
    test('ratings answers jason after a 7s delay (every request); everyone else gets ratings v1 without delay', () => {
      const mesh = withScenario('virtual-service-ratings-test-delay');
      const jason = simulate(mesh, { host: 'ratings', headers: JASON, from: b.reviews });
      expect(jason.fault).toEqual({ delay: { fixedDelay: '7s', percentage: { value: 100 } } });
      expect(ratingsFor(mesh, JASON)).toEqual(routeTo(b.ratings.version('v1')));
      const others = simulate(mesh, { host: 'ratings', from: b.reviews });
      expect(others.fault).toBeUndefined();
      expect(ratingsFor(mesh)).toEqual(routeTo(b.ratings.version('v1')));
    });
  },
  'virtual-service-ratings-test-abort': () => {
    test('ratings aborts jason\'s requests with HTTP 500; everyone else gets ratings v1', () => {
      const mesh = withScenario('virtual-service-ratings-test-abort');
      expect(simulate(mesh, { host: 'ratings', headers: JASON, from: b.reviews }).fault)
        .toEqual({ abort: { httpStatus: 500, percentage: { value: 100 } } });
      expect(simulate(mesh, { host: 'ratings', from: b.reviews })).toMatchObject({ outcome: 'route', rule: { ruleIndex: 1 } });
      expect(simulate(mesh, { host: 'ratings', from: b.reviews }).fault).toBeUndefined();
    });
  },
  'virtual-service-details-v2': () => {
    test('details is served by v2 (the subset the rule defines for it)', () => {
      const mesh = withScenario('virtual-service-details-v2');
      expect(routeOf(mesh, detailsCall)).toEqual(routeTo(Destination.toSubset(b.rules.details, 'v2')));
      expect(simulate(mesh, detailsCall).destinations[0].problem).toBeUndefined();
    });
  },
  'virtual-service-ratings-db': () => {
    test('reviews v3 calls ratings v2, which reads MongoDB', () => {
      const mesh = withScenario('virtual-service-ratings-db');
      expect(reviewsFor(mesh)).toEqual(routeTo(b.reviews.version('v3')));
      expect(ratingsFor(mesh)).toEqual(routeTo(Destination.toSubset(b.rules.ratings, 'v2')));
    });
  },
  'virtual-service-ratings-mysql': () => {
    test('reviews v3 calls ratings v2-mysql, which reads MySQL', () => {
      const mesh = withScenario('virtual-service-ratings-mysql');
      expect(reviewsFor(mesh)).toEqual(routeTo(b.reviews.version('v3')));
      expect(ratingsFor(mesh)).toEqual(routeTo(Destination.toSubset(b.rules.ratings, 'v2-mysql')));
    });
  },
  'virtual-service-ratings-mysql-vm': () => {
    test('reviews v3 calls ratings v2-mysql-vm, which reads MySQL on a VM', () => {
      const mesh = withScenario('virtual-service-ratings-mysql-vm');
      expect(reviewsFor(mesh)).toEqual(routeTo(b.reviews.version('v3')));
      expect(ratingsFor(mesh)).toEqual(routeTo(Destination.toSubset(b.rules.ratings, 'v2-mysql-vm')));
    });
  },
  'fault-injection-details-v1': () => {
    test('every request to details is aborted with HTTP 555 by the first rule; the second rule is never reached', () => {
      const s = simulate(withScenario('fault-injection-details-v1'), detailsCall);
      expect(s).toMatchObject({ outcome: 'route', rule: { ruleIndex: 0 }, fault: { abort: { httpStatus: 555, percentage: { value: 100 } } } });
      expect(s.destinations.map(d => d.subset)).toEqual(['v1']);
    });
  },
  'destination-rule-all-mtls': () => {
    test('the ISTIO_MUTUAL rules keep every subset, so every service is still routed to v1 without a 503', () => {
      const mesh = withScenario('destination-rule-all-mtls');
      const calls = [b.productpage, b.reviews, b.ratings, b.details].map(s => simulate(mesh, { host: s.host, from: b.productpage }));
      expect(calls.map(c => c.destinations.map(d => [d.subset, d.problem]))).toEqual([[['v1', undefined]], [['v1', undefined]],
        [['v1', undefined]], [['v1', undefined]]]);
    });
  },
  'destination-rule-reviews': () => {
    test('the random-balancing rule for reviews keeps the subsets: reviews stays on v1, whose subset it defines', () => {
      const mesh = withScenario('destination-rule-reviews');
      const s = simulate(mesh, { host: 'reviews', from: b.productpage });
      expect(s.destinations).toEqual([expect.objectContaining({ subset: 'v1', subsetLabels: { version: 'v1' } })]);
      expect(s.destinations[0].problem).toBeUndefined();
    });
  },
  'egress-rule-google-apis': () => {
    test('plain HTTP to www.googleapis.com on port 80 is sent to port 443 (where the rule originates TLS)', () => {
      const s = simulate(withScenario('egress-rule-google-apis'), { host: 'www.googleapis.com', port: 80, path: '/books/v1/volumes', from: b.productpage });
      expect(s.destinations).toEqual([expect.objectContaining({ fqdn: 'www.googleapis.com', port: 443, percent: 100 })]);
      expect(simulate(withScenario('egress-rule-google-apis'), { host: 'www.googleapis.com', port: 8080, from: b.productpage }).outcome)
        .toBe('no-route');
    });
  },
  'bookinfo-https': () => {
    test('HTTP to bookinfo.example.com is redirected to HTTPS; over HTTPS the base\'s paths reach productpage; other hosts are not served', () => {
      const mesh = withScenario('bookinfo-https');
      const gateway = { gateway: 'bookinfo/bookinfo-gateway', namespace: 'istio-system' };
      const request = (host: string, port: number, uri = '/productpage') =>
        simulate(mesh, { host, port, path: uri, scheme: port === 8443 ? 'https' : 'http', from: gateway });
      expect(request(BOOKINFO_HTTPS_HOST, 8080)).toMatchObject({ outcome: 'redirect' });
      expect(request(BOOKINFO_HTTPS_HOST, 8443).destinations)
        .toEqual([expect.objectContaining({ fqdn: 'productpage.bookinfo.svc.cluster.local', port: 9080, percent: 100 })]);
      expect(request(BOOKINFO_HTTPS_HOST, 8443, '/admin').outcome).toBe('no-route');
      expect(request('other.example.com', 8443).outcome).toBe('no-route');
    });
    test('the Gateway terminates TLS with the Secret ecommerce-tls-secret (no key material in the manifests)', () => {
      const chart = app.node.tryFindChild('bookinfo-https') as Chart;
      const [gateway] = chart.toJson();
      expect(gateway.spec.servers.map((s: any) => [s.port.number, s.hosts, s.tls])).toEqual([
        [8080, [BOOKINFO_HTTPS_HOST], { httpsRedirect: true }],
        [8443, [BOOKINFO_HTTPS_HOST], { mode: 'SIMPLE', credentialName: BOOKINFO_TLS_SECRET }],
      ]);
      expect(BOOKINFO_TLS_SECRET).toBe('ecommerce-tls-secret');
    });
  },
  'certmanager-gateway': () => {
    test('ACME HTTP-01 challenges on any host reach the cert-manager solver; other paths have no route on that gateway', () => {
      const mesh = withScenario('certmanager-gateway');
      const gateway = { gateway: 'istio-system/cert-manager-gateway' };
      const challenge = simulate(mesh, { host: 'shop.example.com', path: '/.well-known/acme-challenge/abc', from: gateway });
      expect(challenge.destinations).toEqual([expect.objectContaining({ fqdn: 'cert-manager-resolver.istio-system.svc.cluster.local', port: 8089 })]);
      expect(simulate(mesh, { host: 'shop.example.com', path: '/productpage', from: gateway }).outcome).toBe('no-route');
    });
  },
};

describe('Bookinfo routes', () => {
  test('the ingress gateway sends /productpage, /static, /login, /logout and /api/v1/products to productpage; nothing else', () => {
    const mesh = simulatorOf(b);
    const through = (p: string) => routeOf(mesh, { host: 'bookinfo.example.com', path: p, from: b.gateway });
    const productpage = routeTo(Destination.toService(b.productpage, { port: 9080 }));
    for (const p of ['/productpage', '/static/img/x.png', '/login', '/logout', '/api/v1/products/0']) expect(through(p)).toEqual(productpage);
    for (const p of ['/', '/productpage/x', '/admin']) expect(through(p)).toEqual([]);
  });

  test('every scenario file in dist/bookinfo/scenarios/ has route tests', () => {
    const files = fs.readdirSync(SCENARIO_DIR).filter(f => f.endsWith('.yaml')).map(f => f.replace(/\.yaml$/, '')).sort();
    expect(Object.keys(ROUTE_TESTS).sort()).toEqual(files);
  });

  for (const [scenario, tests] of Object.entries(ROUTE_TESTS)) describe(scenario, tests);
});
