import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { list, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { VirtualServiceResource, gatewaysOf } from './routes';

/**
 * CDK0008: a Service whose mesh traffic is routed both by a VirtualService (bound to `mesh`, its
 * host the Service's) and by a Gateway API route attached to the Service (GAMMA). Istio turns the
 * route into a VirtualService of its own and does not merge the two: each sidecar keeps one of
 * them for the host (the route for clients in the route's namespace, else the older), so which
 * rules apply depends on where the client runs and on creation order. Reported on the route's
 * parentRef, naming the VirtualServices. istioctl's IST0109 and Kiali's KIA1106 compare
 * VirtualServices only.
 */
export const meshRoutesBothApis: Analyzer = {
  name: 'mesh-routes-both-apis',
  codes: ['CDK0008'],
  analyze(index, report) {
    const byHost = new Map<string, VirtualServiceResource[]>();
    for (const vs of index.virtualServices()) {
      if (!gatewaysOf(vs).includes('mesh')) continue;
      for (const host of new Set(strings(vs.spec.hosts).map(h => qualifyHost(h, vs.namespace)))) {
        byHost.set(host, [...byHost.get(host) ?? [], vs]);
      }
    }
    if (byHost.size === 0) return;
    for (const route of index.gatewayApiRoutes()) {
      list(route.spec.parentRefs).forEach((ref, i) => {
        if (ref.group !== '' || ref.kind !== 'Service' || typeof ref.name !== 'string') return;
        const host = `${ref.name}.${ref.namespace || route.namespace}.svc.cluster.local`;
        const virtualServices = byHost.get(host);
        if (virtualServices === undefined) return;
        const names = virtualServices.map(vs => `${vs.namespace}/${vs.name}`).sort();
        report(route, msg.meshRoutedByBothApis(host, route.kind, names), `spec.parentRefs[${i}]`);
      });
    }
  },
};
