import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { KINDS } from '../group-kinds';
import { GatewayApiReference, GatewayApiRouteSpec, TypedResource, list, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { exportedTo } from './overlaps';
import { VirtualServiceResource, gatewaysOf } from './routes';

/** The route kinds Istio turns into HTTP routes of a VirtualService. */
const HTTP_ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);

/**
 * CDK0008: a Service (or ServiceEntry) whose mesh traffic is routed both by a VirtualService
 * (bound to `mesh`, a host of it the Service's) and by an HTTPRoute or GRPCRoute attached to it
 * (GAMMA), where some client namespace sees both. Istio turns the route into a VirtualService of its
 * own and does not merge the two: each sidecar keeps one of them for the host, by the client's
 * namespace and the order they were created, so which rules apply depends on where the client
 * runs. A route in the Service's namespace applies to every client namespace, one in another
 * namespace (a consumer route) to its own; a VirtualService to those of its `exportTo`. Only
 * equal hosts count: a wildcard host of a VirtualService (`*.shop.svc.cluster.local`) is another
 * virtual host, and Envoy prefers the route's exact one. Reported on the route's first parentRef
 * to the host. istioctl's IST0109 and Kiali's KIA1106 compare VirtualServices only.
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
    /** The hosts a parentRef attaches a mesh route to: a Service's name, or a ServiceEntry's hosts. */
    const parentHosts = (ref: GatewayApiReference, namespace: string): string[] => {
      if (typeof ref.name !== 'string') return [];
      if (ref.group === '' && ref.kind === 'Service') return [`${ref.name}.${namespace}.svc.cluster.local`];
      if (ref.group !== KINDS.ServiceEntry.group || ref.kind !== KINDS.ServiceEntry.kind) return [];
      const entry = index.find(KINDS.ServiceEntry, namespace, ref.name);
      return entry ? strings((entry.spec as { hosts?: unknown }).hosts).map(h => qualifyHost(h, namespace)) : [];
    };
    for (const route of index.gatewayApiRoutes()) {
      if (!HTTP_ROUTE_KINDS.has(route.kind)) continue;
      const reported = new Set<string>();
      list(route.spec.parentRefs).forEach((ref, i) => {
        const namespace = ref.namespace || route.namespace;
        for (const host of parentHosts(ref, namespace)) {
          if (reported.has(host)) continue;
          const virtualServices = (byHost.get(host) ?? []).filter(vs => sharesClients(vs, route, namespace));
          if (virtualServices.length === 0) continue;
          reported.add(host);
          const names = virtualServices.map(vs => `${vs.namespace}/${vs.name}`).sort();
          report(route, msg.meshRoutedByBothApis(host, route.kind, names), `spec.parentRefs[${i}]`);
        }
      });
    }
  },
};

/**
 * Whether some client namespace gets both the VirtualService (its `exportTo`) and the route: all
 * namespaces for a route in its parent's namespace, only its own for a consumer route.
 */
function sharesClients(vs: VirtualServiceResource, route: TypedResource<GatewayApiRouteSpec>, parentNamespace: string): boolean {
  const visible = exportedTo(vs);
  return route.namespace === parentNamespace || visible.has('*') || visible.has(route.namespace);
}
