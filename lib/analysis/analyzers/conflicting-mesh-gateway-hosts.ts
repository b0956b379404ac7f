import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { Resource, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { VirtualServiceResource, gatewaysOf } from './routes';

/** The namespaces a resource is exported to (`*` for all). */
function exportedTo(r: VirtualServiceResource): Set<string> {
  const exportTo = strings(r.spec.exportTo);
  return new Set(exportTo.length === 0 ? ['*'] : exportTo.map(e => (e === '.' ? r.namespace : e)));
}

function exportsOverlap(a: VirtualServiceResource, b: VirtualServiceResource): boolean {
  const x = exportedTo(a);
  const y = exportedTo(b);
  return x.has('*') || y.has('*') || [...x].some(ns => y.has(ns));
}

/** IST0109: two VirtualServices bound to the mesh gateway define the same host. */
export const conflictingMeshGatewayHosts: Analyzer = {
  name: 'conflicting-mesh-gateway-hosts',
  codes: ['IST0109'],
  analyze(index, report) {
    const byHost = new Map<string, VirtualServiceResource[]>();
    for (const vs of index.virtualServices()) {
      if (!gatewaysOf(vs).includes('mesh')) continue;
      const hosts = new Set(strings(vs.spec.hosts).map(h => qualifyHost(h, vs.namespace)));
      for (const host of hosts) byHost.set(host, [...byHost.get(host) ?? [], vs]);
    }
    for (const [host, services] of byHost) {
      if (services.length < 2) continue;
      // Only VirtualServices some namespace sees together conflict (exportTo can keep them apart).
      const conflicting: Resource[] = services.filter(a => services.some(b => b !== a && exportsOverlap(a, b)));
      if (conflicting.length < 2) continue;
      const names = conflicting.map(s => `${s.namespace}/${s.name}`).sort();
      for (const vs of conflicting) report(vs, msg.conflictingMeshGatewayVirtualServiceHosts(names, host), 'spec.hosts');
    }
  },
};
