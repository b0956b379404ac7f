import type { GatewaySpec } from '../../../imports/networking.istio.io';
import { Analyzer } from '../analyzer';
import { TypedResource, hostMatches, list, strings } from '../mesh-index';
import { msg } from '../message-constructors';

/** IST0145: two Gateways select the same workload and serve overlapping hosts on the same port. */
export const conflictingGateways: Analyzer = {
  name: 'conflicting-gateways',
  codes: ['IST0145'],
  analyze(index, report) {
    const byListener = new Map<string, { gateway: TypedResource<GatewaySpec>; hosts: string[] }[]>();
    for (const gw of index.gateways()) {
      const selector = Object.entries(gw.spec.selector ?? {}).sort().map(([k, v]) => `${k}=${v}`).join(',');
      for (const server of list(gw.spec.servers)) {
        const key = `${selector}|${server.port?.number}`;
        const hosts = strings(server.hosts).map(h => (h.includes('/') ? h.split('/', 2)[1] : h));
        byListener.set(key, [...byListener.get(key) ?? [], { gateway: gw, hosts }]);
      }
    }
    const overlap = (x: string[], y: string[]) => x.filter(h => y.some(o => hostMatches(h, o) || hostMatches(o, h)));
    for (const [key, listeners] of byListener) {
      const [selector, port] = key.split('|');
      listeners.forEach(a => {
        const others = listeners.filter(b => b.gateway !== a.gateway && overlap(b.hosts, a.hosts).length > 0);
        if (others.length === 0) return;
        const shared = a.hosts.filter(h => others.some(b => overlap([h], b.hosts).length > 0));
        const names = [...new Set(others.map(o => `${o.gateway.namespace}/${o.gateway.name}`))];
        report(a.gateway, msg.conflictingGateways(names, selector, port, shared), 'spec.servers');
      });
    }
  },
};
