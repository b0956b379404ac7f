import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Gateway } from './gateway';
import { checkStatPrefix } from './rate-limit-local';
import { RateLimitTarget, ambientTargetProblems, checkRateLimitTarget, resolveRateLimitTarget } from './rate-limit-target';
import * as L1 from '../../imports/networking.istio.io';
import { checkBooleans, checkInstance, checkMember, checkProps, describeGiven } from '../core/check';
import { istioDuration } from '../core/duration';
import { MeshConfigError, formatProblem } from '../core/errors';
import { jsYaml } from '../core/js-yaml-lazy';
import { LibraryApiObject, libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain } from '../core/names';
import { UINT32_MAX } from '../core/network';
import { registerLibraryConstruct } from '../core/registry';
import { deployedGateway } from '../gateway-api/gateway-listeners';
import { RoutingApi } from '../gateway-api/routing-api';
import { Caller } from '../security/caller';
import { MeshService } from '../workload/mesh-service';
import { PortProtocol } from '../workload/service-port';
import { VolumeSource } from '../workload/volume';

/** The image of samples/ratelimit/rate-limit-service.yaml (2024/08/01). */
export const DEFAULT_RATE_LIMIT_IMAGE = 'docker.io/envoyproxy/ratelimit:30a4ce1a';
/** The Redis image of samples/ratelimit/rate-limit-service.yaml. */
export const DEFAULT_RATE_LIMIT_REDIS_IMAGE = 'docker.io/redis:alpine';

/** The gRPC port of the rate limit service, which the proxies call. */
const GRPC_PORT = 8081;

/** The unit of a global limit. */
export enum RateLimitUnit {
  /** Per second. */
  SECOND = 'second',
  /** Per minute. */
  MINUTE = 'minute',
  /** Per hour. */
  HOUR = 'hour',
  /** Per day. */
  DAY = 'day',
}

/** A number of requests per unit of time, counted across every proxy. */
export interface RequestRate {
  /** Requests allowed per unit. */
  readonly requests: number;
  /** The unit. */
  readonly unit: RateLimitUnit;
}

/** Props of {@link RateLimitService}. */
export interface RateLimitServiceProps {
  /**
   * The image of Envoy's rate limit service.
   * @default DEFAULT_RATE_LIMIT_IMAGE
   */
  readonly image?: string;
  /**
   * The Redis image (the counters' store).
   * @default DEFAULT_RATE_LIMIT_REDIS_IMAGE
   */
  readonly redisImage?: string;
  /**
   * The service's log level.
   * @default 'debug' (as upstream)
   */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * The name of the rate limit service (its Service, Deployment and ServiceAccount); its
   * ConfigMap is `<name>-config`.
   * @default 'ratelimit' (as upstream, ConfigMap `ratelimit-config`)
   */
  readonly name?: string;
  /**
   * The name of its Redis (Service, Deployment and ServiceAccount), for a namespace that already
   * has a `redis` of its own.
   * @default 'redis'
   */
  readonly redisName?: string;
}

/** What one GlobalRateLimit adds to the service's configuration. */
interface DomainConfig {
  readonly domain: string;
  readonly paths: Readonly<Record<string, RequestRate>>;
  readonly otherPaths?: RequestRate;
}

/**
 * Envoy's global rate limit service with its Redis, as Istio's samples/ratelimit/rate-limit-service.yaml:
 * the Services `redis` (6379) and `ratelimit` (8080 HTTP, 8081 gRPC, 6070 debug; both names can
 * be changed), their Deployments, and the ConfigMap `ratelimit-config` it reads, generated from the limits of every
 * {@link GlobalRateLimit} that uses it (one file per domain). As mesh workloads, each gets its own
 * ServiceAccount, and only the proxies that rate-limit may call it (and only it may call Redis).
 */
export class RateLimitService extends Construct {
  /** The `ratelimit` service. */
  public readonly service: MeshService;
  /** The `redis` service. */
  public readonly redis: MeshService;
  /** The ConfigMap `ratelimit-config`. */
  public readonly config: ApiObject;

  private readonly domains: DomainConfig[] = [];

