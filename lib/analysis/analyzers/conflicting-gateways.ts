import { Analyzer } from '../analyzer';
import { Doc, Resource, hostMatches } from '../mesh-index';

/** IST0145: two Gateways select the same workload and serve overlapping hosts on the same port. */
export const conflictingGateways: Analyzer = {
  codes: ['IST0145'],
  analyze(index, report) {
    const byListener = new Map<string, { gateway: Resource; hosts: string[] }[]>();
    for (const gw of index.ofKind('Gateway')) {
      const selector = Object.entries(gw.doc.spec?.selector ?? {}).sort().map(([k, v]) => `${k}=${v}`).join(',');
      for (const server of gw.doc.spec?.servers ?? [] as Doc[]) {
        const key = `${selector}|${server.port?.number}`;
        const hosts = (server.hosts ?? []).map((h: string) => (h.includes('/') ? h.split('/', 2)[1] : h));
        byListener.set(key, [...byListener.get(key) ?? [], { gateway: gw, hosts }]);
      }
    }
    for (const [key, listeners] of byListener) {
      const [selector, port] = key.split('|');
      listeners.forEach(a => {
        const others = listeners.filter(b => b.gateway !== a.gateway && b.hosts.some(h => a.hosts.some(o => hostMatches(h, o) || hostMatches(o, h))));
        if (others.length === 0) return;
        const shared = a.hosts.filter(h => others.some(b => b.hosts.some(o => hostMatches(h, o) || hostMatches(o, h))));
        report('IST0145', a.gateway, `Conflict with gateways ${[...new Set(others.map(o => `${o.gateway.namespace}/${o.gateway.name}`))].join(',')} (workload selector ${selector}, port ${port}, hosts ${shared.join(',')}). Merge the servers into one Gateway or use distinct hosts.`, 'spec.servers');
      });
    }
  },
};
