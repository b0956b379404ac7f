import { isDnsSubdomain } from './dns';
import { memoized } from './memo';

/** The name part of a qualified name: at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends. */
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * A Kubernetes label or annotation key (a qualified name): an optional DNS-subdomain prefix of at
 * most 253 characters and a `/`, then a name of at most 63 letters, digits, '-', '_' and '.',
 * alphanumeric at both ends. `app`, `app.kubernetes.io/name` and `istio.io/rev` are keys.
 */
export const isLabelKey: (key: string) => boolean = memoized(labelKeyOk);

function labelKeyOk(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash >= 0 && !isDnsSubdomain(key.slice(0, slash))) return false;
  const name = slash < 0 ? key : key.slice(slash + 1);
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

/** A Kubernetes label value: empty, or at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && QUALIFIED_NAME_PART.test(value));
}
