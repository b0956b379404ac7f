import { Analyzer } from '../analyzer';
import { gatewayReference, hostMatches, list, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { gatewaysOf } from './routes';

/**
 * A Gateway server host as it applies to a VirtualService in `vsNamespace`: `host`, or
 * `<namespace>/host` where the namespace is `*` (any), `.` (the gateway's) or a name; undefined
 * when the server does not accept VirtualServices from that namespace.
 */
function serverHostFor(serverHost: string, gatewayNamespace: string, vsNamespace: string): string | undefined {
  if (!serverHost.includes('/')) return serverHost;
  const [ns, host] = serverHost.split('/', 2);
  const allowed = ns === '*' || (ns === '.' ? gatewayNamespace : ns) === vsNamespace;
  return allowed ? host : undefined;
}

/**
 * IST0132: a VirtualService bound to a Gateway has no host that any of the gateway's servers serve
 * — also when the Gateway does not exist (it serves nothing; IST0101 reports it missing), as
 * istioctl reports both.
 */
export const virtualServiceHostNotInGateway: Analyzer = {
  name: 'virtual-service-host-not-in-gateway',
  codes: ['IST0132'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      const hosts = strings(vs.spec.hosts);
      gatewaysOf(vs).forEach((name, i) => {
        if (name === 'mesh') return;
        const gateway = index.gateway(name, vs.namespace);
        const served = list(gateway?.spec.servers).flatMap(s => strings(s.hosts))
          .map(h => serverHostFor(h, gateway!.namespace, vs.namespace))
          .filter((h): h is string => h !== undefined);
        const missing = hosts.filter(h => !served.some(s => hostMatches(s, h) || hostMatches(h, s)));
        if (missing.length < hosts.length) return; // as istioctl: only when no host of the VirtualService is served
        const vsName = `${vs.namespace}/${vs.name}`;
        const gatewayName = gateway ? `${gateway.namespace}/${gateway.name}` : gatewayReference(name, vs.namespace).join('/');
        report(vs, msg.virtualServiceHostNotFoundInGateway(missing, vsName, gatewayName), `spec.gateways[${i}]`);
      });
    }
  },
};
