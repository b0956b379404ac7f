import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as L1 from '../../imports/networking.istio.io';
import { checkInstance, checkKnownKeys, checkMember, describeGiven, numberProblem } from '../core/check';
import { compact } from '../core/compact';
import { checkCredentialName } from '../core/credential-name';
import { istioDuration } from '../core/duration';
import { MeshConfigError } from '../core/errors';
import { isHeaderToken } from '../core/http-headers';
import { namespaceOf } from '../core/namespace';

/** Simple load-balancing algorithms. */
export enum LoadBalancerAlgorithm {
  /** Round robin over healthy endpoints. */
  ROUND_ROBIN = 'ROUND_ROBIN',
  /** The endpoint with fewer active requests, of two picked at random. */
  LEAST_REQUEST = 'LEAST_REQUEST',
  /** A random healthy endpoint. */
  RANDOM = 'RANDOM',
  /** The original destination address, without load balancing. */
  PASSTHROUGH = 'PASSTHROUGH',
}

/** How requests are spread over a host's endpoints. */
export class LoadBalancer {
  /** A simple algorithm. */
  public static simple(algorithm: LoadBalancerAlgorithm): LoadBalancer {
    return new LoadBalancer({ simple: algorithm });
  }

  /** Session affinity by the value of an HTTP header. */
  public static consistentHashByHeader(headerName: string): LoadBalancer {
    return new LoadBalancer({ consistentHash: { httpHeaderName: headerName } });
  }

  /** Session affinity by an HTTP cookie, generated with `ttl` when absent. */
  public static consistentHashByCookie(cookieName: string, ttl: Duration): LoadBalancer {
    return new LoadBalancer({ consistentHash: { httpCookie: { name: cookieName, ttl } } });
  }

  /** Session affinity by the client's source IP. */
  public static consistentHashBySourceIp(): LoadBalancer {
    return new LoadBalancer({ consistentHash: { useSourceIp: true } });
  }

  private constructor(private readonly balancing: Balancing) {}

  /** @internal The Istio `loadBalancer`, `simple` mapped by the table of the policy level it is written at. */
  public _toIstio<S>(scope: IConstruct, field: string, algorithms: Readonly<Record<LoadBalancerAlgorithm, S>>): LoadBalancerJson<S> {
    const b = this.balancing;
    if ('simple' in b) {
      return { simple: algorithms[checkMember(scope, `${field}.simple`, b.simple, LoadBalancerAlgorithm, 'LoadBalancerAlgorithm')] };
    }
    const key = b.consistentHash;
    if ('httpHeaderName' in key && !isHeaderToken(key.httpHeaderName)) {
      throw new MeshConfigError(scope, `${field}.consistentHash.httpHeaderName`, `"${key.httpHeaderName}" is not an HTTP header name`,
        'give the name of the request header to hash on, e.g. LoadBalancer.consistentHashByHeader(\'x-user-id\')');
    }
    if ('httpCookie' in key) {
      const ttl = istioDuration(scope, `${field}.consistentHash.httpCookie.ttl`, key.httpCookie.ttl);
      return { consistentHash: { httpCookie: { name: key.httpCookie.name, ttl } } };
    }
    return { consistentHash: key };
  }
}

/** What a consistent hash is keyed on. */
type HashKey =
  | { readonly httpHeaderName: string }
  | { readonly httpCookie: { readonly name: string; readonly ttl: Duration } }
  | { readonly useSourceIp: true };

/** A load-balancing choice: one simple algorithm or a consistent hash. */
type Balancing = { readonly simple: LoadBalancerAlgorithm } | { readonly consistentHash: HashKey };

/** An Istio `loadBalancer` with the `simple` enum of one policy level. */
interface LoadBalancerJson<S> {
  readonly simple?: S;
  readonly consistentHash?: L1.DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash;
}

