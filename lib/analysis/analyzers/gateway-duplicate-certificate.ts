import type { GatewaySpecServersTls } from '../../../imports/networking.istio.io';
import { Analyzer } from '../analyzer';
import { Resource, list } from '../mesh-index';
import { msg } from '../message-constructors';

/** The certificate a server's TLS settings serve: a credentialName, or certificate and key files. */
function certificateOf(tls: GatewaySpecServersTls | undefined): string | undefined {
  return tls?.credentialName ?? (tls?.serverCertificate && `${tls.serverCertificate}|${tls.privateKey ?? ''}`);
}

/**
 * IST0138: several Gateways on the same gateway workload serve the same certificate (a
 * credentialName, or certificate and key files), so HTTP/2 connection reuse can 404.
 */
export const gatewayDuplicateCertificate: Analyzer = {
  name: 'gateway-duplicate-certificate',
  codes: ['IST0138'],
  analyze(index, report) {
    const byCertificate = new Map<string, Resource[]>();
    for (const gw of index.gateways()) {
      const selector = JSON.stringify(Object.entries(gw.spec.selector ?? {}).sort());
      const credentials = new Set(list(gw.spec.servers).map(s => certificateOf(s.tls)).filter((c): c is string => !!c));
      for (const credential of credentials) {
        const key = `${selector}|${credential}`;
        byCertificate.set(key, [...byCertificate.get(key) ?? [], gw]);
      }
    }
    for (const gateways of byCertificate.values()) {
      if (gateways.length < 2) continue;
      const names = gateways.map(g => `${g.namespace}/${g.name}`).sort();
      for (const gw of gateways) report(gw, msg.gatewayDuplicateCertificate(names), 'spec.servers');
    }
  },
};
