import type { GatewaySpec } from '../../../imports/gateway.networking.k8s.io';
import { Analyzer, Report } from '../analyzer';
import { TypedResource, list } from '../mesh-index';
import { Message, msg } from '../message-constructors';

/** A listener or address of one Gateway, keyed by what must not repeat across Gateways. */
interface Claim {
  readonly gateway: TypedResource<GatewaySpec>;
  readonly field: string;
  readonly message: (others: readonly string[]) => Message;
}

/** Reports every claim whose key another Gateway also claims, naming the other Gateways. */
function reportShared(claims: ReadonlyMap<string, readonly Claim[]>, report: Report): void {
  for (const group of claims.values()) {
    for (const claim of group) {
      const names = group.filter(c => c.gateway !== claim.gateway).map(c => `${c.gateway.namespace}/${c.gateway.name}`);
      const others = [...new Set(names)].sort();
      if (others.length > 0) report(claim.gateway, claim.message(others), claim.field);
    }
  }
}

/**
 * KIA1501 and KIA1502, across Gateway API Gateways (one Gateway's own listeners and addresses are
 * unique by its CRD's rules): KIA1501, a listener whose hostname, port and protocol a listener of
 * another Gateway also has (listeners without a hostname are not compared, as in Kiali); KIA1502,
 * an address whose type (IPAddress by default) and value another Gateway also requests. Both are
 * grouped by key, not compared pairwise.
 */
export const gatewayApiDuplicates: Analyzer = {
  name: 'gateway-api-duplicates',
  codes: ['KIA1501', 'KIA1502'],
  analyze(index, report) {
    const listeners = new Map<string, Claim[]>();
    const addresses = new Map<string, Claim[]>();
    const claim = (claims: Map<string, Claim[]>, key: string, c: Claim) => claims.set(key, [...claims.get(key) ?? [], c]);
    for (const gateway of index.gatewayApiGateways()) {
      list(gateway.spec.listeners).forEach((l, i) => {
        if (typeof l.hostname !== 'string' || l.hostname === '') return;
        claim(listeners, `${l.port}|${l.protocol}|${l.hostname}`, {
          gateway,
          field: `spec.listeners[${i}].hostname`,
          message: others => msg.multipleK8sGatewaysForHostPort(l.hostname!, l.port, l.protocol, others),
        });
      });
      list(gateway.spec.addresses).forEach((a, i) => {
        if (typeof a.value !== 'string') return;
        const type = a.type ?? 'IPAddress';
        claim(addresses, `${type}|${a.value}`, {
          gateway,
          field: `spec.addresses[${i}].value`,
          message: others => msg.multipleK8sGatewaysForAddress(type, a.value!, others),
        });
      });
    }
    reportShared(listeners, report);
    reportShared(addresses, report);
  },
};
