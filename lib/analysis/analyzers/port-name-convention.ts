import { PortProtocol, protocolOfPortName } from '../../core/port-protocol';
import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';
import { SYSTEM_NAMESPACES } from './namespace-not-injected';

/** `appProtocol` values Istio understands (the port-name protocols and Kubernetes' standard ones). */
const APP_PROTOCOLS = new Set<string>([...Object.values(PortProtocol), 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
/** The label of the Services Istio generates for a Gateway API Gateway (and a waypoint). */
const MANAGED_GATEWAY_LABEL = 'gateway.istio.io/managed';
/** Ports Istio treats as server-first TCP whatever their name (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);

/**
 * IST0118: Istio cannot tell a Service port's protocol: its appProtocol is not one it knows, or it
 * has none and its name has no protocol prefix. Exempt, as in istioctl: UDP ports, well-known TCP
 * ports and a waypoint's `appProtocol: hbone` port; Services Istio manages (labelled
 * `gateway.istio.io/managed`), Istio's own in the root namespace (labelled `istio`, or
 * `release: istio`), ExternalName Services (IST0150 judges their ports), and the system namespaces
 * istioctl does not read.
 */
export const portNameConvention: Analyzer = {
  name: 'port-name-convention',
  codes: ['IST0118'],
  analyze(index, report) {
    for (const service of index.services()) {
      if (SYSTEM_NAMESPACES.has(service.namespace) || service.labels[MANAGED_GATEWAY_LABEL] !== undefined) continue;
      if (service.spec.type === 'ExternalName') continue; // its port names are IST0150's
      if (service.namespace === index.rootNamespace && (service.labels.istio !== undefined || service.labels.release === 'istio')) continue;
      list(service.spec.ports).forEach((p, i) => {
        if (p.protocol === 'UDP' || WELL_KNOWN_TCP_PORTS.has(p.port) || p.appProtocol === 'hbone') return;
        if (typeof p.appProtocol === 'string' && p.appProtocol !== ''
          ? APP_PROTOCOLS.has(p.appProtocol.toLowerCase())
          : typeof p.name === 'string' && protocolOfPortName(p.name)) return;
        report(service, msg.portNameIsNotUnderNamingConvention(p.name, p.port, p.targetPort ?? p.port), `spec.ports[${i}].name`);
      });
    }
  },
};
