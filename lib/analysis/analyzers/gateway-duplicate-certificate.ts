import type { GatewaySpec, GatewaySpecServersTls } from '../../../imports/networking.istio.io';
import { Analyzer } from '../analyzer';
import { TypedResource, list, selects } from '../mesh-index';
import { msg } from '../message-constructors';

type Gateway = TypedResource<GatewaySpec>;

/**
 * The certificate a server's TLS settings serve, as istioctl compares them: a credentialName, or
 * certificate and key files when both are set (a credentialName never equals files).
 */
function certificateOf(tls: GatewaySpecServersTls | undefined): string | undefined {
  if (tls?.credentialName) return `credential\u0000${tls.credentialName}`;
  return tls?.serverCertificate && tls.privateKey ? `files\u0000${tls.serverCertificate}\u0000${tls.privateKey}` : undefined;
}

/**
 * IST0138: a Gateway serves a certificate (a credentialName, or certificate and key files) that a
 * server of another Gateway on the same gateway workloads serves too, so HTTP/2 connection reuse
 * can 404. As istioctl: the other Gateway's selector carries every label of this one's (an empty
 * selector, every Gateway's), in any namespace; one message per pair of servers, on this Gateway,
 * naming it and the other.
 */
export const gatewayDuplicateCertificate: Analyzer = {
  name: 'gateway-duplicate-certificate',
  codes: ['IST0138'],
  analyze(index, report) {
    const byCertificate = new Map<string, Gateway[]>();
    for (const gateway of index.gateways()) {
      for (const server of list(gateway.spec.servers)) {
        const certificate = certificateOf(server.tls);
        if (certificate === undefined) continue;
        const serving = byCertificate.get(certificate);
        if (serving === undefined) byCertificate.set(certificate, [gateway]);
        else serving.push(gateway);
      }
    }
    for (const gateway of index.gateways()) {
      const name = `${gateway.namespace}/${gateway.name}`;
      list(gateway.spec.servers).forEach((server, i) => {
        const certificate = certificateOf(server.tls);
        if (certificate === undefined) return;
        for (const other of byCertificate.get(certificate) ?? []) {
          if (other === gateway || !selects(gateway.spec.selector, other.spec.selector ?? {})) continue;
          report(gateway, msg.gatewayDuplicateCertificate([name, `${other.namespace}/${other.name}`]), `spec.servers[${i}].tls`);
        }
      });
    }
  },
};
