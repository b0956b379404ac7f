/** Predicates for HTTP header names as Istio's webhook checks them. */

/** RFC 7230 token characters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS: ReadonlySet<string> = new Set([':method', ':scheme', ':authority', ':path', ':status']);
const JWT_CLAIM = /^@request\.auth\.claims(\.|\[)/;

/**
 * Why a header name in a route match (`headers`, `withoutHeaders`) is rejected, or undefined: it
 * must be a non-empty RFC 7230 token, an HTTP/2 pseudo-header or a `@request.auth.claims…` claim.
 */
export function headerMatchNameProblem(name: string): string | undefined {
  if (name === '') return 'the header name is empty';
  if (TOKEN.test(name) || PSEUDO_HEADERS.has(name) || JWT_CLAIM.test(name)) return undefined;
  return `${JSON.stringify(name)} is not a valid HTTP header name`;
}

/**
 * Why a header name in a header operation is rejected, or undefined: it must be non-empty, and
 * apart from request `set`/`add` of the authority, neither `Host` nor a `:` pseudo-header.
 * @param authorityAllowed true for request `set` and `add`, which may rewrite `:authority`/`host`
 */
export function headerOperationNameProblem(name: string, authorityAllowed: boolean): string | undefined {
  if (name === '') return 'the header name is empty';
  const lower = name.toLowerCase();
  const authority = lower === ':authority' || lower === 'host';
  if (authorityAllowed && authority) return undefined;
  if (lower === 'host') return 'the Host header cannot be changed here';
  if (name.startsWith(':')) return `${JSON.stringify(name)} is a pseudo-header, which header operations cannot change`;
  return undefined;
}

/** Whether a header name is a non-empty RFC 7230 token (CORS `allowHeaders`/`exposeHeaders` also take `*`). */
export function isHeaderToken(name: string): boolean {
  return TOKEN.test(name);
}
