import { Caller, MeshEnrollment, MeshNamespace, accessMatrix } from '../../lib';
import { allowedEdges } from '../support/access';
import { docsOf, newChart, service } from '../support/constructs';

/** An ambient namespace with web → orders (GET), orders denying everyone else; with or without a waypoint. */
function shop(withWaypoint: boolean) {
  const { chart } = newChart('shop');
  const ns = new MeshNamespace(chart, 'shop', { enrollment: MeshEnrollment.AMBIENT });
  if (withWaypoint) ns.addWaypoint();
  ns.denyByDefault();
  const orders = service(chart, 'orders');
  const web = service(chart, 'web');
  service(chart, 'worker'); // only allow-nothing applies to it
  orders.allowFrom(web, withWaypoint ? { methods: ['GET'] } : {});
  web.allowFrom(Caller.ingressGateway(), withWaypoint ? { methods: ['GET'] } : {});
  return { docs: docsOf(chart) };
}

describe('the access matrix in ambient mode', () => {
  test('through a waypoint: its policies judge the caller, and ztunnel accepts the waypoint alone', () => {
    const m = accessMatrix(shop(true).docs);
    expect(m.callers.map(c => c.id)).toEqual(['istio-system/istio-ingressgateway', 'shop/waypoint', 'shop/orders', 'shop/web', 'shop/worker']);
    expect(allowedEdges(m, { operations: true })).toEqual([
      // the gateway goes through the waypoint too (istio.io/ingress-use-waypoint), so the GET-only rule holds for it
      'istio-system/istio-ingressgateway -> shop/web: GET',
      'shop/waypoint -> shop/orders: all',
      'shop/waypoint -> shop/web: all',
      'shop/web -> shop/orders: GET',
    ]);
  });

  test('without a waypoint, ztunnel judges the callers themselves', () => {
    const m = accessMatrix(shop(false).docs);
    expect(allowedEdges(m)).toEqual(['istio-system/istio-ingressgateway -> shop/web', 'shop/web -> shop/orders']);
  });

  test('a gateway reaches a workload directly unless ingress-use-waypoint is true', () => {
    const docs = shop(true).docs.map(d => (d.kind === 'Namespace'
      ? { ...d, metadata: { ...d.metadata, labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' } } } : d));
    // directly, ztunnel sees the gateway, which its policy (waypoint only) does not allow
    expect(allowedEdges(accessMatrix(docs)).filter(e => e.startsWith('istio-system/'))).toEqual([]);
  });

  test('Gateway API gateways of the manifests are callers, as <name>-istio', () => {
    const docs = [...shop(true).docs, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'shop' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    }];
    const m = accessMatrix(docs);
    expect(m.callers.map(c => c.id)).toContain('shop/edge-istio');
    // edge-istio is not the ingress gateway web allows, and passes the waypoint like any caller
    expect(m.cells['shop/edge-istio']['shop/web'].access).toBe('none');
  });
});
