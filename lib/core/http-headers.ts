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
 * Which authority headers the request `set`/`add` of a header operation may name, as Istio's
 * webhook checks them: a route's may name `host` and `:authority` (both rewrite the authority,
 * ValidateHTTPHeaderWithAuthorityOperationName), a route destination's only `host`
 * (ValidateHTTPHeaderWithHostOperationName); `remove` and response operations neither.
 */
export type AuthorityHeaders = 'host-or-authority' | 'host' | 'none';

/**
 * Why a header name in a header operation is rejected, or undefined: it must be non-empty, and
 * apart from the authority headers `authority` allows, neither `Host` nor a `:` pseudo-header.
 */
export function headerOperationNameProblem(name: string, authority: AuthorityHeaders): string | undefined {
  if (name === '') return 'the header name is empty';
  const lower = name.toLowerCase();
  if (lower === 'host') return authority === 'none' ? 'the Host header cannot be changed here' : undefined;
  if (lower === ':authority' && authority === 'host-or-authority') return undefined;
  if (name.startsWith(':')) return `${JSON.stringify(name)} is a pseudo-header, which header operations cannot change`;
  return undefined;
}

/** Control characters other than horizontal tab, which Istio refuses in a header value. */
const VALUE_CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/;

/**
 * Why a header value of a header operation is rejected, or undefined (Istio's
 * ValidateHTTPHeaderValue): no control characters, and `%` only in pairs — around an Envoy command
 * operator such as `%DOWNSTREAM_REMOTE_ADDRESS%`, or doubled (`%%`) for a literal percent sign.
 */
export function headerValueProblem(value: string): string | undefined {
  if (VALUE_CONTROL.test(value)) return `${JSON.stringify(value)} contains a control character`;
  if ((value.match(/%/g) ?? []).length % 2 !== 0) return `${JSON.stringify(value)} has an unpaired "%"`;
  return undefined;
}

/** Whether a header name is a non-empty RFC 7230 token (CORS `allowHeaders`/`exposeHeaders` also take `*`). */
export function isHeaderToken(name: string): boolean {
  return TOKEN.test(name);
}

/**
 * The methods Istio's webhook accepts in a CORS policy's `allowMethods` (Go's net/http method
 * names, in upper case, and `*`).
 */
export const CORS_METHODS: ReadonlySet<string> = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*',
]);
