/**
 * Envoy's retry conditions, as Istio's webhook accepts them in `retries.retryOn`
 * (pkg/config/validation supportedRetryOnPolicies): the `x-envoy-retry-on` vocabulary for HTTP
 * and the `x-envoy-retry-grpc-on` one for gRPC status codes. An HTTP status code such as `'503'`
 * is a condition too (Istio makes it a retriable status code).
 */
export enum RetryOn {
  /** Any 5xx response, a reset, a connect failure or a refused stream. */
  FIVE_XX = '5xx',
  /** A 502, 503 or 504 response. */
  GATEWAY_ERROR = 'gateway-error',
  /** No response at all: disconnect, reset or read timeout. */
  RESET = 'reset',
  /** A disconnect or reset before the request was sent upstream. */
  RESET_BEFORE_REQUEST = 'reset-before-request',
  /** A failed connection to the upstream (e.g. a connect timeout). */
  CONNECT_FAILURE = 'connect-failure',
  /** A retriable 4xx response (today only 409). */
  RETRIABLE_4XX = 'retriable-4xx',
  /** An HTTP/2 REFUSED_STREAM reset. */
  REFUSED_STREAM = 'refused-stream',
  /** A response status listed as retriable (Istio lists the numeric retryOn entries). */
  RETRIABLE_STATUS_CODES = 'retriable-status-codes',
  /** A response carrying a header listed as retriable. */
  RETRIABLE_HEADERS = 'retriable-headers',
  /** Envoy's own rate limiting answered (x-envoy-ratelimited). */
  ENVOY_RATELIMITED = 'envoy-ratelimited',
  /** A request sent over HTTP/3 that failed after the connection was made. */
  HTTP3_POST_CONNECT_FAILURE = 'http3-post-connect-failure',
  /** gRPC status CANCELLED (1). */
  CANCELLED = 'cancelled',
  /** gRPC status DEADLINE_EXCEEDED (4). */
  DEADLINE_EXCEEDED = 'deadline-exceeded',
  /** gRPC status INTERNAL (13). */
  INTERNAL = 'internal',
  /** gRPC status RESOURCE_EXHAUSTED (8). */
  RESOURCE_EXHAUSTED = 'resource-exhausted',
  /** gRPC status UNAVAILABLE (14). */
  UNAVAILABLE = 'unavailable',
}

/** Every {@link RetryOn} condition by name. */
export const RETRY_ON_POLICIES: ReadonlySet<string> = new Set<string>(Object.values(RetryOn));

/** The status codes Go's `http.StatusText` names, which is what Istio accepts as a numeric retryOn entry. */
const HTTP_STATUS_CODES: ReadonlySet<number> = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423,
  424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** Whether one retryOn entry (no comma) is a condition Istio accepts: a policy name or a known HTTP status code. */
export function isRetryOn(policy: string): boolean {
  return RETRY_ON_POLICIES.has(policy) || (/^[+-]?\d+$/.test(policy) && HTTP_STATUS_CODES.has(Number(policy)));
}

/** The entries of a comma-separated retryOn value that Istio rejects (Istio does not trim spaces), in order. */
export function invalidRetryOn(value: string): string[] {
  return value.split(',').filter(policy => !isRetryOn(policy));
}
