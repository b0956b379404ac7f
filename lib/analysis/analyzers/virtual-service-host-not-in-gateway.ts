import { Analyzer } from '../analyzer';
import { Doc, hostMatches } from '../mesh-index';
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

/** IST0132: a VirtualService bound to a Gateway has no host that any of the gateway's servers serve. */
export const virtualServiceHostNotInGateway: Analyzer = {
  codes: ['IST0132'],
  analyze(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      const hosts: string[] = vs.doc.spec?.hosts ?? [];
      gatewaysOf(vs).forEach((name, i) => {
        const gateway = name === 'mesh' ? undefined : index.gateway(name, vs.namespace);
        if (!gateway) return;
        const served = (gateway.doc.spec?.servers ?? []).flatMap((s: Doc) => s.hosts ?? [])
          .map((h: string) => serverHostFor(h, gateway.namespace, vs.namespace))
          .filter((h: string | undefined): h is string => h !== undefined);
        const missing = hosts.filter(h => !served.some((s: string) => hostMatches(s, h) || hostMatches(h, s)));
        if (missing.length < hosts.length) return; // as istioctl: only when no host of the VirtualService is served
        report('IST0132', vs, `one or more host [${missing.join(' ')}] defined in VirtualService ${vs.namespace}/${vs.name} not found in Gateway ${gateway.namespace}/${gateway.name}. Add the hosts to a server of the gateway, or remove them.`, `spec.gateways[${i}]`);
      });
    }
  },
};
