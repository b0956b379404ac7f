import { bookinfoAmbientApp, bookinfoApp } from '../../apps/bookinfo';
import { accessMatrix, analyze, synthesize } from '../../lib';
import { allowedEdges } from '../support/access';
import { keyOf, normalize, readReference, testNeeding } from '../support/reference';

const build = () => bookinfoAmbientApp();
const synthesis = synthesize(build().app);
const docs = [...synthesis.documents.values()].flat().map(d => d.doc as Record<string, any>);
const find = (kind: string, name: string) => {
  const found = docs.filter(d => d.kind === kind && d.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};
const services = ['productpage', 'details', 'reviews', 'ratings'];

describe('Bookinfo in ambient mode (dist/bookinfo-ambient/)', () => {
  test('synthesizes without findings', () => {
    expect(synthesis.messages).toEqual([]);
  });

  test('the namespace is ambient and uses the waypoint, for ingress traffic too', () => {
    expect(find('Namespace', 'bookinfo').metadata.labels).toEqual({
      'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint', 'istio.io/ingress-use-waypoint': 'true',
    });
    expect(find('Gateway', 'waypoint').spec).toEqual({
      gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
    });
  });

  test('no sidecar-era objects: no DestinationRule, VirtualService or Istio Gateway (the ambient profile has no istio-ingressgateway)', () => {
    expect(docs.filter(d => ['DestinationRule', 'VirtualService'].includes(d.kind) || d.apiVersion.startsWith('networking.istio.io/')))
      .toEqual([]);
  });

  test.each(services)('the %s viewer policy is attached to its Services at the waypoint, and its ztunnel accepts only the waypoint', name => {
    const viewer = find('AuthorizationPolicy', `${name}-viewer`);
    expect(viewer.spec.selector).toBeUndefined();
    expect(viewer.spec.targetRefs).toEqual([name, `${name}-v1`].map(n => ({ group: '', kind: 'Service', name: n })));
    expect(viewer.spec.rules.every((r: any) => r.to[0].operation.methods[0] === 'GET')).toBe(true);
    expect(find('AuthorizationPolicy', `${name}-ztunnel`).spec).toEqual({
      selector: { matchLabels: { app: name } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/waypoint'] } }] }],
    });
  });

  test('who may call whom: the secure profile\'s call graph, through the waypoint', () => {
    const m = accessMatrix(docs);
    expect(allowedEdges(m, { operations: true }).filter(e => !e.includes('-> bookinfo/productpage') && !e.startsWith('bookinfo/waypoint'))).toEqual([
      'bookinfo/productpage -> bookinfo/details: GET',
      'bookinfo/productpage -> bookinfo/reviews: GET',
      'bookinfo/reviews -> bookinfo/ratings: GET',
    ]);
    // productpage-viewer allows any caller, the Gateway API ingress gateway (bookinfo-gateway-istio) included
    for (const caller of m.callers.filter(c => c.id !== 'bookinfo/waypoint')) {
      expect(m.cells[caller.id]['bookinfo/productpage']).toMatchObject({ access: 'some', operations: ['GET'] });
    }
    expect(m.callers.map(c => c.id)).toEqual(expect.arrayContaining(['bookinfo/bookinfo-gateway-istio', 'bookinfo/waypoint']));
    // the waypoint itself may reach every pod (ztunnel's side); the callers' checks happen at the waypoint
    for (const name of services) expect(m.cells['bookinfo/waypoint'][`bookinfo/${name}`].access).toBe('all');
  });

  test('the gateway\'s own proxy, deployed in the deny-by-default namespace, admits GET (upstream\'s bookinfo-gateway-viewer)', () => {
    expect(find('AuthorizationPolicy', 'bookinfo-gateway-viewer').spec).toEqual({
      action: 'ALLOW',
      rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'bookinfo-gateway' }],
    });
  });

  test('without it the synth fails: allow-nothing would refuse every request at the gateway (CDK0010)', () => {
    const withoutViewer = docs.filter(d => !(d.kind === 'AuthorizationPolicy' && d.metadata.name === 'bookinfo-gateway-viewer'));
    expect(analyze(withoutViewer).filter(m => m.code === 'CDK0010').map(m => m.resource.name)).toEqual(['bookinfo-gateway']);
  });

  test('mutual TLS stays STRICT and the namespace denies by default (both enforced by ztunnel)', () => {
    expect(find('PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(find('AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
  });

  testNeeding('reference/istio/samples/bookinfo/gateway-api/bookinfo-gateway.yaml')(
    'the ingress is upstream\'s gateway-api/bookinfo-gateway.yaml, field for field', () => {
      for (const upstream of readReference('istio/samples/bookinfo/gateway-api/bookinfo-gateway.yaml')) {
        const ours = docs.find(d => keyOf(d) === keyOf(upstream) && d.apiVersion === upstream.apiVersion);
        expect(normalize(ours)).toEqual(normalize(upstream));
      }
    });

  testNeeding('reference/istio/samples/bookinfo/platform/kube/bookinfo-versions.yaml')(
    'the version Services the routes name are those of upstream\'s bookinfo-versions.yaml', () => {
      const upstream = readReference('istio/samples/bookinfo/platform/kube/bookinfo-versions.yaml');
      const ours = docs.filter(d => d.kind === 'Service' && /-v\d$/.test(d.metadata.name));
      expect(ours.map(keyOf).sort()).toEqual(services.map(s => `Service/${s}-v1`).sort());
      for (const doc of ours) expect(normalize(doc)).toEqual(normalize(upstream.find(u => keyOf(u) === keyOf(doc))));
    });

  testNeeding('reference/istio/manifests/profiles/ambient.yaml')(
    'what the ambient install profile installs serves the app: ztunnel and CNI on, no istio-ingressgateway, so ingress is a Gateway API Gateway', () => {
      const [profile] = readReference('istio/manifests/profiles/ambient.yaml');
      expect(profile.spec.components.ztunnel.enabled).toBe(true);
      expect(profile.spec.components.cni.enabled).toBe(true);
      expect(profile.spec.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: false }]);
      const gateways = docs.filter(d => d.kind === 'Gateway');
      expect(gateways.map(g => `${g.apiVersion} ${g.spec.gatewayClassName}`).sort())
        .toEqual(['gateway.networking.k8s.io/v1 istio', 'gateway.networking.k8s.io/v1 istio-waypoint']);
    });

  test('no workload carries a sidecar setting (ambient pods have none)', () => {
    const templates = docs.filter(d => d.kind === 'Deployment').map(d => d.spec.template.metadata);
    expect(templates).toHaveLength(6);
    for (const t of templates) expect(Object.keys(t.annotations ?? {}).filter(k => k.startsWith('sidecar.istio.io/'))).toEqual([]);
  });

  test('ambient needs the Gateway API rendering', () => {
    expect(() => bookinfoApp({ ambient: true })).toThrow(/bookinfo: ambient: the ambient install profile has no istio-ingressgateway.*routingApi: RoutingApi.GATEWAY_API/);
  });
});
