import { Analyzer } from '../analyzer';
import { Doc } from '../mesh-index';

/**
 * The TLS mode when client TLS settings do not verify the server: SIMPLE/MUTUAL need a CA, inline
 * or from `credentialName` (which only a rule with a workloadSelector can read, as in istioctl).
 */
function unverified(tls: Doc | undefined, hasWorkloadSelector: boolean): string | undefined {
  if (!tls || !['SIMPLE', 'MUTUAL'].includes(tls.mode)) return undefined;
  if (tls.caCertificates || tls.insecureSkipVerify || (tls.credentialName && hasWorkloadSelector)) return undefined;
  return tls.mode;
}

/** IST0128 / IST0129: a DestinationRule originates TLS without a CA to verify the server. */
export const serverCertificateVerification: Analyzer = {
  codes: ['IST0128', 'IST0129'],
  analyze(index, report) {
    for (const dr of index.ofKind('DestinationRule')) {
      const policy: Doc = dr.doc.spec?.trafficPolicy ?? {};
      const host = dr.doc.spec?.host;
      const selected = dr.doc.spec?.workloadSelector !== undefined;
      const mode = unverified(policy.tls, selected);
      if (mode) {
        report('IST0128', dr, `DestinationRule ${dr.name} in namespace ${dr.namespace} has TLS mode set to ${mode} but no caCertificates are set to validate server identity for host: ${host}. Set caCertificates, or credentialName with a CA.`, 'spec.trafficPolicy.tls');
      }
      (policy.portLevelSettings ?? []).forEach((p: Doc, i: number) => {
        const portMode = unverified(p.tls, selected);
        if (!portMode) return;
        report('IST0129', dr, `DestinationRule ${dr.name} in namespace ${dr.namespace} has TLS mode set to ${portMode} but no caCertificates are set to validate server identity for host: ${host} at port ${p.port?.number}. Set caCertificates, or credentialName with a CA.`, `spec.trafficPolicy.portLevelSettings[${i}].tls`);
      });
    }
  },
};
