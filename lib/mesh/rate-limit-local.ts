import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { RateLimitTarget, ambientTargetProblems, checkRateLimitTarget, resolveRateLimitTarget } from './rate-limit-target';
import * as L1 from '../../imports/networking.istio.io';
import { checkBooleans, checkInstance, checkList, checkProps, describeGiven } from '../core/check';
import { istioDuration } from '../core/duration';
import { MeshConfigError } from '../core/errors';
import { headerOperationNameProblem, headerValueProblem, isHeaderToken } from '../core/http-headers';
import { libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain, checkLabelValue } from '../core/names';
import { UINT32_MAX } from '../core/network';
import { registerLibraryConstruct } from '../core/registry';
import { SECRET_HEADER_FIX, secretHeaderProblem } from '../core/secret-env-name';

/** A token bucket: up to `maxTokens` requests at once, refilled by `tokensPerFill` every `fillInterval`. */
export interface TokenBucket {
  /** The most tokens the bucket holds: the burst of requests allowed at once. */
  readonly maxTokens: number;
  /**
   * Tokens added every fill interval.
   * @default maxTokens
   */
  readonly tokensPerFill?: number;
  /** How often tokens are added (at least 50ms, which Envoy requires). */
  readonly fillInterval: Duration;
}

/** A separate, usually smaller, bucket for the requests whose path starts with a prefix. */
export interface LocalRateLimitDescriptor {
  /** The descriptor's name (its `descriptor_value`), e.g. `productpage`. */
  readonly name: string;
  /** The path prefix of the requests this bucket limits, e.g. `/productpage`. */
  readonly pathPrefix: string;
  /**
   * Match the prefix ignoring case, so that `/ProductPage` cannot escape the limit.
   * @default true
   */
  readonly ignoreCase?: boolean;
  /** The bucket of these requests. */
  readonly bucket: TokenBucket;
}

/** Props of {@link LocalRateLimit}. */
export interface LocalRateLimitProps {
  /** What is limited: the inbound requests of a MeshService's pods, or the requests an ingress Gateway routes. */
  readonly target: RateLimitTarget;
  /**
   * The EnvoyFilter's name.
   * @default `<target name>-local-ratelimit`
   */
  readonly name?: string;
  /**
   * The service port whose inbound requests are limited (MeshService targets).
   * @default the service's only port
   */
  readonly port?: number;
  /**
   * The namespace the gateway pods of an Istio Gateway target run in, where the EnvoyFilter must
   * be (a MeshService's EnvoyFilter is in the service's namespace).
   * @default 'istio-system'
   */
  readonly gatewayNamespace?: string;
  /** The bucket of every request (each proxy has its own). */
  readonly bucket: TokenBucket;
  /**
   * Smaller buckets for some paths, checked beside the main one.
   * @default none
   */
  readonly descriptors?: LocalRateLimitDescriptor[];
  /**
   * The HTTP status of a limited request: a 4xx or 5xx code that Envoy's `StatusCode` defines
   * (not, for example, 418).
   * @default 429 (Too Many Requests)
   */
  readonly status?: number;
  /**
   * Headers added to the responses of limited requests.
   * @default { 'x-local-rate-limit': 'true' }
   */
  readonly responseHeaders?: Record<string, string>;
  /**
   * Add the `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` headers (draft 03) to responses.
   * @default true
   */
  readonly rateLimitHeaders?: boolean;
  /**
   * The route's stat prefix, also the runtime key that can switch the limit off at run time.
   * @default 'http_local_rate_limiter'
   */
  readonly statPrefix?: string;
  /**
   * The EnvoyFilter's priority among the filters patching the same proxies (lower first): set it
   * so the order of its INSERT_BEFORE does not depend on the other filters' creation times (IST0151).
   * @default none (0, as the upstream sample)
   */
  readonly priority?: number;
}

/**
 * The 4xx and 5xx codes of Envoy's `envoy.type.v3.StatusCode`: the filter's `status.code` must be
 * one of them (Envoy refuses the configuration otherwise, e.g. for 418).
 */
