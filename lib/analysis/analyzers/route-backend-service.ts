import { Analyzer, Report } from '../analyzer';
import {
  GatewayApiReference, GatewayApiRouteFilter, GatewayApiRouteSpec, MeshIndex, ReferenceGrantSpec, Resource, TypedResource, list,
} from '../mesh-index';
import { RouteServiceProblem, msg } from '../message-constructors';
import { GATEWAY_API_GROUP } from './gateway-api';

/** A reference of a route to check, with its field and whether it needs a ReferenceGrant to cross namespaces. */
interface ServiceReference {
  readonly ref: GatewayApiReference;
  readonly field: string;
  readonly needsGrant: boolean;
}

/**
 * The Service references of a route: parentRefs of kind Service (mesh routes attach to a Service
 * of any namespace without a grant), backendRefs and mirror backendRefs (whose group and kind
 * default to the core Service).
 */
function serviceReferences(route: TypedResource<GatewayApiRouteSpec>): ServiceReference[] {
  const out: ServiceReference[] = [];
  list(route.spec.parentRefs).forEach((ref, i) => {
    if (ref.group === '' && ref.kind === 'Service') out.push({ ref, field: `spec.parentRefs[${i}].name`, needsGrant: false });
  });
  const mirrors = (filters: readonly GatewayApiRouteFilter[] | undefined, at: string) => list(filters).forEach((f, j) => {
    const ref = f.requestMirror?.backendRef;
    if (ref) out.push({ ref, field: `${at}.filters[${j}].requestMirror.backendRef.name`, needsGrant: true });
  });
  list(route.spec.rules).forEach((rule, k) => {
    list(rule.backendRefs).forEach((ref, i) => {
      out.push({ ref, field: `spec.rules[${k}].backendRefs[${i}].name`, needsGrant: true });
      mirrors(ref.filters, `spec.rules[${k}].backendRefs[${i}]`);
    });
    mirrors(rule.filters, `spec.rules[${k}]`);
  });
  return out.filter(r => (r.ref.group ?? '') === '' && (r.ref.kind ?? 'Service') === 'Service' && typeof r.ref.name === 'string');
}

/** Whether a grant lets routes of `route`'s kind and namespace refer to the Service `name` of the grant's namespace. */
function grants(grant: TypedResource<ReferenceGrantSpec>, route: Resource, name: string): boolean {
  return list(grant.spec.from).some(f => f.group === GATEWAY_API_GROUP && f.kind === route.kind && f.namespace === route.namespace)
    && list(grant.spec.to).some(t => (t.group ?? '') === '' && t.kind === 'Service' && (t.name === undefined || t.name === name));
}

/** Why `reference` names no Service `route` may use, or undefined when it names one. */
function problemOf(
  index: MeshIndex, grantsByNamespace: ReadonlyMap<string, readonly TypedResource<ReferenceGrantSpec>[]>, route: Resource,
  reference: ServiceReference,
): RouteServiceProblem | undefined {
  const name = reference.ref.name!;
  if (name.includes('.')) return { problem: 'host-name', name };
  const namespace = reference.ref.namespace || route.namespace;
  const service = `${namespace}/${name}`;
  if (!index.service(`${name}.${namespace}.svc.cluster.local`)) return { problem: 'missing', service };
  if (!reference.needsGrant || namespace === route.namespace) return undefined;
  if ((grantsByNamespace.get(namespace) ?? []).some(g => grants(g, route, name))) return undefined;
  return { problem: 'not-granted', service, kind: route.kind, from: route.namespace };
}

/**
 * KIA1402: a Gateway API route (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute) refers to a Service —
 * a backendRef, a mirror's backendRef, or a parentRef of a mesh route — by a host rather than its
 * name, or to a Service that is not in the manifests, or to one in another namespace that no
 * ReferenceGrant there opens to the route (a backend's; a mesh route may attach to a Service of
 * another namespace without one). The grants are indexed by namespace once.
 */
export const routeBackendService: Analyzer = {
  name: 'route-backend-service',
  codes: ['KIA1402'],
  analyze(index: MeshIndex, report: Report) {
    const grantsByNamespace = new Map<string, TypedResource<ReferenceGrantSpec>[]>();
    for (const grant of index.referenceGrants()) {
      grantsByNamespace.set(grant.namespace, [...grantsByNamespace.get(grant.namespace) ?? [], grant]);
    }
    for (const route of index.gatewayApiRoutes()) {
      for (const reference of serviceReferences(route)) {
        const problem = problemOf(index, grantsByNamespace, route, reference);
        if (problem) report(route, msg.routeServiceNotFound(problem), reference.field);
      }
    }
  },
};
