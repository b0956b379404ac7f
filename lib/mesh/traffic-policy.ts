import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { compact } from '../core/compact';
import { checkCredentialName } from '../core/credential-name';
import { istioDuration } from '../core/duration';
import { MeshConfigError } from '../core/errors';
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

  private constructor(private readonly json: Record<string, unknown>) {}

  /** @internal */
  public _toIstio(scope: IConstruct, field: string): Record<string, unknown> {
    const hash = this.json.consistentHash as { httpCookie?: { name: string; ttl: Duration } } | undefined;
    if (hash?.httpCookie) {
      return { consistentHash: { httpCookie: { name: hash.httpCookie.name, ttl: istioDuration(scope, `${field}.consistentHash.httpCookie.ttl`, hash.httpCookie.ttl) } } };
    }
    return this.json;
  }
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

/** Renders a traffic policy to Istio's JSON, checking numbers and durations on the way. */
export function renderTrafficPolicy(scope: IConstruct, field: string, policy: TrafficPolicy): Record<string, unknown> {
  const ports = policy.portLevelSettings ?? [];
  ports.forEach((p, i) => checkInt(scope, `${field}.portLevelSettings[${i}].port`, p.port, 1, 65535));
  return {
    ...renderOptions(scope, field, policy),
    ...(ports.length > 0 && {
      portLevelSettings: ports.map((p, i) => ({ port: { number: p.port }, ...renderOptions(scope, `${field}.portLevelSettings[${i}]`, p) })),
    }),
  };
}

function renderOptions(scope: IConstruct, field: string, o: TrafficPolicyOptions): Record<string, unknown> {
  const pool = o.connectionPool;
  const od = o.outlierDetection;
  const dur = (f: string, d: Duration | undefined) => d && istioDuration(scope, `${field}.${f}`, d);
  const int = (f: string, n: number | undefined, min: number, max = MAX_INT32) => n === undefined ? undefined : checkInt(scope, `${field}.${f}`, n, min, max);
  return compact({
    loadBalancer: o.loadBalancer?._toIstio(scope, `${field}.loadBalancer`),
    connectionPool: pool && compact({
      tcp: compact({ maxConnections: int('connectionPool.maxConnections', pool.maxConnections, 1), connectTimeout: dur('connectionPool.connectTimeout', pool.connectTimeout) }),
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
    tls: o.tls && checkClientTls(scope, `${field}.tls`, o.tls) && compact({ mode: o.tls.mode, credentialName: o.tls.credentialName, sni: o.tls.sni, subjectAltNames: o.tls.subjectAltNames }),
  }) ?? {};
}

function checkClientTls(scope: IConstruct, field: string, tls: ClientTls): boolean {
  if (tls.credentialName !== undefined) checkCredentialName(scope, `${field}.credentialName`, tls.credentialName, 'client', namespaceOf(scope));
  if (tls.mode === ClientTlsMode.ISTIO_MUTUAL && tls.credentialName) {
    throw new MeshConfigError(scope, `${field}.credentialName`, 'ISTIO_MUTUAL uses the mesh certificates and takes no credentialName',
      'remove credentialName, or use MUTUAL with your own client certificate');
  }
  if (tls.mode === ClientTlsMode.MUTUAL && !tls.credentialName) {
    throw new MeshConfigError(scope, `${field}.credentialName`, 'MUTUAL TLS needs the client certificate',
      'set credentialName to the Secret holding the client certificate and key, or use ISTIO_MUTUAL for mesh workloads');
  }
  return true;
}

function checkInt(scope: IConstruct, field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MeshConfigError(scope, field, `${value} is out of range`, `use an integer from ${min} to ${max}`);
  }
  return value;
}
