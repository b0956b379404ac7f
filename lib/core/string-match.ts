/**
 * Istio's string match of an AuthorizationPolicy source or operation value: `*` matches any value,
 * `prefix*` and `*suffix` match by prefix and suffix, anything else matches exactly.
 */
export function istioStringMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}
