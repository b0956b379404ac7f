import { isDnsLabel } from './dns';
import { memoized } from './memo';

/**
 * Predicates for the workload identities AuthorizationPolicy sources name: principals
 * `<trust-domain>/ns/<namespace>/sa/<service-account>` and namespaces.
 */

/** A trust domain as Istio checks it: dot-separated DNS-1123 labels (a trailing dot allowed). */
export function isTrustDomain(domain: string): boolean {
  if (domain === '') return false;
  const labels = domain.split('.');
  return labels.every((label,
    i) => (i === labels.length - 1 && i > 0 && label === '') || /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(label));
}

/**
 * A `principals`/`notPrincipals` entry that can match a workload: `*`, a prefix or suffix wildcard
 * (`*` at one end only), or exactly `<trust-domain>/ns/<namespace>/sa/<service-account>`.
 */
export const isPrincipal: (value: string) => boolean = memoized(principalOk);

function principalOk(value: string): boolean {
  if (value === '*') return true;
  if (value.length > 1 && (value.startsWith('*') !== value.endsWith('*'))) return !value.slice(1, -1).includes('*');
  if (value.includes('*')) return false;
  const parts = value.split('/');
  return parts.length === 5 && isTrustDomain(parts[0]) && parts[1] === 'ns' && isDnsLabel(parts[2]) && parts[3] === 'sa'
    && parts[4].length > 0 && parts[4].length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(parts[4]);
}

/** A `namespaces`/`notNamespaces` entry: a namespace name, `*`, or a prefix or suffix wildcard. */
export function isNamespaceMatch(value: string): boolean {
  if (value === '*') return true;
  const body = value.startsWith('*') ? value.slice(1) : value.endsWith('*') ? value.slice(0, -1) : value;
  if (body === '' || body.includes('*')) return false;
  return body === value ? isDnsLabel(body) : /^[-a-z0-9]+$/.test(body) && body.length <= 62;
}
