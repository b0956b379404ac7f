import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { gatewayReference, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { HostTable, exportsOverlap } from './overlaps';
import { VirtualServiceResource, gatewaysOf } from './routes';

/** One host of a VirtualService on one of its gateways. */
interface BoundHost {
  readonly vs: VirtualServiceResource;
  readonly host: string;
}

/**
 * KIA1106: two VirtualServices bound to the same gateway (`mesh`, the sidecars, when they name
 * none; a gateway by `<namespace>/<name>` whichever way it is written) define overlapping hosts
 * (equal, or a wildcard covering the other) and some namespace sees both under exportTo: Istio
 * merges them in no guaranteed order, and sidecars take only one. Hosts are looked up per gateway
 * by name, not compared pairwise.
 */
export const virtualServiceSameHost: Analyzer = {
  name: 'virtual-service-same-host',
  codes: ['KIA1106'],
  analyze(index, report) {
    const byGateway = new Map<string, { bound: BoundHost[]; table: HostTable<BoundHost> }>();
    for (const vs of index.virtualServices()) {
      const hosts = new Set(strings(vs.spec.hosts).map(h => qualifyHost(h, vs.namespace)));
      for (const gateway of new Set(gatewaysOf(vs).map(g => (g === 'mesh' ? g : gatewayReference(g, vs.namespace).join('/'))))) {
        let entry = byGateway.get(gateway);
        if (!entry) byGateway.set(gateway, entry = { bound: [], table: new HostTable() });
        for (const host of hosts) {
          const bound = { vs, host };
          entry.bound.push(bound);
          entry.table.add(host, bound);
        }
      }
    }
    const clashes = new Map<VirtualServiceResource, { hosts: Set<string>; others: Set<string> }>();
    const note = (a: BoundHost, b: BoundHost) => {
      let c = clashes.get(a.vs);
      if (!c) clashes.set(a.vs, c = { hosts: new Set(), others: new Set() });
      c.hosts.add(a.host);
      c.others.add(`${b.vs.namespace}/${b.vs.name}`);
    };
    for (const { bound, table } of byGateway.values()) {
      for (const a of bound) {
        for (const b of table.covering(a.host)) {
          if (b.vs === a.vs || !exportsOverlap(a.vs, b.vs)) continue;
          note(a, b);
          note(b, a);
        }
      }
    }
    for (const [vs, { hosts, others }] of clashes) {
      report(vs, msg.multipleVirtualServicesForHost([...hosts].sort(), [...others].sort()), 'spec.hosts');
    }
  },
};
