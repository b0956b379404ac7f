/**
 * The fully qualified form of a host as Istio resolves it from `namespace`: a short name (no dot)
 * is a Kubernetes Service in that namespace, `<name>.<namespace>.svc.cluster.local`; anything else
 * (a FQDN, an external host, a wildcard) is taken as written.
 */
export function qualifyHost(host: string, namespace: string): string {
  return host.includes('.') || host.includes('*') ? host : `${host}.${namespace}.svc.cluster.local`;
}