  constructor(scope: Construct, id: string, props: RateLimitServiceProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    const configMap = `${props.name ?? 'ratelimit'}-config`;
    this.redis = new MeshService(this, 'redis', {
      name: props.redisName ?? 'redis',
      ports: [{ port: 6379, protocol: PortProtocol.REDIS }],
      // The redis image starts as root, chowns its data directory and switches user: it keeps the runtime's capabilities.
      workload: {
        image: props.redisImage ?? DEFAULT_RATE_LIMIT_REDIS_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        securityContext: { capabilities: {} },
      },
    });
    this.service = new MeshService(this, 'ratelimit', {
      name: props.name ?? 'ratelimit',
      ports: [
        { port: 8080, protocol: PortProtocol.HTTP, name: 'http-port' },
        { port: GRPC_PORT, protocol: PortProtocol.GRPC, name: 'grpc-port' },
        { port: 6070, protocol: PortProtocol.HTTP, name: 'http-debug' },
      ],
      workload: {
        image: props.image ?? DEFAULT_RATE_LIMIT_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        command: ['/bin/ratelimit'],
        env: {
          LOG_LEVEL: props.logLevel ?? 'debug',
          REDIS_SOCKET_TYPE: 'tcp',
          REDIS_URL: `${this.redis.name}:6379`,
          USE_STATSD: 'false',
          RUNTIME_ROOT: '/data',
          RUNTIME_SUBDIRECTORY: 'ratelimit',
          RUNTIME_WATCH_ROOT: 'false',
          RUNTIME_IGNOREDOTFILES: 'true',
          HOST: '::',
          GRPC_HOST: '::',
        },
        volumes: [{ name: 'config-volume', mountPath: '/data/ratelimit/config', source: VolumeSource.configMap(configMap) }],
      },
    });
    this.redis.allowFrom(this.service, { ports: [6379] });
    this.config = new LibraryApiObject(this, 'Config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMap },
      data: Lazy.any({ produce: () => this.renderConfig() }),
    });
    this.node.addValidation({
      validate: () => (this.domains.length > 0 ? [] : [formatProblem(this, 'domains',
        'no GlobalRateLimit uses the service, so it limits nothing', 'add a GlobalRateLimit with service: <this>, or remove the service')]),
    });
  }

  /** The Envoy cluster of its gRPC port, as a proxy names it. */
  public get clusterName(): string {
    return `outbound|${GRPC_PORT}||${this.service.fqdn}`;
  }

  /** @internal Adds a domain's limits; lets `caller` (the rate-limiting proxies) call the gRPC port. */
  public _addDomain(scope: Construct, config: DomainConfig, caller: Caller): void {
    if (this.domains.some(d => d.domain === config.domain)) {
      throw new MeshConfigError(scope, 'domain', `the rate limit service already has the domain "${config.domain}"`,
        'give each GlobalRateLimit its own domain');
    }
    this.domains.push(config);
    this.service.allowFrom(caller, { ports: [GRPC_PORT] });
  }

  private renderConfig(): Record<string, string> {
    return Object.fromEntries(this.domains.map(d => {
      const limit = (rate: RequestRate) => ({ unit: rate.unit, requests_per_unit: rate.requests });
      const descriptors = [
        ...Object.entries(d.paths).map(([path, rate]) => ({ key: 'PATH', value: path, rate_limit: limit(rate) })),
        ...d.otherPaths ? [{ key: 'PATH', rate_limit: limit(d.otherPaths) }] : [],
      ];
      return [`${d.domain}.yaml`, jsYaml().dump({ domain: d.domain, descriptors }, { noRefs: true, lineWidth: -1 })];
    }));
  }
}

/** Props of {@link GlobalRateLimit}. */
export interface GlobalRateLimitProps {
  /** The rate limit service that counts the requests. */
  readonly service: RateLimitService;
  /** What is limited: the inbound requests of a MeshService's pods, or the requests an ingress Gateway routes. */
  readonly target: RateLimitTarget;
  /**
   * The EnvoyFilters' name prefix (`<name>` inserts the filter, `<name>-svc` sets the descriptors).
   * @default `<target name>-ratelimit`
   */
  readonly name?: string;
  /**
   * The domain of the limits in the service's configuration.
   * @default the target's name
   */
  readonly domain?: string;
  /**
   * Limits by exact request path, e.g. `{ '/productpage': { requests: 1, unit: RateLimitUnit.MINUTE } }`.
   * @default none
   */
  readonly paths?: Record<string, RequestRate>;
  /**
   * The limit of every path not in `paths`.
   * @default none (other paths are not limited)
   */
  readonly otherPaths?: RequestRate;
  /**
   * Deny requests when the rate limit service cannot be reached.
   * @default true (as Istio's global rate limit task)
   */
  readonly failureModeDeny?: boolean;
  /**
   * How long a proxy waits for the rate limit service.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * The service port whose inbound requests are limited (MeshService targets).
   * @default the service's only port
   */
  readonly port?: number;
  /**
   * The namespace the gateway pods of an Istio Gateway target run in, where the EnvoyFilters must be.
   * @default 'istio-system'
   */
  readonly gatewayNamespace?: string;
  /**
   * The EnvoyFilters' priority (see LocalRateLimit's).
   * @default none
   */
  readonly priority?: number;
}

/**
 * A global rate limit, counted across every proxy by a {@link RateLimitService}, as Istio's global
 * rate limit task: the EnvoyFilter `<name>` inserts Envoy's `ratelimit` HTTP filter (domain,
 * the service's gRPC cluster, timeout, failure mode) and `<name>-svc` sends the request path as
 * the `PATH` descriptor from the target's routes; the limits go to the service's configuration.
 *
 * EnvoyFilter is Istio's lowest-level API, tied to the Envoy configuration a version generates;
 * a service in an ambient namespace (no sidecar; no EnvoyFilter on waypoints) fails synthesis.
 */
export class GlobalRateLimit extends Construct {
  /** The EnvoyFilter inserting the filter. */
  public readonly filter: ApiObject;
  /** The EnvoyFilter adding the rate limit actions to the routes. */
  public readonly actions: ApiObject;

