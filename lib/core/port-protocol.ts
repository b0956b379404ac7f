/**
 * Application protocols Istio selects by a Service port's name (`<protocol>[-<suffix>]`) or by
 * its `appProtocol`. A port whose protocol Istio cannot classify is treated as opaque TCP and
 * loses HTTP routing, retries and telemetry, which is what IST0118 warns about.
 */
export enum PortProtocol {
  /** HTTP/1.1 (port name `http`, `http-*`). */
  HTTP = 'http',
  /** HTTP/2 (port name `http2`, `http2-*`). */
  HTTP2 = 'http2',
  /** TLS-wrapped HTTP that Istio passes through (port name `https`, `https-*`). */
  HTTPS = 'https',
  /** gRPC (port name `grpc`, `grpc-*`). */
  GRPC = 'grpc',
  /** gRPC-Web (port name `grpc-web`, `grpc-web-*`). */
  GRPC_WEB = 'grpc-web',
  /** Opaque TCP (port name `tcp`, `tcp-*`). */
  TCP = 'tcp',
  /** TLS Istio routes by SNI (port name `tls`, `tls-*`). */
  TLS = 'tls',
  /** MongoDB (port name `mongo`, `mongo-*`). */
  MONGO = 'mongo',
  /** MySQL (port name `mysql`, `mysql-*`). */
  MYSQL = 'mysql',
  /** Redis (port name `redis`, `redis-*`). */
  REDIS = 'redis',
  /** UDP (port name `udp`, `udp-*`); not proxied by the sidecar. */
  UDP = 'udp',
}

/** Protocols whose ports the proxies serve with Envoy's HTTP connection manager (HTTP filters, routes, L7 rules). */
export const HTTP_PORT_PROTOCOLS: readonly PortProtocol[] = [
  PortProtocol.HTTP, PortProtocol.HTTP2, PortProtocol.GRPC, PortProtocol.GRPC_WEB,
];

/** Protocols of TLS Istio routes without terminating it, by SNI (a mesh VirtualService's `tls` routes). */
export const TLS_PORT_PROTOCOLS: readonly PortProtocol[] = [PortProtocol.TLS, PortProtocol.HTTPS];

/** Protocols Istio proxies as opaque TCP (a mesh VirtualService's `tcp` routes, which TLS ports take too). */
export const TCP_PORT_PROTOCOLS: readonly PortProtocol[] = [PortProtocol.TCP, PortProtocol.MONGO, PortProtocol.MYSQL, PortProtocol.REDIS];

/**
 * The protocol Istio classifies a port name as, under its `<protocol>[-<suffix>]` convention
 * (case-insensitive; the longest protocol wins, so `grpc-web-ui` is gRPC-Web), or undefined.
 */
export function protocolOfPortName(name: string): PortProtocol | undefined {
  const lower = name.toLowerCase();
  const matching = Object.values(PortProtocol).filter(p => lower === p || lower.startsWith(`${p}-`));
  return matching.sort((a, b) => b.length - a.length)[0];
}

/** Returns whether `name` classifies as `protocol` under Istio's `<protocol>[-<suffix>]` convention. */
export function portNameMatchesProtocol(name: string, protocol: PortProtocol): boolean {
  return protocolOfPortName(name) === protocol;
}

/** The `appProtocol` values Istio selects a protocol by: the port-name protocols and Kubernetes' standard ones. */
const APP_PROTOCOLS = new Set<string>([...Object.values(PortProtocol), 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);

/** Returns whether Istio selects a protocol by a Service port's `appProtocol` value (case-insensitive). */
export function isIstioAppProtocol(appProtocol: string): boolean {
  return APP_PROTOCOLS.has(appProtocol.toLowerCase());
}

/** Ports Istio treats as server-first TCP whatever their name or appProtocol (SMTP, DNS, MySQL, MongoDB). */
const SERVER_FIRST_TCP_PORTS = new Set([25, 53, 3306, 27017]);

/** Returns whether Istio treats a Service port as server-first TCP by its number alone. */
export function isServerFirstTcpPort(port: number): boolean {
  return SERVER_FIRST_TCP_PORTS.has(port);
}
