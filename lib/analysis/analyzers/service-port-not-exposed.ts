import { Analyzer } from '../analyzer';
import { Workload, list } from '../mesh-index';
import { msg } from '../message-constructors';

/** The ports a container declares (the part of a container spec this analyzer reads). */
interface ContainerPorts {
  readonly ports?: readonly { readonly name?: string; readonly containerPort?: number }[];
}

/** Labels of the Services Istio's gateway controller manages (gateways, waypoints), whose ports it generates. */
const MANAGED_GATEWAY_LABELS = ['gateway.istio.io/managed', 'gateway.networking.k8s.io/gateway-name'];

/** Whether some container of some pod template declares the port: by name for a named targetPort, else by number. */
function declared(pods: readonly Workload[], target: number | string): boolean {
  return pods.some(pod => list(pod.podSpec.containers).some(c => list((c as ContainerPorts).ports)
    .some(p => (typeof target === 'string' ? p.name === target : p.containerPort === target))));
}

/**
 * KIA0701: a Service port whose target (targetPort, or port when unset; a named targetPort by
 * name) no container of the pod templates it selects declares. Kiali compares with the first
 * Deployment whose labels match; this analyzer with every pod template the selector picks. Services
 * of the root namespace and those Istio's gateway controller manages are exempt, as in Kiali, and
 * so are Services that select no pod template of the manifests.
 */
export const servicePortNotExposed: Analyzer = {
  name: 'service-port-not-exposed',
  codes: ['KIA0701'],
  analyze(index, report) {
    for (const service of index.services()) {
      const selector = service.spec.selector;
      if (service.namespace === index.rootNamespace || MANAGED_GATEWAY_LABELS.some(l => l in service.labels)) continue;
      if (!selector || Object.keys(selector).length === 0) continue;
      const pods = index.selectedWorkloads(service.namespace, selector);
      if (pods.length === 0) continue;
      list(service.spec.ports).forEach((port, i) => {
        const target = port.targetPort === undefined || port.targetPort === '' || port.targetPort === 0 ? port.port : port.targetPort;
        if (declared(pods, target)) return;
        const workloads = [...new Set(pods.map(p => `${p.resource.kind} ${p.resource.name}`))].sort();
        report(service, msg.servicePortNotExposedByDeployment(port.port, target, workloads), `spec.ports[${i}]`);
      });
    }
  },
};
