import { Chart } from 'cdk8s';
import { GATEWAY_API_SCENARIOS, bookinfoApp, bookinfoGatewayApiApp } from '../../apps/bookinfo';
import { HttpRouteParent, RequestSource, SimulationSource, simulate, simulateHttpRoutes, simulatorOf } from '../../lib';

/**
 * The classic and the Gateway API renderings of each Bookinfo scenario route the same requests to
 * the same versions with the same shares: mesh requests to each service with and without the
 * `end-user: jason` header, and the ingress paths of bookinfo-gateway. Classic routes are simulated
 * with simulate() (VirtualServices, subsets), Gateway API routes with simulateHttpRoutes()
 * (HTTPRoutes, version Services), on the base file with the scenario applied on top.
 */
const SERVICES = ['productpage', 'reviews', 'ratings', 'details'];
const USERS: Record<string, Record<string, string>> = { anonymous: {}, jason: { 'end-user': 'jason' } };
const INGRESS_PATHS = ['/productpage', '/static/css/style.css', '/login', '/logout', '/api/v1/products/0/reviews', '/admin'];

/** `<service>/<version or *>: <percent>` of each share, sorted. */
type Shares = string[];

/** The documents of `charts` applied in order: a later object replaces an earlier one of the same identity. */
function applied(charts: readonly Chart[]): Record<string, any>[] {
  const byIdentity = new Map<string, Record<string, any>>();
  for (const doc of charts.flatMap(c => c.toJson())) {
    const key = `${doc.apiVersion.split('/')[0]}/${doc.kind}/${doc.metadata.namespace}/${doc.metadata.name}`;
    byIdentity.delete(key);
    byIdentity.set(key, doc);
  }
  return [...byIdentity.values()];
}

/** Through `gateway` (`<namespace>/<name>`), or from a sidecar in the bookinfo namespace. */
function classicShares(source: SimulationSource, host: string, path: string, headers: Record<string, string>, gateway?: string): Shares {
  const from: RequestSource = gateway ? { gateway } : { namespace: 'bookinfo' };
  const result = simulate(source, { host, path, headers, from });
  return result.destinations.map(d => `${d.host.split('.')[0]}/${d.subsetLabels?.version ?? '*'}: ${d.percent}`).sort();
}

function gatewayApiShares(
  docs: readonly Record<string, any>[], parent: HttpRouteParent, path: string, headers: Record<string, string>,
): Shares {
  const result = simulateHttpRoutes(docs, { parent, path, headers, host: 'bookinfo.example.com' });
  return result.backends.map(b => `${b.selector?.app ?? b.service.name}/${b.selector?.version ?? '*'}: ${b.percent}`).sort();
}

describe('Bookinfo: the classic and the Gateway API renderings route the same requests to the same versions', () => {
  const classic = bookinfoApp();
  const gatewayApi = bookinfoGatewayApiApp();
  const chartOf = (app: typeof classic.app, id: string) => app.charts.find(c => c.node.id === id)!;

  describe.each(['(base only)', ...GATEWAY_API_SCENARIOS])('%s', (scenario) => {
    // rendered and indexed once for the scenario's requests
    const classicRoutes = simulatorOf(scenario === '(base only)' ? [classic.base] : [classic.base, chartOf(classic.app, scenario)]);
    const gatewayApiDocs = applied(scenario === '(base only)' ? [gatewayApi.base] : [gatewayApi.base, chartOf(gatewayApi.app, scenario)]);

    test.each(SERVICES.flatMap(s => Object.keys(USERS).map(u => [s, u])))('mesh request to %s as %s', (service, user) => {
      const parent: HttpRouteParent = { kind: 'Service', namespace: 'bookinfo', name: service };
      const expected = classicShares(classicRoutes, service, '/', USERS[user]);
      expect(expected.length).toBeGreaterThan(0);
      expect(gatewayApiShares(gatewayApiDocs, parent, '/', USERS[user])).toEqual(expected);
    });

    test.each(INGRESS_PATHS)('ingress request for %s', (path) => {
      const parent: HttpRouteParent = { kind: 'Gateway', namespace: 'bookinfo', name: 'bookinfo-gateway' };
      expect(gatewayApiShares(gatewayApiDocs, parent, path, {}))
        .toEqual(classicShares(classicRoutes, 'bookinfo.example.com', path, {}, 'bookinfo/bookinfo-gateway'));
    });
  });

  test('where they differ, as Istio does: a classic URI prefix matches inside a path element, a PathPrefix does not', () => {
    const parent: HttpRouteParent = { kind: 'Gateway', namespace: 'bookinfo', name: 'bookinfo-gateway' };
    expect(classicShares([classic.base], 'bookinfo.example.com', '/staticfile', {}, 'bookinfo/bookinfo-gateway'))
      .toEqual(['productpage/*: 100']);
    expect(gatewayApiShares(applied([gatewayApi.base]), parent, '/staticfile', {})).toEqual([]);
  });
});
