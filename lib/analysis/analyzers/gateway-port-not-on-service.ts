import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';
import { selectorString } from './selector-conflicts';

/**
 * IST0162: an Istio Gateway server listens on a port that no Service of its workload maps to (as
 * targetPort, or port when targetPort is unset or named), so the port cannot be reached through the
 * gateway Service. Checked only when the gateway's workload and a Service selecting it are in the
 * input; one message per server.
 */
export const gatewayPortNotOnService: Analyzer = {
  name: 'gateway-port-not-on-service',
  codes: ['IST0162'],
  analyze(index, report) {
    for (const gw of index.gateways()) {
      const selector = gw.spec.selector ?? {};
      const services = index.selectedWorkloadsAnywhere(selector).flatMap(w => index.servicesOf(w));
      if (services.length === 0) continue;
      const ports = new Set(services.flatMap(s => list(s.spec.ports))
        .filter(p => (p.protocol ?? 'TCP') === 'TCP')
        .map(p => (typeof p.targetPort === 'number' && p.targetPort !== 0 ? p.targetPort : p.port)));
      list(gw.spec.servers).forEach((server, i) => {
        const port = server.port?.number;
        if (port === undefined || ports.has(port)) return;
        report(gw, msg.gatewayPortNotDefinedOnService(port, selectorString(selector)), `spec.servers[${i}].port.number`);
      });
    }
  },
};
