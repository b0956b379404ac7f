/** The HTTP methods a request can carry (RFC 9110 and PATCH), upper case as every client sends them. */
export const HTTP_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'];

/**
 * Whether an Istio string match (exact, `prefix*`, `*suffix` or `*`) can match one of the
 * {@link HTTP_METHODS}: Istio compares methods case-sensitively with the request's method.
 */
export function matchesSomeMethod(value: string): boolean {
  if (value === '*') return true;
  if (value.endsWith('*')) return HTTP_METHODS.some(m => m.startsWith(value.slice(0, -1)));
  if (value.startsWith('*')) return HTTP_METHODS.some(m => m.endsWith(value.slice(1)));
  return HTTP_METHODS.includes(value);
}
