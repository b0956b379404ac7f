import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { Resource } from '../mesh-index';
import { gatewaysOf } from './routes';

/** The namespaces a resource is exported to (`*` for all). */
function exportedTo(r: Resource): Set<string> {
  const exportTo: string[] = r.doc.spec?.exportTo ?? ['*'];
  return new Set(exportTo.length === 0 ? ['*'] : exportTo.map(e => (e === '.' ? r.namespace : e)));
}

function exportsOverlap(a: Resource, b: Resource): boolean {
  const x = exportedTo(a);
  const y = exportedTo(b);
  return x.has('*') || y.has('*') || [...x].some(ns => y.has(ns));
}

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
      // Only VirtualServices some namespace sees together conflict (exportTo can keep them apart).
      const conflicting = services.filter(a => services.some(b => b !== a && exportsOverlap(a, b)));
      if (conflicting.length < 2) continue;
      const names = conflicting.map(s => `${s.namespace}/${s.name}`).sort().join(',');
      for (const vs of conflicting) {
        report('IST0109', vs, `The VirtualServices ${names} associated with mesh gateway define the same host ${host} which can lead to undefined behavior. Merge them into a single resource.`, 'spec.hosts');
      }
    }
  },
};
