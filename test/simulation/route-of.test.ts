import { App, Chart, Duration } from 'cdk8s';
import {
  Gateway, GatewayProtocol, HttpMatch, MeshNamespace, MeshService, StringMatch, VirtualService, routeOf, routeTo, simulate,
} from '../../lib';

/** The test API on a chart built with the library, as a user's own suite would use it. */
function shop() {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(chart, 'shop');
  const image = (v: string) => ({ image: `registry.example.com/reviews:${v}` });
  const reviews = new MeshService(chart, 'reviews', { port: 9080, versions: { v1: image('1'), v2: image('2'), v3: image('3') } });
  const web = new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'registry.example.com/web:1' } } });
  const gateway = new Gateway(chart, 'shop-gateway', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
  new VirtualService(chart, 'reviews-route', {
    hosts: [reviews],
    http: [
      { match: [HttpMatch.header('end-user', StringMatch.exact('jason'))], to: [reviews.version('v2')], timeout: Duration.seconds(3) },
      { to: [reviews.version('v1').withWeight(80), reviews.version('v3').withWeight(20)] },
    ],
  });
  new VirtualService(chart, 'ingress', { hosts: ['shop.example.com'], gateways: [gateway], http: [{ to: [web.version('v1')] }] });
  return { app, chart, reviews, web, gateway };
}

describe('routeOf / routeTo', () => {
  const { app, chart, reviews, web, gateway } = shop();

  test('a header match sends jason to v2; everyone else is split 80/20', () => {
    expect(routeOf(chart, { host: 'reviews', headers: { 'end-user': 'jason' } })).toEqual(routeTo(reviews.version('v2')));
    expect(routeOf(chart, { host: 'reviews' })).toEqual(routeTo(reviews.version('v1').withWeight(80), reviews.version('v3').withWeight(20)));
    expect(routeTo(reviews.version('v1').withWeight(80), reviews.version('v3').withWeight(20))).toEqual([
      { host: 'reviews.shop.svc.cluster.local', subset: 'v1', percent: 80 },
      { host: 'reviews.shop.svc.cluster.local', subset: 'v3', percent: 20 },
    ]);
  });

  test('from a MeshService (its namespace, labels and identity) and through a Gateway construct', () => {
    expect(routeOf(app, { host: 'reviews', headers: { 'end-user': 'jason' }, from: web })).toEqual(routeTo(reviews.version('v2')));
    expect(routeOf(app, { host: 'shop.example.com', path: '/cart', from: gateway })).toEqual(routeTo(web.version('v1')));
    expect(routeOf(app, { host: 'shop.example.com', from: web })).toEqual([]);
  });

  test('simulate gives the rest: the rule, its timeout, the authorization', () => {
    const s = simulate(chart, { host: 'reviews.shop.svc.cluster.local', headers: { 'End-User': 'jason' }, from: web });
    expect(s).toMatchObject({
      outcome: 'route',
      timeout: '3s',
      rule: { virtualService: { namespace: 'shop', name: 'reviews-route' }, ruleIndex: 0, matchIndex: 0 },
      destinations: [{ subset: 'v2', authorization: { decision: 'allow' } }],
    });
  });
});
