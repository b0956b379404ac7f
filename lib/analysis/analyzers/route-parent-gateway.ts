import type { GatewaySpec } from '../../../imports/gateway.networking.k8s.io';
import { hostMatches } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { GatewayApiReference, MeshIndex, Resource, TypedResource, list } from '../mesh-index';
import { ParentGatewayProblem, msg } from '../message-constructors';
import { gatewayParent, listenerAdmitsKind, namespaceAdmitted } from './gateway-api';

/**
 * Why `gateway` does not take `route` through `ref`, or undefined when some listener takes it (or
 * when that cannot be known: a Selector over a namespace the manifests do not declare).
 */
function parentProblem(
  index: MeshIndex, route: Resource, ref: GatewayApiReference, gateway: TypedResource<GatewaySpec>,
): ParentGatewayProblem | undefined {
  const listeners = list(gateway.spec.listeners)
    .filter(l => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port));
  if (listeners.length === 0) return { problem: 'no-listener', sectionName: ref.sectionName, port: ref.port };
  const admitted = listeners.map(l => namespaceAdmitted(index, l.allowedRoutes?.namespaces, 'Same', gateway.namespace, route.namespace));
  if (admitted.includes(undefined)) return undefined;
  const taking = listeners.filter((l, i) => admitted[i] === true && listenerAdmitsKind(l, route.kind));
  if (taking.length === 0) {
    return admitted.includes(true) ? { problem: 'kind', kind: route.kind } : { problem: 'namespace', namespace: route.namespace };
  }
  const hostnames = list((route.spec as { hostnames?: string[] }).hostnames);
  const matched = (listener: { hostname?: string }) => listener.hostname === undefined
    || hostnames.some(h => hostMatches(listener.hostname!, h) || hostMatches(h, listener.hostname!));
  if (hostnames.length === 0 || taking.some(matched)) return undefined;
  return { problem: 'hostname', hostnames, listenerHostnames: taking.map(l => l.hostname!) };
}

/**
 * KIA1401: a Gateway API route (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute) names a parent Gateway
 * that is not in the manifests, or that does not take it: no listener has the parentRef's
 * sectionName or port, none admits routes from the route's namespace (`allowedRoutes.namespaces`,
 * `Same` by default), or none admits its kind (`allowedRoutes.kinds`, by default the kinds of the
 * listener's protocol), or none of those that take it has a hostname its `hostnames` intersect
 * (the Gateway API's NoMatchingListenerHostname: the route is not attached). Parents that are
 * Services (mesh routes) are KIA1402's.
 */
export const routeParentGateway: Analyzer = {
  name: 'route-parent-gateway',
  codes: ['KIA1401'],
  analyze(index, report) {
    for (const route of index.gatewayApiRoutes()) {
      list(route.spec.parentRefs).forEach((ref, i) => {
        const parent = gatewayParent(ref, route.namespace);
        if (!parent) return;
        const gateway = index.gatewayApiGateway(parent.namespace, parent.name);
        const problem = gateway ? parentProblem(index, route, ref, gateway) : { problem: 'missing' as const };
        if (problem) report(route, msg.routeGatewayNotFound(`${parent.namespace}/${parent.name}`, problem), `spec.parentRefs[${i}].name`);
      });
    }
  },
};
