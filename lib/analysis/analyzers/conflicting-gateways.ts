import type { GatewaySpec } from '../../../imports/networking.istio.io';
import { Analyzer } from '../analyzer';
import { TypedResource, list, selects, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { selectorString, selectsSomePod } from './gateway-workloads';

type Gateway = TypedResource<GatewaySpec>;

/**
 * IST0145: two Istio Gateways serve the same host (as written, `<namespace>/` prefix included) on
 * the same port and bind address to the same gateway workloads: their selectors are equal, or one
 * is a subset of the other and some pod carries both (Gateways in any namespaces: a selector picks
 * gateway pods wherever they run). One message per server of each Gateway, naming the others.
 * (istioctl compares the selectors as sorted `k=v` strings, one containing the other; a subset
 * whose labels are not adjacent in the larger one's string conflicts here and not there.)
 */
export const conflictingGateways: Analyzer = {
  name: 'conflicting-gateways',
  codes: ['IST0145'],
  analyze(index, report) {
    // The Gateways serving each port, bind address and host.
    const byHost = new Map<string, Gateway[]>();
    const keyOf = (port: number | undefined, bind: string | undefined, host: string) => `${port}\u0000${bind ?? ''}\u0000${host}`;
    for (const gateway of index.gateways()) {
      for (const server of list(gateway.spec.servers)) {
        for (const host of new Set(strings(server.hosts))) {
          const key = keyOf(server.port?.number, server.bind, host);
          const serving = byHost.get(key);
          if (serving === undefined) byHost.set(key, [gateway]);
          else if (serving[serving.length - 1] !== gateway) serving.push(gateway);
        }
      }
    }
    // Whether two selectors pick the same gateway pods, decided once per pair of selectors.
    const sameWorkloads = new Map<string, boolean>();
    const coSelect = (a: Gateway, b: Gateway): boolean => {
      const [x, y] = [selectorString(a.spec.selector), selectorString(b.spec.selector)];
      if (x === y) return true;
      const key = x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`;
      let known = sameWorkloads.get(key);
      if (known === undefined) {
        const [small, large] = selects(a.spec.selector, b.spec.selector ?? {}) ? [a, b] : [b, a];
        known = selects(small.spec.selector, large.spec.selector ?? {}) && selectsSomePod(index, large.spec.selector);
        sameWorkloads.set(key, known);
      }
      return known;
    };
    for (const gateway of index.gateways()) {
      list(gateway.spec.servers).forEach((server, i) => {
        const others = new Set<string>();
        for (const host of strings(server.hosts)) {
          for (const other of byHost.get(keyOf(server.port?.number, server.bind, host)) ?? []) {
            if (other !== gateway && coSelect(gateway, other)) others.add(`${other.namespace}/${other.name}`);
          }
        }
        if (others.size === 0) return;
        const selector = selectorString(gateway.spec.selector);
        report(gateway, msg.conflictingGateways([...others].sort(), selector, String(server.port?.number), strings(server.hosts)),
          `spec.servers[${i}]`);
      });
    }
  },
};
