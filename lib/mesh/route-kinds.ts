import { IConstruct } from 'constructs';
import { Gateway, GatewayProtocol, GatewayServer } from './gateway';
import { formatProblem } from '../core/errors';
import { HTTP_PORT_PROTOCOLS, PortProtocol, TCP_PORT_PROTOCOLS, TLS_PORT_PROTOCOLS } from '../core/port-protocol';
import type { RouteKind } from '../gateway-api/routing-api';
import { MeshService } from '../workload/mesh-service';

/** The binding of a VirtualService to the sidecars and waypoints of the mesh (`VirtualService.MESH`). */
const MESH = 'mesh';

/** The kinds of route, what takes them, and the protocol a fix declares. */
const ROUTE_KINDS: readonly { readonly kind: RouteKind; readonly ports: string; readonly protocol: keyof typeof PortProtocol }[] = [
  { kind: 'http', ports: 'HTTP', protocol: 'HTTP' },
  { kind: 'tls', ports: 'TLS', protocol: 'TLS' },
  { kind: 'tcp', ports: 'TCP or TLS', protocol: 'TCP' },
];

/** How a Gateway server of each kind is made to take the routes. */
const SERVER_FIXES: Record<RouteKind, string> = {
  http: 'serve HTTP, or HTTPS terminated (GatewayTls.simple()), on the Gateway',
  tls: 'pass TLS through on the Gateway (GatewayTls.passthrough())',
  tcp: 'serve TCP, or TLS terminated, on the Gateway',
};

/** The kinds of mesh route ports of these protocols take: http for HTTP ports, tls and tcp for TLS ports, tcp for TCP ports. */
function portRouteKinds(protocols: readonly PortProtocol[]): RouteKind[] {
  const has = (of: readonly PortProtocol[]) => protocols.some(p => of.includes(p));
  return [
    ...has(HTTP_PORT_PROTOCOLS) ? ['http' as const] : [],
    ...has(TLS_PORT_PROTOCOLS) ? ['tls' as const] : [],
    ...has([...TCP_PORT_PROTOCOLS, ...TLS_PORT_PROTOCOLS]) ? ['tcp' as const] : [],
  ];
}

/**
 * The kinds of route a Gateway server takes: http where it speaks or terminates HTTP, tls (and
 * tcp) where it passes TLS through, tcp for TCP and for TLS it terminates.
 */
function serverRouteKinds(server: GatewayServer): RouteKind[] {
  const passthrough = server.tls?.mode === 'PASSTHROUGH';
  switch (server.protocol) {
    case GatewayProtocol.HTTPS: return passthrough ? ['tls', 'tcp'] : ['http'];
    case GatewayProtocol.TLS: return passthrough ? ['tls', 'tcp'] : ['tcp'];
    case GatewayProtocol.TCP: return ['tcp'];
    default: return ['http'];
  }
}

/**
 * The routes of a VirtualService that nothing it is bound to would use, as problems: a route kind
 * applies only to the host's ports of its protocols in the mesh (HTTP routes to HTTP ports, TLS
 * routes to TLS ports, TCP routes to TCP and TLS ports) and to the Gateway servers that take it.
 * Such routes are never used, so their subsets, retries and timeouts silently do nothing.
 *
 * A kind is refused when nothing the VirtualService is bound to takes it: no port of its hosts
 * in the mesh (a VirtualService may route hosts of different protocols, each with its own kind of
 * route), and no server of its Gateways. A host given as a name, or a MeshService without ports,
 * may take every kind; a Gateway given by name is not judged: their ports are unknown.
 *
 * @param counts how many routes of each kind the VirtualService has
 */
export function routeKindProblems(scope: IConstruct, hosts: readonly (MeshService | string)[], gateways: readonly (Gateway | string)[],
  counts: Readonly<Record<RouteKind, number>>): string[] {
  const present = ROUTE_KINDS.filter(k => counts[k.kind] > 0);
  const onMesh = gateways.length === 0 || gateways.includes(MESH);
  const bound = gateways.filter((g): g is Gateway => g instanceof Gateway);
  if (gateways.some(g => typeof g === 'string' && g !== MESH)) return [];
  // a host of known ports takes the kinds of its ports; any other host may take every kind
  const known = (host: MeshService | string): host is MeshService => host instanceof MeshService && host.ports.length > 0;
  const kindsOf = (h: MeshService | string) => (known(h) ? portRouteKinds(h.ports.map(p => p.protocol)) : ROUTE_KINDS.map(k => k.kind));
  const meshServed = new Set(onMesh ? hosts.flatMap(kindsOf) : []);
  if (bound.length === 0) {
    const portsOf = (h: MeshService) => h.ports.map(p => `${p.port} ${p.protocol}`).join(', ');
    const described = hosts.length === 1 && known(hosts[0]) ? `${hosts[0].node.path} has no %s port (it has ${portsOf(hosts[0])})`
      : `no host has a %s port (${hosts.filter(known).map(h => `${h.node.path}: ${portsOf(h)}`).join('; ')})`;
    const others = [...meshServed];
    return present.filter(k => !meshServed.has(k.kind)).map(k => formatProblem(scope, k.kind,
      `${described.replace('%s', k.ports)}, and Istio applies ${k.kind} routes only to ${k.ports} ports, `
      + 'so these routes would never be used',
      `${others.length > 0 ? `route the ports with ${others.join(' or ')} routes, or ` : ''}`
      + `declare the port's protocol (ports: [{ port, protocol: PortProtocol.${k.protocol} }])`));
  }
  const served = new Set([...bound.flatMap(g => g._servers.flatMap(serverRouteKinds)), ...meshServed]);
  const names = bound.map(g => g.node.path).join(', ');
  return present.filter(k => !served.has(k.kind)).map(k => formatProblem(scope, k.kind,
    `no server of ${names} takes ${k.kind} routes${onMesh ? ', nor does a port of the hosts in the mesh' : ''}, so these routes `
    + 'would never be used', `${SERVER_FIXES[k.kind]}${served.size > 0 ? `, or route with ${[...served].join(' or ')} routes` : ''}`));
}
