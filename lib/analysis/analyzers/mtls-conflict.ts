import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { Resource, selects } from '../mesh-index';

/** The mode of the most specific namespace- or mesh-wide PeerAuthentication for a namespace. */
function strictPolicy(byNamespace: Map<string, Resource>, root: string, namespace: string): Resource | undefined {
  const policy = byNamespace.get(namespace) ?? byNamespace.get(root);
  return policy?.doc.spec?.mtls?.mode === 'STRICT' ? policy : undefined;
}

/**
 * KIA0207: a DestinationRule sends plain text (tls mode DISABLE) to a Kubernetes Service whose
 * workloads a PeerAuthentication requires to use STRICT mutual TLS, so every request is refused.
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
      if (!service || dr.doc.spec?.trafficPolicy?.tls?.mode !== 'DISABLE') continue;
      const selector = service.doc.spec?.selector;
      const workloadPolicy = workloadPolicies.find(pa => pa.namespace === service.namespace
        && index.workloads(service.namespace).some(w => selects(selector, w.labels) && selects(pa.doc.spec.selector.matchLabels, w.labels)));
      const policy = workloadPolicy ? (workloadPolicy.doc.spec?.mtls?.mode === 'STRICT' ? workloadPolicy : undefined) : strictPolicy(namespaceWide, index.rootNamespace, service.namespace);
      if (!policy) continue;
      report('KIA0207', dr, `DestinationRule disables TLS to ${host}, but PeerAuthentication ${policy.namespace}/${policy.name} requires STRICT mutual TLS there, so requests are refused. Use tls mode ISTIO_MUTUAL (or remove tls), or relax the PeerAuthentication.`, 'spec.trafficPolicy.tls.mode');
    }
  },
};
