/**
 * Envoy's retry conditions as Istio's webhook accepts them in `retries.retryOn`
 * (pkg/config/validation supportedRetryOnPolicies): the `x-envoy-retry-on` and
 * `x-envoy-retry-grpc-on` vocabularies, plus HTTP status codes.
 */
export const RETRY_ON_POLICIES: ReadonlySet<string> = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

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
