import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { Resource } from '../mesh-index';
import { gatewaysOf } from './routes';

/** IST0109: two VirtualServices bound to the mesh gateway define the same host. */
export const conflictingMeshGatewayHosts: Analyzer = {
  codes: ['IST0109'],
  analyze(index, report) {
    const byHost = new Map<string, Resource[]>();
    for (const vs of index.ofKind('VirtualService')) {
      if (!gatewaysOf(vs).includes('mesh')) continue;
      const hosts = new Set<string>((vs.doc.spec?.hosts ?? []).map((h: string) => qualifyHost(h, vs.namespace)));
      for (const host of hosts) byHost.set(host, [...byHost.get(host) ?? [], vs]);
    }
    for (const [host, services] of byHost) {
      if (services.length < 2) continue;
      const names = services.map(s => `${s.namespace}/${s.name}`).sort().join(',');
      for (const vs of services) {
        report('IST0109', vs, `The VirtualServices ${names} associated with mesh gateway define the same host ${host} which can lead to undefined behavior. Merge them into a single resource.`, 'spec.hosts');
      }
    }
  },
};
