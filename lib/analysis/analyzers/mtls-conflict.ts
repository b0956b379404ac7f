import type { DestinationRuleSpec } from '../../../imports/networking.istio.io';
import type { PeerAuthenticationSpec } from '../../../imports/security.istio.io';
import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { TypedResource, list, selects } from '../mesh-index';
import { msg } from '../message-constructors';

type PeerAuthentication = TypedResource<PeerAuthenticationSpec>;

/** The TLS settings of a traffic policy, at rule, subset or port level. */
interface TlsPolicy {
  readonly tls?: { readonly mode?: string };
  readonly portLevelSettings?: readonly { readonly tls?: { readonly mode?: string } }[];
}

/** The mode a PeerAuthentication sets ('UNSET' when it sets none). */
function modeOf(policy: PeerAuthentication): string {
  return policy.spec.mtls?.mode ?? 'UNSET';
}

/** The policy that decides the mode: the first of `candidates` (most specific first) whose mode is set. */
function effectivePolicy(candidates: readonly (PeerAuthentication | undefined)[]): PeerAuthentication | undefined {
  return candidates.find(p => p !== undefined && modeOf(p) !== 'UNSET');
}

/** Field paths of every `tls.mode: DISABLE` in a DestinationRule spec: rule, port and subset level. */
function disablingTls(spec: DestinationRuleSpec): string[] {
  const fromPolicy = (policy: TlsPolicy | undefined, base: string): string[] => [
    ...(policy?.tls?.mode === 'DISABLE' ? [`${base}.tls.mode`] : []),
    ...list(policy?.portLevelSettings).flatMap((p, i) => (p.tls?.mode === 'DISABLE' ? [`${base}.portLevelSettings[${i}].tls.mode`] : [])),
  ];
  return [
    ...fromPolicy(spec.trafficPolicy, 'spec.trafficPolicy'),
    ...list(spec.subsets).flatMap((subset, i) => fromPolicy(subset.trafficPolicy, `spec.subsets[${i}].trafficPolicy`)),
  ];
}

/**
 * KIA0207: a DestinationRule sends plain text (tls mode DISABLE, for the host, a port or a subset)
 * to a Kubernetes Service whose workloads a PeerAuthentication requires to use STRICT mutual TLS,
 * so those requests are refused.
 */
export const mtlsConflict: Analyzer = {
  name: 'mtls-conflict',
  codes: ['KIA0207'],
  analyze(index, report) {
    const namespaceWide = new Map<string, PeerAuthentication>();
    const workloadPolicies: PeerAuthentication[] = [];
    for (const pa of index.peerAuthentications()) {
      if (pa.spec.selector) workloadPolicies.push(pa);
      else namespaceWide.set(pa.namespace, pa);
    }
    for (const dr of index.destinationRules()) {
      const host = dr.spec.host;
      const service = typeof host === 'string' ? index.service(qualifyHost(host, dr.namespace)) : undefined;
      if (!service) continue;
      const disabling = disablingTls(dr.spec);
      if (disabling.length === 0) continue;
      const selector = service.spec.selector;
      const workloadPolicy = workloadPolicies.find(pa => pa.namespace === service.namespace
        && index.selectedWorkloads(service.namespace, selector).some(w => selects(pa.spec.selector?.matchLabels, w.labels)));
      // UNSET inherits: workload, then namespace, then mesh-wide (root namespace).
      const policy = effectivePolicy([workloadPolicy, namespaceWide.get(service.namespace), namespaceWide.get(index.rootNamespace)]);
      if (!policy || modeOf(policy) !== 'STRICT') continue;
      const policyName = `${policy.namespace}/${policy.name}`;
      for (const field of disabling) report(dr, msg.destinationRuleDisablesMtlsRequiredByPeerAuthentication(host, policyName), field);
    }
  },
};
