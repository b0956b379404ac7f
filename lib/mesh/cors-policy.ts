import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { StringMatch } from './http-match';
import * as L1 from '../../imports/networking.istio.io';
import { checkRe2 } from '../core/checks';
import { compact } from '../core/compact';
import { istioDuration } from '../core/duration';
import { MeshConfigError } from '../core/errors';
import { CORS_METHODS, isHeaderToken } from '../core/http-headers';

/**
 * A route's Cross-Origin Resource Sharing policy: the sidecar or gateway answers browsers'
 * preflight requests and adds the `Access-Control-*` headers to responses.
 */
export interface CorsPolicy {
  /**
   * Origins allowed, e.g. `StringMatch.exact('https://shop.example.com')`,
   * `StringMatch.prefix('https://')` or `StringMatch.regex('https://.*\\.example\\.com')` (RE2);
   * an origin is allowed when any of them matches.
   */
  readonly allowOrigins: StringMatch[];
  /**
   * Methods allowed (`Access-Control-Allow-Methods`): GET, HEAD, POST, PUT, PATCH, DELETE,
   * CONNECT, OPTIONS, TRACE, or `*`.
   * @default none listed (browsers allow the CORS-safelisted GET, HEAD and POST)
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed (`Access-Control-Allow-Headers`), or `*`.
   * @default none listed (browsers send only CORS-safelisted headers)
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers browsers may expose to scripts (`Access-Control-Expose-Headers`), or `*`.
   * @default none listed (only CORS-safelisted response headers)
   */
  readonly exposeHeaders?: string[];
  /**
   * How long browsers may cache a preflight answer (`Access-Control-Max-Age`), whole seconds.
   * @default unset (each browser's own default)
   */
  readonly maxAge?: Duration;
  /**
   * Whether requests may carry credentials such as cookies (`Access-Control-Allow-Credentials`).
   * @default unset (credentials not allowed)
   */
  readonly allowCredentials?: boolean;
}

/**
 * The Istio `corsPolicy` of `policy` at `field`; throws a {@link MeshConfigError} for what Istio's
 * webhook refuses (an empty origin, a regex that is not RE2, a method it does not know, a header
 * name that is not a token or `*`, a maxAge finer than seconds) and for a policy without origins,
 * which allows no cross-origin request at all.
 */
export function renderCorsPolicy(scope: IConstruct, field: string, policy: CorsPolicy): L1.VirtualServiceSpecHttpCorsPolicy {
  if (policy.allowOrigins.length === 0) {
    throw new MeshConfigError(scope, `${field}.allowOrigins`, 'a CORS policy without origins allows no cross-origin request',
      "list the origins, e.g. [StringMatch.exact('https://shop.example.com')]");
  }
  const allowOrigins = policy.allowOrigins.map((origin, i) => {
    const json = origin._toIstio();
    const value = json.exact ?? json.prefix ?? json.regex;
    if (value === '') {
      throw new MeshConfigError(scope, `${field}.allowOrigins[${i}]`, 'the origin match is empty (Istio refuses it)',
        "give the origin, e.g. StringMatch.exact('https://shop.example.com')");
    }
    if (json.regex !== undefined) checkRe2(scope, `${field}.allowOrigins[${i}].regex`, json.regex);
    return json;
  });
  (policy.allowMethods ?? []).forEach((method, i) => {
    if (!CORS_METHODS.has(method)) {
      throw new MeshConfigError(scope, `${field}.allowMethods[${i}]`, `${JSON.stringify(method)} is not an HTTP method Istio accepts`,
        `use one of ${[...CORS_METHODS].join(', ')} (in upper case)`);
    }
  });
  for (const list of ['allowHeaders', 'exposeHeaders'] as const) {
    (policy[list] ?? []).forEach((name, i) => {
      if (name !== '*' && !isHeaderToken(name)) {
        throw new MeshConfigError(scope, `${field}.${list}[${i}]`,
          name === '' ? 'the header name is empty' : `${JSON.stringify(name)} is not an HTTP header name (an RFC 7230 token)`,
          'use a header name made of letters, digits and "-", or "*"');
      }
    });
  }
  let maxAge: string | undefined;
  if (policy.maxAge !== undefined) {
    const seconds = policy.maxAge.toMilliseconds({ integral: false }) / 1000;
    if (!Number.isInteger(seconds) || seconds < 1) {
      throw new MeshConfigError(scope, `${field}.maxAge`, `${seconds}s is not a whole number of seconds of at least 1s (Istio `
        + 'keeps maxAge to the second)', 'use e.g. Duration.seconds(600) or Duration.hours(24)');
    }
    maxAge = istioDuration(scope, `${field}.maxAge`, policy.maxAge);
  }
  return compact({
    allowOrigins,
    allowMethods: policy.allowMethods,
    allowHeaders: policy.allowHeaders,
    exposeHeaders: policy.exposeHeaders,
    maxAge,
    allowCredentials: policy.allowCredentials,
  })!;
}