  constructor(scope: Construct, id: string, props: GlobalRateLimitProps) {
    super(scope, id);
    checkProps(this, props, 'its target, e.g. { target: gateway, service: rateLimitService, descriptors: [...] }');
    registerLibraryConstruct(this);
    checkRateLimitTarget(this, props.target);
    checkBooleans(this, '', props, ['failureModeDeny']);
    checkInstance(this, 'service', props.service, RateLimitService, 'new RateLimitService(scope, \'ratelimit\')');
    const name = checkDnsSubdomain(this, 'name', props.name ?? `${props.target.name}-ratelimit`);
    checkDnsSubdomain(this, 'name', `${name}-svc`);
    const domain = checkStatPrefix(this, 'domain', props.domain ?? props.target.name.replace(/-/g, '_'));
    const target = resolveRateLimitTarget(this, props.target, props.gatewayNamespace ?? 'istio-system', props.port);
    const paths = props.paths ?? {};
    Object.entries(paths).forEach(([path, rate]) => {
      if (!path.startsWith('/')) throw new MeshConfigError(this, `paths.${path}`, `"${path}" is not a path`, 'start it with "/"');
      checkRate(this, `paths.${path}`, rate);
    });
    if (props.otherPaths) checkRate(this, 'otherPaths', props.otherPaths);
    if (Object.keys(paths).length === 0 && !props.otherPaths) {
      throw new MeshConfigError(this, 'paths', 'no limit is set', 'set paths, otherPaths, or both');
    }
    if (props.priority !== undefined && !Number.isInteger(props.priority)) {
      throw new MeshConfigError(this, 'priority', `${props.priority} is not an integer`, 'use an integer (negative ones apply first)');
    }
    const caller = props.target instanceof Gateway ? gatewayCaller(props.target, props.gatewayNamespace) : Caller.service(props.target);
    props.service._addDomain(this, { domain, paths, otherPaths: props.otherPaths }, caller);
    const timeout = istioDuration(this, 'timeout', props.timeout ?? Duration.seconds(10));
    this.node.addValidation({ validate: () => ambientTargetProblems(this, props.target) });
    const Op = L1.EnvoyFilterSpecConfigPatchesPatchOperation;
    const ApplyTo = L1.EnvoyFilterSpecConfigPatchesApplyTo;
    const metadata = (n: string) => ({ name: n, namespace: target.namespace });
    const spec = (patch: L1.EnvoyFilterSpecConfigPatches) => (): L1.EnvoyFilterSpec => ({
      ...target.placement(),
      ...(props.priority !== undefined && { priority: props.priority }),
      configPatches: [patch],
    });
    const authority = props.service.service.fqdn;
    this.filter = libraryObject(this, 'Filter', L1.EnvoyFilter, metadata(name), spec({
      applyTo: ApplyTo.HTTP_UNDERSCORE_FILTER,
      match: {
        context: target.context,
        listener: { filterChain: { filter: { ...target.listener.filterChain!.filter, subFilter: { name: 'envoy.filters.http.router' } } } },
      },
      patch: {
        operation: Op.INSERT_UNDERSCORE_BEFORE,
        value: {
          name: 'envoy.filters.http.ratelimit',
          typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit',
            'domain': domain,
            'failure_mode_deny': props.failureModeDeny ?? true,
            'timeout': timeout,
            'rate_limit_service': {
              grpc_service: { envoy_grpc: { cluster_name: props.service.clusterName, authority } },
              transport_api_version: 'V3',
            },
          },
        },
      },
    }), L1.toJson_EnvoyFilterSpec);
    this.actions = libraryObject(this, 'Actions', L1.EnvoyFilter, metadata(`${name}-svc`), spec({
      applyTo: ApplyTo.VIRTUAL_UNDERSCORE_HOST,
      match: { context: target.context, routeConfiguration: target.routeConfiguration(false) },
      patch: {
        operation: Op.MERGE,
        value: { rate_limits: [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'PATH' } }] }] },
      },
    }), L1.toJson_EnvoyFilterSpec);
  }
}

/** The identity of a Gateway's proxies: the classic ingress gateway's, or the one Istio deploys for a Gateway API Gateway. */
function gatewayCaller(gateway: Gateway, gatewayNamespace: string | undefined): Caller {
  if (gateway.routingApi !== RoutingApi.GATEWAY_API) return Caller.ingressGateway(gatewayNamespace);
  const deployed = deployedGateway(gateway);
  return Caller.ingressGateway(deployed.namespace, deployed.name);
}

function checkRate(scope: Construct, field: string, rate: RequestRate): void {
  if (!Number.isInteger(rate.requests) || rate.requests < 0 || rate.requests > UINT32_MAX) {
    throw new MeshConfigError(scope, `${field}.requests`,
      `${describeGiven(rate.requests)} is not a number of requests the service can hold (a uint32)`,
      `use an integer from 0 to ${UINT32_MAX}`);
  }
  checkMember(scope, `${field}.unit`, rate.unit, RateLimitUnit, 'RateLimitUnit');
}
