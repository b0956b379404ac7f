import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { HostOverlapIndex } from './host-overlap';
import { exportsOverlap } from './overlaps';
import { VirtualServiceResource, gatewaysOf } from './routes';

/**
 * IST0109: VirtualServices bound to the mesh gateway define overlapping hosts (the same host, or
 * a wildcard matching the other's: `*.productpage.d` and `*.d`) that some namespace sees together
 * (exportTo), so which routes apply is undefined. One message per VirtualService, naming every
 * VirtualService it conflicts with and the hosts that conflict.
 */
export const conflictingMeshGatewayHosts: Analyzer = {
  name: 'conflicting-mesh-gateway-hosts',
  codes: ['IST0109'],
  analyze(index, report) {
    const meshBound = index.virtualServices().filter(vs => gatewaysOf(vs).includes('mesh'));
    const hostsOf = new Map(meshBound.map(vs => [vs, [...new Set(strings(vs.spec.hosts).map(h => qualifyHost(h, vs.namespace)))]]));
    const byHost = new HostOverlapIndex<VirtualServiceResource>();
    for (const [vs, hosts] of hostsOf) for (const host of hosts) byHost.add(host, vs);
    for (const [vs, hosts] of hostsOf) {
      const conflicting = new Set<VirtualServiceResource>();
      const conflictingHosts: string[] = [];
      for (const host of hosts) {
        const others = byHost.overlapping(host).filter(other => other !== vs && exportsOverlap(vs, other));
        if (others.length === 0) continue;
        conflictingHosts.push(host);
        for (const other of others) conflicting.add(other);
      }
      if (conflicting.size === 0) continue;
      const names = [vs, ...conflicting].map(s => `${s.namespace}/${s.name}`).sort();
      report(vs, msg.conflictingMeshGatewayVirtualServiceHosts(names, conflictingHosts.join(',')), 'spec.hosts');
    }
  },
};