const ENVOY_ERROR_STATUSES: ReadonlySet<number> = new Set([
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 423, 424, 426, 428,
  429, 431, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** The filter's stat prefix where it is inserted (disabled there: each route enables it). */
const FILTER_STAT_PREFIX = 'http_local_rate_limiter';
const LOCAL_RATE_LIMIT = 'envoy.filters.http.local_ratelimit';
const LOCAL_RATE_LIMIT_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';

/**
 * Envoy's local rate limit for a MeshService's inbound requests or an ingress Gateway's routes: an
 * EnvoyFilter that inserts the `local_ratelimit` HTTP filter and configures it on the routes (a
 * token bucket, optional per-path buckets, the response status and headers), in the shape of
 * Istio's samples/ratelimit/local-rate-limit-service.yaml. Each proxy counts on its own, so the
 * limit a service sees grows with its replicas.
 *
 * EnvoyFilter is Istio's lowest-level API: it patches the generated Envoy configuration, and an
 * Istio upgrade can change what it matches. A service in an ambient namespace (no sidecar; Istio
 * applies no EnvoyFilter to ztunnel or waypoints) fails synthesis.
 */
export class LocalRateLimit extends Construct {
  /** The EnvoyFilter's name. */
  public readonly name: string;
  /** The L1 EnvoyFilter. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: LocalRateLimitProps) {
    super(scope, id);
    checkProps(this, props, 'its target and limit, e.g. { target: service, limit: { requests: 100, per: Duration.minutes(1) } }');
    registerLibraryConstruct(this);
    checkRateLimitTarget(this, props.target);
    checkBooleans(this, '', props, ['rateLimitHeaders']);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? `${props.target.name}-local-ratelimit`);
    const target = resolveRateLimitTarget(this, props.target, props.gatewayNamespace ?? 'istio-system', props.port);
    const statPrefix = checkStatPrefix(this, 'statPrefix', props.statPrefix ?? FILTER_STAT_PREFIX);
    const bucket = renderBucket(this, 'bucket', props.bucket);
    const descriptors = checkList(this, 'descriptors', props.descriptors) ?? [];
    descriptors.forEach((d, i) => {
      checkBooleans(this, `descriptors[${i}]`, d, ['ignoreCase']);
      checkLabelValue(this, `descriptors[${i}].name`, d.name);
      if (d.name === '') {
        throw new MeshConfigError(this, `descriptors[${i}].name`, 'the name is empty, and Envoy refuses an empty descriptor value',
          'name the descriptor, e.g. after its path: "productpage"');
      }
      if (descriptors.findIndex(e => e.name === d.name) !== i) {
        throw new MeshConfigError(this, `descriptors[${i}].name`, `descriptor "${d.name}" is listed twice`,
          'give every descriptor its own name');
      }
      if (!d.pathPrefix.startsWith('/')) {
        throw new MeshConfigError(this, `descriptors[${i}].pathPrefix`, `"${d.pathPrefix}" is not a path`, 'start the prefix with "/"');
      }
    });
    const descriptorBuckets = descriptors.map((d, i) => renderBucket(this, `descriptors[${i}].bucket`, d.bucket));
    const status = props.status;
    if (status !== undefined && !ENVOY_ERROR_STATUSES.has(status)) {
      throw new MeshConfigError(this, 'status', `${describeGiven(status)} is not an HTTP error status Envoy knows`,
        `use one of ${[...ENVOY_ERROR_STATUSES].join(', ')} (e.g. 429 or 503)`);
    }
    const responseHeaders = Object.entries(props.responseHeaders ?? { 'x-local-rate-limit': 'true' });
    responseHeaders.forEach(([name, value]) => {
      const problem = isHeaderToken(name)
        ? headerOperationNameProblem(name, 'none') ?? headerValueProblem(value)
        : `"${name}" is not a header name`;
      if (problem) {
        throw new MeshConfigError(this, `responseHeaders.${name}`, problem,
          'use a lower-case header token and a value without control characters');
      }
      const secret = secretHeaderProblem(name, value);
      if (secret !== undefined) throw new MeshConfigError(this, `responseHeaders.${name}`, secret, SECRET_HEADER_FIX);
    });
    if (props.priority !== undefined && !Number.isInteger(props.priority)) {
      throw new MeshConfigError(this, 'priority', `${props.priority} is not an integer`, 'use an integer (negative ones apply first)');
    }
    this.node.addValidation({ validate: () => ambientTargetProblems(this, props.target) });

    const toggle = { runtime_key: statPrefix, default_value: { numerator: 100, denominator: 'HUNDRED' } };
    const routeConfig = {
      '@type': LOCAL_RATE_LIMIT_TYPE,
      'stat_prefix': statPrefix,
      'token_bucket': bucket,
      ...(props.rateLimitHeaders ?? true) && { enable_x_ratelimit_headers: 'DRAFT_VERSION_03' },
      'filter_enabled': toggle,
      'filter_enforced': toggle,
      ...(status !== undefined && { status: { code: status } }),
      ...(responseHeaders.length > 0 && {
        response_headers_to_add: responseHeaders.map(([key, value]) => ({ append: false, header: { key, value } })),
      }),
      ...(descriptors.length > 0 && {
        descriptors: descriptors.map((d, i) => ({ entries: [{ key: 'header_match', value: d.name }], token_bucket: descriptorBuckets[i] })),
      }),
    };
    const rateLimits = descriptors.length === 0 ? undefined : [
      { actions: [{ remote_address: {} }] },
      ...descriptors.map(d => ({
        actions: [{
          header_value_match: {
            descriptor_value: d.name,
            expect_match: true,
            headers: [{ name: ':path', string_match: { prefix: d.pathPrefix, ignore_case: d.ignoreCase ?? true } }],
          },
        }],
      })),
    ];
    const Op = L1.EnvoyFilterSpecConfigPatchesPatchOperation;
    const ApplyTo = L1.EnvoyFilterSpecConfigPatchesApplyTo;
    this.resource = libraryObject(this, 'Resource', L1.EnvoyFilter, { name: this.name, namespace: target.namespace },
      (): L1.EnvoyFilterSpec => ({
        ...target.placement(),
        ...(props.priority !== undefined && { priority: props.priority }),
        configPatches: [
          {
            applyTo: ApplyTo.HTTP_UNDERSCORE_FILTER,
            match: { context: target.context, listener: target.listener },
            patch: {
              operation: Op.INSERT_UNDERSCORE_BEFORE,
              value: {
                name: LOCAL_RATE_LIMIT,
                typed_config: {
                  '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
                  'type_url': LOCAL_RATE_LIMIT_TYPE,
                  'value': { stat_prefix: FILTER_STAT_PREFIX },
                },
              },
            },
          },
          {
            applyTo: ApplyTo.HTTP_UNDERSCORE_ROUTE,
            match: { context: target.context, routeConfiguration: target.routeConfiguration(true) },
            patch: {
              operation: Op.MERGE,
              value: {
                ...(rateLimits && { route: { rate_limits: rateLimits } }),
                typed_per_filter_config: { [LOCAL_RATE_LIMIT]: routeConfig },
              },
            },
          },
        ],
      }), L1.toJson_EnvoyFilterSpec);
  }
}

/** A token bucket as Envoy writes it; refuses counts that are not positive integers and intervals below 50ms. */
function renderBucket(scope: Construct, field: string, bucket: TokenBucket): Record<string, unknown> {
  if (typeof bucket !== 'object' || bucket === null || Array.isArray(bucket)) {
    throw new MeshConfigError(scope, field, `must be a token bucket, not ${describeGiven(bucket)}`,
      'give { maxTokens: 10, fillInterval: Duration.seconds(1) }');
  }
  const count = (f: string, n: number) => {
    if (!Number.isInteger(n) || n < 1 || n > UINT32_MAX) {
      throw new MeshConfigError(scope, `${field}.${f}`, `${describeGiven(n)} is not a positive integer Envoy can hold (a uint32)`,
        `use 1 to ${UINT32_MAX}`);
    }
    return n;
  };
  const max = count('maxTokens', bucket.maxTokens);
  const perFill = count('tokensPerFill', bucket.tokensPerFill ?? max);
  if (perFill > max) {
    throw new MeshConfigError(scope, `${field}.tokensPerFill`, `${perFill} tokens per fill exceed the bucket's ${max}`,
      'add at most maxTokens per fill');
  }
  if (checkInstance(scope, `${field}.fillInterval`, bucket.fillInterval, Duration, 'Duration.seconds(1)')
    .toMilliseconds({ integral: false }) < 50) {
    throw new MeshConfigError(scope, `${field}.fillInterval`, 'Envoy refuses a fill interval below 50ms',
      'use Duration.millis(50) or more');
  }
  return { max_tokens: max, tokens_per_fill: perFill, fill_interval: istioDuration(scope, `${field}.fillInterval`, bucket.fillInterval) };
}

/** A stat prefix or runtime key: letters, digits, `_` and `.`. */
export function checkStatPrefix(scope: Construct, field: string, prefix: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(prefix)) {
    throw new MeshConfigError(scope, field, `"${prefix}" is not a stat prefix`,
      'use letters, digits, "_" and ".", starting with a letter or "_"');
  }
  return prefix;
}
