import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { MeshIndex, list, selects, strings } from '../mesh-index';
import { msg } from '../message-constructors';

/** The reserved gateway name of the sidecars. */
const MESH_GATEWAY = 'mesh';

/**
 * IST0140: a VirtualService bound to a gateway routes a host without a subset while another
 * VirtualService routes that host (one of its own hosts) to subsets: those subset rules do not
 * apply to the gateway's requests, which go to every version. One message per such destination
 * and other VirtualService. Hosts are compared fully qualified; a VirtualService bound only to
 * `mesh` is not a gateway route. Unlike istioctl, nothing is reported when every pod of the host's
 * Service (in the input) is in each subset routed to (one version only): the gateway's requests
 * then reach the same pods.
 */
export const ingressRouteRules: Analyzer = {
  name: 'ingress-route-rules',
  codes: ['IST0140'],
  analyze(index, report) {
    const subsetRoutesByHost = new Map<string, Map<string, Set<string>>>();
    for (const vs of index.virtualServices()) {
      const ownHosts = new Set(strings(vs.spec.hosts).map(h => qualifyHost(h, vs.namespace)));
      for (const rule of list(vs.spec.http)) {
        for (const route of list(rule.route)) {
          const host = route.destination?.host;
          if (!route.destination?.subset || typeof host !== 'string') continue;
          const fqdn = qualifyHost(host, vs.namespace);
          if (!ownHosts.has(fqdn)) continue;
          const byRoute = subsetRoutesByHost.get(fqdn) ?? new Map<string, Set<string>>();
          const name = `${vs.namespace}/${vs.name}`;
          subsetRoutesByHost.set(fqdn, byRoute.set(name, (byRoute.get(name) ?? new Set()).add(route.destination.subset)));
        }
      }
    }
    for (const vs of index.virtualServices()) {
      if (!strings(vs.spec.gateways).some(g => g !== MESH_GATEWAY)) continue;
      const self = `${vs.namespace}/${vs.name}`;
      list(vs.spec.http).forEach((rule, i) => list(rule.route).forEach((route, j) => {
        const host = route.destination?.host;
        if (route.destination?.subset || typeof host !== 'string') return;
        const fqdn = qualifyHost(host, vs.namespace);
        for (const [other, subsets] of [...subsetRoutesByHost.get(fqdn) ?? []].sort(([a], [b]) => (a < b ? -1 : 1))) {
          if (other === self || subsetsSelectEveryPod(index, fqdn, vs.namespace, subsets)) continue;
          report(vs, msg.ingressRouteRulesNotAffected(other, self), `spec.http[${i}].route[${j}].destination`);
        }
      }));
    }
  },
};

/** Whether the host is a Service of the input whose every pod template carries the labels of each subset (by its DestinationRules). */
function subsetsSelectEveryPod(index: MeshIndex, fqdn: string, namespace: string, subsets: ReadonlySet<string>): boolean {
  const service = index.service(fqdn);
  if (service?.spec.selector === undefined) return false;
  const pods = index.selectedWorkloads(service.namespace, service.spec.selector);
  const rules = index.destinationRulesFor(fqdn, namespace);
  return pods.length > 0 && [...subsets].every(name => {
    const subset = rules.flatMap(r => list(r.spec.subsets)).find(s => s.name === name);
    return subset !== undefined && pods.every(p => selects(subset.labels, p.labels));
  });
}
