/**
 * The fully qualified form of a host as Istio resolves it from `namespace`: a short name (no dot)
 * is a Kubernetes Service in that namespace, `<name>.<namespace>.svc.cluster.local`; anything else
 * (a FQDN, an external host, a wildcard) is taken as written.
 */
export function qualifyHost(host: string, namespace: string): string {
  return host.includes('.') || host.includes('*') ? host : `${host}.${namespace}.svc.cluster.local`;
}

/** Whether `pattern` (a host, `*`, or `*.suffix`) matches `host` (which may itself be a wildcard). */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    return host.endsWith(suffix) && (host.startsWith('*.') ? host.slice(1).endsWith(suffix) : true);
  }
  return false;
}