/** TLS the client sidecar uses towards a host. */
export enum ClientTlsMode {
  /** Plain text. */
  DISABLE = 'DISABLE',
  /** TLS to a server that presents a certificate (e.g. an external HTTPS host). */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS with a client certificate from `credentialName`. */
  MUTUAL = 'MUTUAL',
  /** Istio mutual TLS with mesh certificates. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** Client-side TLS settings. */
export interface ClientTls {
  /** The TLS mode. */
  readonly mode: ClientTlsMode;
  /**
   * The Secret holding the client certificate (MUTUAL) or the CA certificate, referenced by name.
   * @default none
   */
  readonly credentialName?: string;
  /**
   * The file, in the sidecar, holding the CA certificates that verify the server (SIMPLE or
   * MUTUAL), e.g. the image's bundle `/etc/ssl/certs/ca-certificates.crt`. Without it or a CA in
   * `credentialName`'s Secret, the server's certificate is not verified (IST0128).
   * @default none
   */
  readonly caCertificates?: string;
  /**
   * SNI to present.
   * @default the host name
   */
  readonly sni?: string;
  /**
   * Server certificate subject alternative names to accept.
   * @default none
   */
  readonly subjectAltNames?: string[];
}

/** Limits on connections and requests to a host (circuit breaking). */
export interface ConnectionPool {
  /**
   * Maximum TCP connections.
   * @default Istio's default (2^32-1)
   */
  readonly maxConnections?: number;
  /**
   * TCP connect timeout.
   * @default Istio's default (10s)
   */
  readonly connectTimeout?: Duration;
  /**
   * Maximum requests queued while waiting for a connection.
   * @default Istio's default (2^32-1)
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * Maximum active requests.
   * @default Istio's default (2^32-1)
   */
  readonly http2MaxRequests?: number;
  /**
   * Maximum requests per connection (1 disables keep-alive).
   * @default unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Maximum concurrent retries.
   * @default Istio's default (2^32-1)
   */
  readonly maxRetries?: number;
  /**
   * Idle timeout of upstream connections.
   * @default Istio's default (1h)
   */
  readonly idleTimeout?: Duration;
}

/** Ejection of failing endpoints from the load-balancing pool. */
export interface OutlierDetection {
  /**
   * Consecutive 5xx responses (or connection errors) before ejection.
   * @default Istio's default (5)
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Consecutive 502/503/504 responses before ejection.
   * @default disabled
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * Time between ejection sweeps.
   * @default Istio's default (10s)
   */
  readonly interval?: Duration;
  /**
   * Minimum ejection duration.
   * @default Istio's default (30s)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Maximum percentage of endpoints ejected.
   * @default Istio's default (10)
   */
  readonly maxEjectionPercent?: number;
}

/** Traffic settings for a host or a subset. */
export interface TrafficPolicyOptions {
  /**
   * Load balancing.
   * @default Istio's default (LEAST_REQUEST)
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Connection pool limits.
   * @default none
   */
  readonly connectionPool?: ConnectionPool;
  /**
   * Outlier detection.
   * @default none
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * Client TLS.
   * @default Istio's automatic mutual TLS between sidecars
   */
  readonly tls?: ClientTls;
}

/** Traffic settings for one port of a host. */
export interface PortTrafficPolicy extends TrafficPolicyOptions {
  /** The port number. */
  readonly port: number;
}

/** A DestinationRule or subset traffic policy. */
export interface TrafficPolicy extends TrafficPolicyOptions {
  /**
   * Per-port overrides.
   * @default none
   */
  readonly portLevelSettings?: PortTrafficPolicy[];
}

const MAX_INT32 = 2 ** 31 - 1;

/**
 * The L1 enums of one level of a traffic policy. The rule's policy, a subset's, and the port-level
 * settings of each are distinct generated TypeScript enums with the same values.
 */
interface PolicyLevel<S, M> {
  readonly algorithms: Readonly<Record<LoadBalancerAlgorithm, S>>;
  readonly tlsModes: Readonly<Record<ClientTlsMode, M>>;
}

/** The members of a generated `loadBalancer.simple` enum that the library's algorithms map to. */
interface L1Algorithms<S> {
  readonly ROUND_UNDERSCORE_ROBIN: S;
  readonly LEAST_UNDERSCORE_REQUEST: S;
  readonly RANDOM: S;
  readonly PASSTHROUGH: S;
}

/** The members of a generated `tls.mode` enum that the library's modes map to. */
interface L1TlsModes<M> {
  readonly DISABLE: M;
  readonly SIMPLE: M;
  readonly MUTUAL: M;
  readonly ISTIO_UNDERSCORE_MUTUAL: M;
}

/** The explicit mapping of the library's enums to one level's generated enums. */
function policyLevel<S, M>(algorithms: L1Algorithms<S>, tlsModes: L1TlsModes<M>): PolicyLevel<S, M> {
  return {
    algorithms: {
      [LoadBalancerAlgorithm.ROUND_ROBIN]: algorithms.ROUND_UNDERSCORE_ROBIN,
      [LoadBalancerAlgorithm.LEAST_REQUEST]: algorithms.LEAST_UNDERSCORE_REQUEST,
      [LoadBalancerAlgorithm.RANDOM]: algorithms.RANDOM,
      [LoadBalancerAlgorithm.PASSTHROUGH]: algorithms.PASSTHROUGH,
    },
    tlsModes: {
      [ClientTlsMode.DISABLE]: tlsModes.DISABLE,
      [ClientTlsMode.SIMPLE]: tlsModes.SIMPLE,
      [ClientTlsMode.MUTUAL]: tlsModes.MUTUAL,
      [ClientTlsMode.ISTIO_MUTUAL]: tlsModes.ISTIO_UNDERSCORE_MUTUAL,
    },
  };
}

const RULE = policyLevel(L1.DestinationRuleSpecTrafficPolicyLoadBalancerSimple, L1.DestinationRuleSpecTrafficPolicyTlsMode);
const RULE_PORT = policyLevel(
  L1.DestinationRuleSpecTrafficPolicyPortLevelSettingsLoadBalancerSimple, L1.DestinationRuleSpecTrafficPolicyPortLevelSettingsTlsMode);
const SUBSET = policyLevel(L1.DestinationRuleSpecSubsetsTrafficPolicyLoadBalancerSimple, L1.DestinationRuleSpecSubsetsTrafficPolicyTlsMode);
const SUBSET_PORT = policyLevel(
  L1.DestinationRuleSpecSubsetsTrafficPolicyPortLevelSettingsLoadBalancerSimple,
  L1.DestinationRuleSpecSubsetsTrafficPolicyPortLevelSettingsTlsMode,
);

/** The settings the library writes at one level of a traffic policy, with that level's enums. */
interface OptionsJson<S, M> {
  readonly loadBalancer?: LoadBalancerJson<S>;
  readonly connectionPool?: {
    readonly tcp?: L1.DestinationRuleSpecTrafficPolicyConnectionPoolTcp;
    readonly http?: Omit<L1.DestinationRuleSpecTrafficPolicyConnectionPoolHttp, 'h2UpgradePolicy'>;
  };
  readonly outlierDetection?: L1.DestinationRuleSpecTrafficPolicyOutlierDetection;
  readonly tls?: Omit<L1.DestinationRuleSpecTrafficPolicyTls, 'mode'> & { readonly mode: M };
}

/** A rendered traffic policy: settings of one level, and port-level settings with the enums of the port level. */
interface PolicyJson<S, M, PS, PM> extends OptionsJson<S, M> {
  readonly portLevelSettings?: (OptionsJson<PS, PM> & { readonly port: { readonly number: number } })[];
}

/** Renders a DestinationRule's traffic policy, checking numbers and durations on the way. */
export function renderTrafficPolicy(scope: IConstruct, field: string, policy: TrafficPolicy): L1.DestinationRuleSpecTrafficPolicy {
  return renderPolicy(scope, field, policy, RULE, RULE_PORT);
}

/** Renders a subset's traffic policy, checking numbers and durations on the way. */
export function renderSubsetTrafficPolicy(
  scope: IConstruct, field: string, policy: TrafficPolicy,
): L1.DestinationRuleSpecSubsetsTrafficPolicy {
  return renderPolicy(scope, field, policy, SUBSET, SUBSET_PORT);
}

function renderPolicy<S, M, PS, PM>(
  scope: IConstruct, field: string, policy: TrafficPolicy, level: PolicyLevel<S, M>, portLevel: PolicyLevel<PS, PM>,
): PolicyJson<S, M, PS, PM> {
  const ports = policy.portLevelSettings ?? [];
  ports.forEach((p, i) => checkInt(scope, `${field}.portLevelSettings[${i}].port`, p.port, 1, 65535));
  return {
    ...renderOptions(scope, field, policy, level),
    ...(ports.length > 0 && {
      portLevelSettings: ports.map((p, i) => ({
        port: { number: p.port },
        ...renderOptions(scope, `${field}.portLevelSettings[${i}]`, p, portLevel),
      })),
    }),
  };
}

/** The members of the traffic policy types, each listed once (the compiler keeps the lists complete). */
const POOL_KEYS: Record<keyof ConnectionPool, true> = {
  maxConnections: true,
  connectTimeout: true,
  http1MaxPendingRequests: true,
  http2MaxRequests: true,
  maxRequestsPerConnection: true,
  maxRetries: true,
  idleTimeout: true,
};
const OUTLIER_KEYS: Record<keyof OutlierDetection, true> = {
  consecutive5xxErrors: true, consecutiveGatewayErrors: true, interval: true, baseEjectionTime: true, maxEjectionPercent: true,
};

function renderOptions<S, M>(scope: IConstruct, field: string, o: TrafficPolicyOptions, level: PolicyLevel<S, M>): OptionsJson<S, M> {
  const pool = o.connectionPool;
  const od = o.outlierDetection;
  checkKnownKeys(scope, `${field}.connectionPool`, pool, POOL_KEYS, 'a connection pool');
  checkKnownKeys(scope, `${field}.outlierDetection`, od, OUTLIER_KEYS, 'an outlier detection');
  const dur = (f: string, d: Duration | undefined) => d && istioDuration(scope, `${field}.${f}`, d);
  const int = (f: string, n: number | undefined, min: number, max = MAX_INT32) =>
    n === undefined ? undefined : checkInt(scope, `${field}.${f}`, n, min, max);
  return compact<OptionsJson<S, M>>({
    loadBalancer: o.loadBalancer && checkInstance(scope, `${field}.loadBalancer`, o.loadBalancer, LoadBalancer,
      'LoadBalancer.simple(LoadBalancerAlgorithm.LEAST_REQUEST) or LoadBalancer.consistentHashByHeader(...)')
      ._toIstio(scope, `${field}.loadBalancer`, level.algorithms),
    connectionPool: pool && compact({
      tcp: compact({
        maxConnections: int('connectionPool.maxConnections', pool.maxConnections, 1),
        connectTimeout: dur('connectionPool.connectTimeout', pool.connectTimeout),
      }),
      http: compact({
        http1MaxPendingRequests: int('connectionPool.http1MaxPendingRequests', pool.http1MaxPendingRequests, 1),
        http2MaxRequests: int('connectionPool.http2MaxRequests', pool.http2MaxRequests, 1),
        maxRequestsPerConnection: int('connectionPool.maxRequestsPerConnection', pool.maxRequestsPerConnection, 0),
        maxRetries: int('connectionPool.maxRetries', pool.maxRetries, 0),
        idleTimeout: dur('connectionPool.idleTimeout', pool.idleTimeout),
      }),
    }),
    outlierDetection: od && compact({
      // The L1 class serializes `consecutive5XxErrors` to the API's `consecutive5xxErrors`.
      consecutive5XxErrors: int('outlierDetection.consecutive5xxErrors', od.consecutive5xxErrors, 0),
      consecutiveGatewayErrors: int('outlierDetection.consecutiveGatewayErrors', od.consecutiveGatewayErrors, 0),
      interval: dur('outlierDetection.interval', od.interval),
      baseEjectionTime: dur('outlierDetection.baseEjectionTime', od.baseEjectionTime),
      maxEjectionPercent: int('outlierDetection.maxEjectionPercent', od.maxEjectionPercent, 0, 100),
    }),
    tls: o.tls && renderClientTls(scope, `${field}.tls`, o.tls, level.tlsModes),
  }) ?? {};
}

function renderClientTls<M>(
  scope: IConstruct, field: string, tls: ClientTls, modes: Readonly<Record<ClientTlsMode, M>>,
): OptionsJson<never, M>['tls'] {
  checkClientTls(scope, field, tls);
  checkMember(scope, `${field}.mode`, tls.mode, ClientTlsMode, 'ClientTlsMode');
  return compact({
    mode: modes[tls.mode],
    credentialName: tls.credentialName,
    caCertificates: tls.caCertificates,
    sni: tls.sni,
    subjectAltNames: tls.subjectAltNames,
  });
}

function checkClientTls(scope: IConstruct, field: string, tls: ClientTls): boolean {
  if (tls.credentialName !== undefined) {
    checkCredentialName(scope, `${field}.credentialName`, tls.credentialName, 'client', namespaceOf(scope));
  }
  if (tls.mode === ClientTlsMode.ISTIO_MUTUAL && tls.credentialName) {
    throw new MeshConfigError(scope, `${field}.credentialName`, 'ISTIO_MUTUAL uses the mesh certificates and takes no credentialName',
      'remove credentialName, or use MUTUAL with your own client certificate');
  }
  if (tls.caCertificates !== undefined && (typeof tls.caCertificates !== 'string' || !tls.caCertificates.startsWith('/'))) {
    throw new MeshConfigError(scope, `${field}.caCertificates`,
      `must be the absolute path of a file in the sidecar, not ${describeGiven(tls.caCertificates)}`,
      'give the path of the CA bundle, e.g. /etc/ssl/certs/ca-certificates.crt');
  }
  if (tls.mode === ClientTlsMode.ISTIO_MUTUAL && tls.caCertificates !== undefined) {
    throw new MeshConfigError(scope, `${field}.caCertificates`, 'ISTIO_MUTUAL verifies peers with the mesh CA and takes no caCertificates',
      'remove caCertificates, or use SIMPLE or MUTUAL for a server outside the mesh');
  }
  if (tls.mode === ClientTlsMode.MUTUAL && !tls.credentialName) {
    throw new MeshConfigError(scope, `${field}.credentialName`, 'MUTUAL TLS needs the client certificate',
      'set credentialName to the Secret holding the client certificate and key, or use ISTIO_MUTUAL for mesh workloads');
  }
  return true;
}

function checkInt(scope: IConstruct, field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MeshConfigError(scope, field, numberProblem(value, 'is out of range'), `use an integer from ${min} to ${max}`);
  }
  return value;
}
