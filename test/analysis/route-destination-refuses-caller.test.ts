import { Chart } from 'cdk8s';
import { AuthorizationPolicy, Caller, Destination, Gateway, GatewayProtocol, MeshEnrollment, MeshNamespace, VirtualService } from '../../lib';
import { analyze } from '../../lib/analysis/analyze';
import { docsOf, newChart, service } from '../support/constructs';

/**
 * CDK0012 beyond its fixtures, on apps built with the constructs: which callers count (the
 * install's ingress gateway, a gateway deployed in the input, the callers a mesh route's host
 * admits), and when the analysis stays silent rather than guess.
 */
type Doc = Record<string, any>;

const refusals = (docs: Doc[]) => analyze(docs).filter(m => m.code === 'CDK0012')
  .map(m => `${m.resource.kind} ${m.resource.namespace}/${m.resource.name} ${m.field}: ${m.message}`);

/** A deny-by-default namespace `shop` with the service web behind an ingress Gateway's route. */
function ingressApp() {
  const { chart } = newChart();
  const ns = new MeshNamespace(chart, 'shop');
  ns.denyByDefault();
  const web = service(chart, 'web');
  const gateway = new Gateway(chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
  new VirtualService(chart, 'edge', { hosts: ['shop.example.com'], gateways: [gateway], http: [{ to: [Destination.toService(web)] }] });
  return { chart, web };
}

describe('CDK0012: a route to a Service that refuses its callers', () => {
  test('a classic ingress route into a deny-by-default namespace without an allow for the gateway: every request gets 403', () => {
    const { chart } = ingressApp();
    expect(refusals(docsOf(chart))).toEqual([expect.stringMatching(
      /^VirtualService shop\/edge spec\.http\[0\]\.route\[0\]\.destination\.host: .*ServiceAccount istio-system\/istio-ingressgateway-service-account to shop\/web,/,
    )]);
  });

  test('no finding once web allows the ingress gateway, or only under request conditions (JWT) the manifests cannot decide', () => {
    const allowed = ingressApp();
    allowed.web.allowFrom(Caller.ingressGateway());
    expect(refusals(docsOf(allowed.chart))).toEqual([]);
    const conditional = ingressApp();
    new AuthorizationPolicy(conditional.chart, 'web-jwt', { selector: conditional.web, rules: [{ from: [{ requestPrincipals: ['*'] }] }] });
    expect(refusals(docsOf(conditional.chart))).toEqual([]);
  });

  test('a gateway deployed in the input is judged by its own ServiceAccount; one the input does not hold is not judged', () => {
    const docs = docsOf(ingressApp().chart);
    const custom = docs.map(d => (d.kind === 'Gateway' ? { ...d, spec: { ...d.spec, selector: { app: 'edge-proxy' } } } : d));
    expect(refusals(custom)).toEqual([]);
    const proxy: Doc = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'edge-proxy', namespace: 'edge' },
      spec: {
        selector: { matchLabels: { app: 'edge-proxy' } },
        template: { metadata: { labels: { app: 'edge-proxy' } }, spec: { serviceAccountName: 'edge-proxy', containers: [{ name: 'istio-proxy', image: 'auto' }] } },
      },
    };
    expect(refusals([...custom, proxy])).toEqual([expect.stringContaining('ServiceAccount edge/edge-proxy to shop/web')]);
  });

  test('a mesh split: the callers its host admits by name are judged at the other Service; a host without ALLOW policies names none', () => {
    const { chart } = newChart();
    const [web, admin, catalog, search] = ['web', 'admin', 'catalog', 'search'].map(name => service(chart, name));
    catalog.allowFrom(web);
    catalog.allowFrom(admin);
    search.allowFrom(admin);
    new VirtualService(chart, 'catalog-route', {
      hosts: [catalog], http: [{ to: [catalog.version('v1').withWeight(90), Destination.toService(search).withWeight(10)] }],
    });
    // web may call catalog, and 10% of its calls go to search, which only admin may call
    expect(refusals(docsOf(chart))).toEqual([expect.stringMatching(/^VirtualService shop\/catalog-route spec\.http\[0\]\.route\[1\]\.destination\.host: .*ServiceAccount shop\/web to shop\/search,/)]);
    const open = newChart();
    const [openCatalog, openSearch] = ['catalog', 'search'].map(name => service(open.chart, name));
    openSearch.allowFrom(service(open.chart, 'admin'));
    new VirtualService(open.chart, 'catalog-route', {
      hosts: [openCatalog], http: [{ to: [openCatalog.version('v1').withWeight(90), Destination.toService(openSearch).withWeight(10)] }],
    });
    expect(refusals(docsOf(open.chart))).toEqual([]);
  });

  test('a rule is judged for the gateways its matches name, a rule on source labels and a mirror are not judged', () => {
    const { chart } = ingressApp();
    const docs = docsOf(chart);
    const edge = docs.find(d => d.kind === 'VirtualService')!;
    const web = edge.spec.http[0].route[0].destination;
    const vs = (http: Doc[]) => docs.map(d => (d === edge ? { ...edge, spec: { ...edge.spec, gateways: ['gw', 'mesh'], http } } : d));
    // only the mesh's callers take this rule: the ingress gateway never reaches web through it
    expect(refusals(vs([{ match: [{ gateways: ['mesh'] }], route: [{ destination: web }] }]))).toEqual([]);
    expect(refusals(vs([{ match: [{ gateways: ['gw'] }], route: [{ destination: web }] }]))).toHaveLength(1);
    // a mirror's refusal never reaches the client
    const allowed = ingressApp();
    allowed.web.allowFrom(Caller.ingressGateway());
    const other = service(allowed.chart, 'audit');
    other.allowFrom(allowed.web);
    const mirrored = docsOf(allowed.chart).map(d => (d.kind === 'VirtualService'
      ? { ...d, spec: { ...d.spec, http: [{ ...d.spec.http[0], mirror: { host: other.fqdn } }] } } : d));
    expect(refusals(mirrored)).toEqual([]);
  });

  test('a mesh rule matching source labels is not judged for the host\'s callers', () => {
    const { chart } = newChart();
    const [web, catalog, search] = ['web', 'catalog', 'search'].map(name => service(chart, name));
    catalog.allowFrom(web);
    search.allowFrom(catalog);
    new VirtualService(chart, 'catalog-route', { hosts: [catalog], http: [{ to: [Destination.toService(search)] }] });
    const docs = docsOf(chart);
    expect(refusals(docs)).toHaveLength(1);
    const bySource = docs.map(d => (d.kind === 'VirtualService'
      ? { ...d, spec: { ...d.spec, http: [{ ...d.spec.http[0], match: [{ sourceLabels: { app: 'catalog' } }] }] } } : d));
    expect(refusals(bySource)).toEqual([]);
  });

  test('not judged: a rule on the source namespace, callers a route is not exported to, a waypoint\'s ambient namespace', () => {
    const { app, chart } = newChart();
    const [web, catalog, search] = ['web', 'catalog', 'search'].map(name => service(chart, name));
    const other = new Chart(app, 'other', { namespace: 'admin' });
    const admin = service(other, 'admin');
    catalog.allowFrom(web);
    catalog.allowFrom(admin);
    search.allowFrom(web);
    new VirtualService(chart, 'catalog-route', { hosts: [catalog], exportTo: ['.'], http: [{ to: [Destination.toService(search)] }] });
    // admin may call catalog, but the route is exported to shop only: admin's requests never take it
    expect(refusals([...docsOf(chart), ...docsOf(other)])).toEqual([]);
    const bySourceNamespace = docsOf(chart).map(d => (d.kind === 'VirtualService'
      ? { ...d, spec: { ...d.spec, exportTo: undefined, http: [{ ...d.spec.http[0], match: [{ sourceNamespace: 'admin' }] }] } } : d));
    expect(refusals([...bySourceNamespace, ...docsOf(other)])).toEqual([]);
    const ambient = newChart();
    const ns = new MeshNamespace(ambient.chart, 'shop', { enrollment: MeshEnrollment.AMBIENT });
    ns.addWaypoint();
    ns.denyByDefault();
    const front = service(ambient.chart, 'web');
    front.allowFrom(Caller.ingressGateway());
    const gateway = new Gateway(ambient.chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
    new VirtualService(ambient.chart, 'edge', { hosts: ['shop.example.com'], gateways: [gateway], http: [{ to: [Destination.toService(front)] }] });
    expect(refusals(docsOf(ambient.chart))).toEqual([]);
  });

  test('a principal in the app\'s own trust domain admits the ingress gateway', () => {
    const { chart } = newChart('shop', { 'cdk8s-istio/trustDomain': 'example.org' });
    new MeshNamespace(chart, 'shop').denyByDefault();
    const web = service(chart, 'web');
    web.allowFrom(Caller.ingressGateway());
    const gateway = new Gateway(chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
    new VirtualService(chart, 'edge', { hosts: ['shop.example.com'], gateways: [gateway], http: [{ to: [Destination.toService(web)] }] });
    const docs = docsOf(chart);
    expect(JSON.stringify(docs)).toContain('example.org/ns/istio-system/sa/istio-ingressgateway-service-account');
    expect(refusals(docs)).toEqual([]);
  });
});
