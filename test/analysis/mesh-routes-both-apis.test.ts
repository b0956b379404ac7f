import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { analyze } from '../../lib/analysis/analyze';

/**
 * CDK0008 beyond its fixture (test/fixtures/analysis/CDK0008-*): which VirtualServices and which
 * route parents count as routing the same Service's mesh traffic.
 */
type Doc = Record<string, any>;
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'analysis', 'CDK0008-virtual-service-and-http-route', 'positive.yaml');

/** The fixture's documents (Namespace shop, Service and Deployment reviews, VirtualService and HTTPRoute reviews), changed by `edit`. */
function found(edit: (vs: Doc, route: Doc, docs: Doc[]) => void): string[] {
  const docs = yaml.loadAll(fs.readFileSync(FIXTURE, 'utf8')) as Doc[];
  edit(docs.find(d => d.kind === 'VirtualService')!, docs.find(d => d.kind === 'HTTPRoute')!, docs);
  return analyze(docs).filter(m => m.code === 'CDK0008').map(m => `${m.resource.kind} ${m.resource.namespace}/${m.resource.name} ${m.field}`);
}

describe('CDK0008: a Service routed by a VirtualService and by a Gateway API route', () => {
  test('a short host, the full name and a VirtualService bound to mesh and a gateway all route the mesh', () => {
    expect(found(() => undefined)).toEqual(['HTTPRoute shop/reviews spec.parentRefs[0]']);
    expect(found(vs => { vs.spec.hosts = ['reviews.shop.svc.cluster.local']; })).toHaveLength(1);
    expect(found(vs => { vs.spec.gateways = ['mesh', 'shop/edge']; })).toHaveLength(1);
  });

  test('a VirtualService of another namespace naming the Service by its full name is reported, and named', () => {
    const docs = yaml.loadAll(fs.readFileSync(FIXTURE, 'utf8')) as Doc[];
    const vs = docs.find(d => d.kind === 'VirtualService')!;
    const other = { ...vs, metadata: { name: 'reviews-canary', namespace: 'web' }, spec: { ...vs.spec, hosts: ['reviews.shop.svc.cluster.local'] } };
    const messages = analyze([...docs, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } }, other]).filter(m => m.code === 'CDK0008');
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toContain('by the VirtualServices shop/reviews, web/reviews-canary');
  });

  test('a consumer route (in another namespace, its parent the Service of shop) is reported', () => {
    expect(found((_, route, docs) => {
      route.metadata.namespace = 'web';
      route.spec.parentRefs[0].namespace = 'shop';
      route.spec.rules[0].backendRefs[0].namespace = 'shop';
      docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
    })).toEqual(['HTTPRoute web/reviews spec.parentRefs[0]']);
  });

  test('no message where no client namespace sees both: a consumer route beside a VirtualService exported to its own namespace only', () => {
    const consumer = (exportTo: string[]) => found((vs, route, docs) => {
      vs.spec.exportTo = exportTo;
      route.metadata.namespace = 'web';
      route.spec.parentRefs[0].namespace = 'shop';
      route.spec.rules[0].backendRefs[0].namespace = 'shop';
      docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
    });
    expect(consumer(['.'])).toEqual([]);
    expect(consumer(['.', 'web'])).toHaveLength(1);
    expect(consumer(['*'])).toHaveLength(1);
    // a route in the Service's namespace reaches every client, those of an exportTo: ["."] VirtualService too
    expect(found(vs => { vs.spec.exportTo = ['.']; })).toHaveLength(1);
  });

  test('a route attached to a ServiceEntry counts for the entry\'s hosts', () => {
    expect(found((vs, route, docs) => {
      vs.spec.hosts = ['api.example.com'];
      route.spec.parentRefs = [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api' }];
      docs.push({
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
        metadata: { name: 'api', namespace: 'shop' },
        spec: { hosts: ['api.example.com'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] },
      });
    })).toEqual(['HTTPRoute shop/reviews spec.parentRefs[0]']);
  });

  test('two parentRefs to the same Service (two sections) give one message; a GRPCRoute counts, a TCPRoute does not', () => {
    expect(found((_, route) => {
      route.spec.parentRefs = ['http', 'grpc'].map(sectionName => ({ ...route.spec.parentRefs[0], sectionName }));
    })).toHaveLength(1);
    expect(found((_, route) => { route.kind = 'GRPCRoute'; })).toEqual(['GRPCRoute shop/reviews spec.parentRefs[0]']);
    expect(found((_, route) => {
      route.apiVersion = 'gateway.networking.k8s.io/v1alpha2';
      route.kind = 'TCPRoute';
    })).toEqual([]);
  });

  test('no message for a VirtualService of gateways only, a wildcard host, another Service, or a route on a Gateway', () => {
    expect(found(vs => { vs.spec.gateways = ['shop/edge']; })).toEqual([]);
    expect(found(vs => { vs.spec.hosts = ['*.shop.svc.cluster.local']; })).toEqual([]);
    expect(found(vs => { vs.spec.hosts = ['ratings']; })).toEqual([]);
    expect(found((_, route) => { route.spec.parentRefs = [{ name: 'shop-gateway' }]; })).toEqual([]);
  });
});
