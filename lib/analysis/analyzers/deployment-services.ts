import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { workloadHasSidecar } from '../mesh-membership';
import { msg } from '../message-constructors';

/** The label value Istio gives the waypoints it deploys (left out, as istioctl does). */
const WAYPOINT_MANAGED = 'istio.io-mesh-controller';

/**
 * For each workload with a sidecar (waypoints left out) and the Services of its namespace that
 * select it: IST0116 when the Services use one port number with different protocols; IST0137 when
 * they map one targetPort from different ports (a pod port must be one Service port).
 */
export const deploymentServices: Analyzer = {
  name: 'deployment-services',
  codes: ['IST0116', 'IST0137'],
  analyze(index, report) {
    for (const w of index.allWorkloads()) {
      if (w.resource.kind === 'Pod' || w.resource.labels['gateway.istio.io/managed'] === WAYPOINT_MANAGED) continue;
      const services = index.servicesOf(w);
      if (services.length < 2 || !workloadHasSidecar(index, w)) continue;
      const protocols = new Map<number, Map<string, string[]>>();
      const targets = new Map<string, Map<number, string>>();
      for (const s of services) {
        const name = `${s.namespace}/${s.name}`;
        for (const p of list(s.spec.ports)) {
          const byProtocol = protocols.get(p.port) ?? new Map<string, string[]>();
          const protocol = p.protocol ?? 'TCP';
          protocols.set(p.port, byProtocol.set(protocol, [...byProtocol.get(protocol) ?? [], name]));
          const target = p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '' ? String(p.port) : String(p.targetPort);
          targets.set(target, (targets.get(target) ?? new Map<number, string>()).set(p.port, name));
        }
      }
      for (const [port, byProtocol] of protocols) {
        if (byProtocol.size < 2) continue;
        const names = [...byProtocol.values()].flat().sort();
        report(w.resource, msg.deploymentAssociatedToMultipleServices(w.resource.name, port, names), 'metadata.name');
      }
      for (const [target, byPort] of targets) {
        if (byPort.size < 2) continue;
        report(w.resource, msg.deploymentConflictingPorts(w.resource.name, [...new Set(byPort.values())].sort(), target,
          [...byPort.keys()].sort((a, b) => a - b)), 'metadata.name');
      }
    }
  },
};
