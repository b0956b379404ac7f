import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { Doc, Resource, selects } from '../mesh-index';

/** The policy that decides the mode: the first of `candidates` (most specific first) whose mode is set. */
function effectivePolicy(candidates: readonly (Resource | undefined)[]): Resource | undefined {
  return candidates.find(p => p !== undefined && (p.doc.spec?.mtls?.mode ?? 'UNSET') !== 'UNSET');
}

/** Field paths of every `tls.mode: DISABLE` in a DestinationRule spec: rule, port and subset level. */
function disablingTls(spec: Doc): string[] {
  const fromPolicy = (policy: Doc | undefined, base: string): string[] => [
    ...(policy?.tls?.mode === 'DISABLE' ? [`${base}.tls.mode`] : []),
    ...(policy?.portLevelSettings ?? []).flatMap((p: Doc, i: number) => (p.tls?.mode === 'DISABLE' ? [`${base}.portLevelSettings[${i}].tls.mode`] : [])),
  ];
  return [
    ...fromPolicy(spec.trafficPolicy, 'spec.trafficPolicy'),
    ...(spec.subsets ?? []).flatMap((subset: Doc, i: number) => fromPolicy(subset.trafficPolicy, `spec.subsets[${i}].trafficPolicy`)),
  ];
}

/**
 * KIA0207: a DestinationRule sends plain text (tls mode DISABLE, for the host, a port or a subset)
 * to a Kubernetes Service whose workloads a PeerAuthentication requires to use STRICT mutual TLS,
 * so those requests are refused.
 */
export const mtlsConflict: Analyzer = {
  codes: ['KIA0207'],
  analyze(index, report) {
    const namespaceWide = new Map<string, Resource>();
    const workloadPolicies: Resource[] = [];
    for (const pa of index.ofKind('PeerAuthentication')) {
      if (pa.doc.spec?.selector) workloadPolicies.push(pa);
      else namespaceWide.set(pa.namespace, pa);
    }
    for (const dr of index.ofKind('DestinationRule')) {
      const host = dr.doc.spec?.host;
      const service = typeof host === 'string' ? index.service(qualifyHost(host, dr.namespace)) : undefined;
      if (!service) continue;
      const disabling = disablingTls(dr.doc.spec ?? {});
      if (disabling.length === 0) continue;
      const selector = service.doc.spec?.selector;
      const workloadPolicy = workloadPolicies.find(pa => pa.namespace === service.namespace
        && index.workloads(service.namespace).some(w => selects(selector, w.labels) && selects(pa.doc.spec.selector.matchLabels, w.labels)));
      // UNSET inherits: workload, then namespace, then mesh-wide (root namespace).
      const policy = effectivePolicy([workloadPolicy, namespaceWide.get(service.namespace), namespaceWide.get(index.rootNamespace)]);
      if (policy?.doc.spec.mtls.mode !== 'STRICT') continue;
      for (const field of disabling) {
        report('KIA0207', dr, `DestinationRule disables TLS to ${host}, but PeerAuthentication ${policy.namespace}/${policy.name} requires STRICT mutual TLS there, so requests are refused. Use tls mode ISTIO_MUTUAL (or remove tls), or relax the PeerAuthentication.`, field);
      }
    }
  },
};
