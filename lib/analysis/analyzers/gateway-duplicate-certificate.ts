import { Analyzer } from '../analyzer';
import { Doc, Resource } from '../mesh-index';

/**
 * IST0138: several Gateways on the same gateway workload serve the same certificate (a
 * credentialName, or certificate and key files), so HTTP/2 connection reuse can 404.
 */
export const gatewayDuplicateCertificate: Analyzer = {
  codes: ['IST0138'],
  analyze(index, report) {
    const byCertificate = new Map<string, Resource[]>();
    for (const gw of index.ofKind('Gateway')) {
      const selector = JSON.stringify(Object.entries(gw.doc.spec?.selector ?? {}).sort());
      const certificateOf = (tls: Doc | undefined) => tls?.credentialName ?? (tls?.serverCertificate && `${tls.serverCertificate}|${tls.privateKey ?? ''}`);
      const credentials = new Set<string>((gw.doc.spec?.servers ?? []).map((s: Doc) => certificateOf(s.tls)).filter(Boolean));
      for (const credential of credentials) {
        const key = `${selector}|${credential}`;
        byCertificate.set(key, [...byCertificate.get(key) ?? [], gw]);
      }
    }
    for (const gateways of byCertificate.values()) {
      if (gateways.length < 2) continue;
      const names = gateways.map(g => `${g.namespace}/${g.name}`).sort().join(' ');
      for (const gw of gateways) {
        report('IST0138', gw, `Duplicate certificate in multiple gateways [${names}] may cause 404s if clients re-use HTTP2 connections. Serve the hosts from one Gateway, or use a certificate per gateway.`, 'spec.servers');
      }
    }
  },
};
