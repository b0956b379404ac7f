import { PAYMENT_PROVIDER_HOST, foodDeliveryApp } from '../../apps/food-delivery';
import { synthesize } from '../../lib';
import { Doc, findDoc, ofKind } from '../support/constructs';

/**
 * Explicit egress in the food delivery app: payment reaches its payment provider only through the
 * egress gateway, and every service's Sidecar is REGISTRY_ONLY with exactly the hosts its
 * service calls (from the app's allowFrom calls, routes and egress routes).
 */
const NS = 'food-delivery';
const EGRESS = 'istio-egressgateway.istio-system.svc.cluster.local';
const svc = (name: string) => `${NS}/${name}.${NS}.svc.cluster.local`;

describe('food delivery egress', () => {
  const { app } = foodDeliveryApp();
  const docs = app.charts.flatMap(chart => chart.toJson() as Doc[]);

  test('the payment provider is reached through the egress gateway: ServiceEntry, Gateway, DestinationRule and the two-hop TLS route', () => {
    expect(findDoc(docs, 'ServiceEntry', 'payment-provider').spec).toEqual({
      hosts: [PAYMENT_PROVIDER_HOST], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], location: 'MESH_EXTERNAL', resolution: 'DNS',
    });
    expect(findDoc(docs, 'Gateway', 'payment-provider-egressgateway').spec.selector).toEqual({ istio: 'egressgateway' });
    expect(findDoc(docs, 'DestinationRule', 'payment-provider-egressgateway').spec.host).toBe(EGRESS);
    const hops = findDoc(docs, 'VirtualService', 'direct-payment-provider-through-egress-gateway').spec.tls;
    expect(hops.map((h: any) => [h.match[0].gateways[0], h.route[0].destination.host])).toEqual([
      ['mesh', EGRESS], ['payment-provider-egressgateway', PAYMENT_PROVIDER_HOST],
    ]);
  });

  test('each service has a REGISTRY_ONLY Sidecar listing exactly the hosts of its calls', () => {
    const sidecars = ofKind(docs, 'Sidecar');
    expect(sidecars.map(s => s.metadata.name).sort()).toEqual(['delivery', 'order', 'payment', 'restaurant', 'user']);
    const hosts = Object.fromEntries(sidecars.map(s => {
      expect(s.spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
      expect(s.spec.workloadSelector).toEqual({ labels: { app: s.metadata.name } });
      return [s.metadata.name, s.spec.egress[0].hosts];
    }));
    expect(hosts).toEqual({
      user: ['istio-system/*'],
      restaurant: ['istio-system/*'],
      order: [svc('delivery'), svc('payment'), svc('restaurant'), 'istio-system/*'],
      delivery: [svc('user'), 'istio-system/*'],
      payment: [`${NS}/${PAYMENT_PROVIDER_HOST}`, 'istio-system/*', `istio-system/${EGRESS}`],
    });
  });

  test('only payment\'s Sidecar lists the provider\'s host, so no other service\'s proxy (REGISTRY_ONLY) reaches it', () => {
    for (const sidecar of ofKind(docs, 'Sidecar').filter(s => s.metadata.name !== 'payment')) {
      const hosts = sidecar.spec.egress[0].hosts as string[];
      expect({ [sidecar.metadata.name]: hosts.filter(h => h.endsWith(PAYMENT_PROVIDER_HOST) || h.endsWith(EGRESS)) })
        .toEqual({ [sidecar.metadata.name]: [] });
    }
  });

  test('the app synthesizes with no finding (the install\'s egress gateway is suppressed where a files-only analysis cannot see it)', () => {
    expect(synthesize(foodDeliveryApp().app).messages.map(m => `${m.code} ${m.resource.kind}/${m.resource.name}`)).toEqual([]);
  });
});
