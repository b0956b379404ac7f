import { Construct, IConstruct } from 'constructs';
import { Gateway } from './gateway';
import * as L1 from '../../imports/networking.istio.io';
import { isAmbientNamespace } from '../core/ambient';
import { describeGiven } from '../core/check';
import { MeshConfigError, formatProblem } from '../core/errors';
import { HTTP_PORT_PROTOCOLS } from '../core/port-protocol';
import type { IRoutableService } from '../core/workload-refs';
import { RoutingApi } from '../gateway-api/routing-api';

/** What a rate limit applies to: the sidecars of a MeshService (inbound), or an ingress Gateway's proxies. */
export type RateLimitTarget = IRoutableService | Gateway;

/** The HTTP connection manager filter every rate limit filter is inserted before. */
const HTTP_CONNECTION_MANAGER = 'envoy.filters.network.http_connection_manager';

/** The Gateway API group, whose Gateways Istio deploys a proxy for each. */
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * Where a rate limit's EnvoyFilter goes and what its patches match: for a MeshService, its pods'
 * sidecars (`SIDECAR_INBOUND`, the virtual host `inbound|http|<port>`), in the service's
 * namespace; for an Istio Gateway, the gateway pods its selector picks (`GATEWAY`, the routes of
 * that Gateway only), in the namespace they run in; for a Gateway rendered as a Gateway API
 * Gateway, the proxy Istio deploys for it (`targetRefs`), in its namespace.
 */
export interface ResolvedRateLimitTarget {
  /** The EnvoyFilter's namespace. */
  readonly namespace: string;
  /** The proxies' context. */
  readonly context: L1.EnvoyFilterSpecConfigPatchesMatchContext;
  /** The listener match of an HTTP_FILTER patch (the HTTP connection manager of every listener of the context). */
  readonly listener: L1.EnvoyFilterSpecConfigPatchesMatchListener;
  /** The proxies it patches: `workloadSelector` or `targetRefs` (computed at synthesis, when the Gateway is complete). */
  placement(): Pick<L1.EnvoyFilterSpec, 'workloadSelector' | 'targetRefs'>;
  /** The route configuration match of an HTTP_ROUTE or VIRTUAL_HOST patch (`route` adds `route: { action: ANY }`). */
  routeConfiguration(route: boolean): L1.EnvoyFilterSpecConfigPatchesMatchRouteConfiguration;
}

/**
 * Checks that a rate limit's `target` is an object (a JavaScript caller can leave it out or pass a
 * name), before anything reads its name.
 */
export function checkRateLimitTarget(scope: IConstruct, target: RateLimitTarget): RateLimitTarget {
  if (typeof target !== 'object' || target === null) {
    throw new MeshConfigError(scope, 'target',
      `must be the MeshService or Gateway whose requests are limited, not ${describeGiven(target)}`,
      'set target: <MeshService> (or an ingress Gateway)');
  }
  return target;
}

/**
 * Resolves a rate limit's target; refuses a waypoint (passed where a service or Gateway is
 * expected), a port for a Gateway, and an ambiguous or unknown port for a service.
 *
 * @param gatewayNamespace where an Istio Gateway's pods run
 * @param port the service port, for a service with several
 */
export function resolveRateLimitTarget(scope: Construct, target: RateLimitTarget, gatewayNamespace: string,
  port: number | undefined): ResolvedRateLimitTarget {
  if ('trafficType' in target) {
    throw new MeshConfigError(scope, 'target', `${target.node.path} is a waypoint, and Istio does not support EnvoyFilter on waypoints`,
      'limit the requests at the ingress Gateway, or on a MeshService in a namespace with sidecars');
  }
  const listener = { filterChain: { filter: { name: HTTP_CONNECTION_MANAGER } } };
  const anyRoute = (route: boolean) => (route ? { route: { action: ANY_ROUTE } } : undefined);
  if (target instanceof Gateway) {
    if (port !== undefined) {
      throw new MeshConfigError(scope, 'port', 'a Gateway target is limited on the routes of all its servers',
        'remove port (it selects a port of a MeshService target)');
    }
    const context = L1.EnvoyFilterSpecConfigPatchesMatchContext.GATEWAY;
    if (target.routingApi === RoutingApi.GATEWAY_API) {
      return {
        namespace: target.namespace,
        placement: () => ({ targetRefs: [{ group: GATEWAY_API_GROUP, kind: 'Gateway', name: target.name }] }),
        context,
        listener,
        routeConfiguration: route => ({ ...(route && { vhost: anyRoute(route) }) }),
      };
    }
    const gateway = `${target.namespace}/${target.name}`;
    return {
      namespace: gatewayNamespace,
      placement: () => ({ workloadSelector: { labels: { ...target.resource.toJson().spec.selector } } }),
      context,
      listener,
      routeConfiguration: route => ({ gateway, ...(route && { vhost: anyRoute(route) }) }),
    };
  }
  const ports = target.ports.map(p => p.port);
  if (port === undefined && ports.length !== 1) {
    throw new MeshConfigError(scope, 'port', `MeshService ${target.node.path} has ${ports.length} ports (${ports.join(', ')})`,
      'pass the port whose inbound requests are limited');
  }
  const servicePort = port ?? ports[0];
  if (!ports.includes(servicePort)) {
    throw new MeshConfigError(scope, 'port', `${servicePort} is not a port of MeshService ${target.node.path} (it has ${ports.join(', ')})`,
      'use one of the service\'s ports');
  }
  const protocol = target.ports.find(p => p.port === servicePort)!.protocol;
  if (!HTTP_PORT_PROTOCOLS.includes(protocol)) {
    throw new MeshConfigError(scope, 'port', `port ${servicePort} of MeshService ${target.node.path} is ${protocol}, and a rate limit `
      + 'is an HTTP filter, which never sees its connections', 'limit an HTTP, HTTP/2 or gRPC port of the service');
  }
  const vhost = `inbound|http|${servicePort}`;
  return {
    namespace: target.namespace,
    placement: () => ({ workloadSelector: { labels: { ...target.selectorLabels } } }),
    context: L1.EnvoyFilterSpecConfigPatchesMatchContext.SIDECAR_UNDERSCORE_INBOUND,
    listener,
    routeConfiguration: route => ({ vhost: { name: vhost, ...anyRoute(route) } }),
  };
}

const ANY_ROUTE = L1.EnvoyFilterSpecConfigPatchesMatchRouteConfigurationVhostRouteAction.ANY;

/**
 * The synthesis problem of a rate limit on a service in an ambient namespace: such a service has
 * no sidecar to patch, and Istio does not support EnvoyFilter on ztunnel or waypoints.
 */
export function ambientTargetProblems(scope: IConstruct, target: RateLimitTarget): string[] {
  if (target instanceof Gateway || !isAmbientNamespace(scope, target.namespace)) return [];
  return [formatProblem(scope, 'target',
    `MeshService ${target.node.path} is in the ambient namespace ${target.namespace}: it has no sidecar, and Istio does not `
      + 'support EnvoyFilter on ztunnel or waypoints, so the rate limit would do nothing',
    'limit the requests at the ingress Gateway (target: the Gateway), or enroll the namespace with sidecars (MeshEnrollment.SIDECAR)')];
}
