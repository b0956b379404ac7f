import { PortProtocol, protocolOfPortName } from '../../core/port-protocol';
import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/** `appProtocol` values Istio understands (the port-name protocols and Kubernetes' standard ones). */
const APP_PROTOCOLS = new Set<string>([...Object.values(PortProtocol), 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
/** Ports Istio treats as server-first TCP whatever their name (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);

/**
 * IST0118: Istio cannot tell a Service port's protocol: its appProtocol is not one it knows, or it
 * has none and its name has no protocol prefix. UDP ports and well-known TCP ports are exempt.
 */
export const portNameConvention: Analyzer = {
  name: 'port-name-convention',
  codes: ['IST0118'],
  analyze(index, report) {
    for (const service of index.services()) {
      if (service.namespace === 'kube-system') continue;
      list(service.spec.ports).forEach((p, i) => {
        if (p.protocol === 'UDP' || WELL_KNOWN_TCP_PORTS.has(p.port)) return;
        if (p.appProtocol ? APP_PROTOCOLS.has(p.appProtocol.toLowerCase()) : p.name !== undefined && protocolOfPortName(p.name)) return;
        report(service, msg.portNameIsNotUnderNamingConvention(p.name, p.port, p.targetPort ?? p.port), `spec.ports[${i}].name`);
      });
    }
  },
};
