import { isIstioAppProtocol, isServerFirstTcpPort, protocolOfPortName } from '../../core/port-protocol';
import { Analyzer } from '../analyzer';
import { MeshIndex, Workload, list } from '../mesh-index';
import { msg } from '../message-constructors';
import { Labels } from '../spec-types';

/**
 * Whether the sidecar injector gives a pod template a sidecar: its namespace is labelled for
 * injection (`istio-injection: enabled` or `istio.io/rev`) and the pod does not opt out, or the
 * pod asks for it (`sidecar.istio.io/inject: "true"`, `istio.io/rev`) in a namespace that does not
 * disable injection.
 */
function hasSidecar(namespace: Labels | undefined, pod: Workload): boolean {
  const podInject = pod.labels['sidecar.istio.io/inject'];
  if (podInject === 'false' || namespace?.['istio-injection'] === 'disabled') return false;
  if (namespace?.['istio-injection'] === 'enabled' || namespace?.['istio.io/rev'] !== undefined) return true;
  return podInject === 'true' || pod.labels['istio.io/rev'] !== undefined;
}

/** The labels of each Namespace the manifests declare. */
function namespaceLabels(index: MeshIndex): Map<string, Labels> {
  return new Map(index.namespaceResources().map(ns => [ns.name, ns.labels]));
}

/**
 * KIA0601 and KIA0602: a port of a Service whose pods get a sidecar (as Kiali judges it from
 * running pods; here from the pod templates the Service selects and the injection labels of their
 * pods and Namespace) has an appProtocol Istio does not know (KIA0602), or no appProtocol and a
 * name not of the `<protocol>[-<suffix>]` form (KIA0601), so the sidecar treats its traffic as
 * opaque TCP. UDP ports are exempt, and so (unlike in Kiali) are the ports Istio treats as
 * server-first TCP by number whatever their name (25, 53, 3306, 27017).
 */
export const servicePortProtocol: Analyzer = {
  name: 'service-port-protocol',
  codes: ['KIA0601', 'KIA0602'],
  analyze(index, report) {
    const labelsOf = namespaceLabels(index);
    for (const service of index.services()) {
      const selector = service.spec.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      const pods = index.selectedWorkloads(service.namespace, selector);
      if (!pods.some(pod => hasSidecar(labelsOf.get(service.namespace), pod))) continue;
      list(service.spec.ports).forEach((port, i) => {
        if (port.protocol === 'UDP' || isServerFirstTcpPort(port.port)) return;
        if (typeof port.appProtocol === 'string') {
          if (!isIstioAppProtocol(port.appProtocol)) {
            report(service, msg.portAppProtocolNotProtocolForm(port.appProtocol, port.port), `spec.ports[${i}].appProtocol`);
          }
        } else if (typeof port.name !== 'string' || !protocolOfPortName(port.name)) {
          report(service, msg.portNameNotProtocolForm(port.name, port.port), `spec.ports[${i}].name`);
        }
      });
    }
  },
};
