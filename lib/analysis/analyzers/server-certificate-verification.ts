import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/** The client TLS settings the check reads (rule and port level share them). */
interface ClientTls {
  readonly mode?: string;
  readonly caCertificates?: string;
  readonly insecureSkipVerify?: boolean;
  readonly credentialName?: string;
}

/**
 * The TLS mode when client TLS settings do not verify the server: SIMPLE/MUTUAL need a CA, inline
 * or from `credentialName` (which only a rule with a workloadSelector can read, as in istioctl).
 */
function unverified(tls: ClientTls | undefined, hasWorkloadSelector: boolean): string | undefined {
  if (!tls?.mode || !['SIMPLE', 'MUTUAL'].includes(tls.mode)) return undefined;
  if (tls.caCertificates || tls.insecureSkipVerify || (tls.credentialName && hasWorkloadSelector)) return undefined;
  return tls.mode;
}

/** IST0128 / IST0129: a DestinationRule originates TLS without a CA to verify the server. */
export const serverCertificateVerification: Analyzer = {
  name: 'server-certificate-verification',
  codes: ['IST0128', 'IST0129'],
  analyze(index, report) {
    for (const dr of index.destinationRules()) {
      const policy = dr.spec.trafficPolicy ?? {};
      const host = dr.spec.host;
      const selected = dr.spec.workloadSelector !== undefined;
      const mode = unverified(policy.tls, selected);
      if (mode) {
        report(dr, msg.noServerCertificateVerificationDestinationLevel(dr.name, dr.namespace, mode, host), 'spec.trafficPolicy.tls');
      }
      list(policy.portLevelSettings).forEach((p, i) => {
        const portMode = unverified(p.tls, selected);
        if (!portMode) return;
        report(dr, msg.noServerCertificateVerificationPortLevel(dr.name, dr.namespace, portMode, host, p.port?.number),
          `spec.trafficPolicy.portLevelSettings[${i}].tls`);
      });
    }
  },
};
