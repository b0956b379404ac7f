import { Analyzer } from '../analyzer';
import { GatewayApiReference, GatewayApiRouteSpec, TypedResource, list, strings } from '../mesh-index';
import { msg } from '../message-constructors';

/** The route kinds whose rules carry request matches. */
const MATCHING_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);

/** A header or query parameter condition of a match, as the key compares it. */
interface NamedCondition {
  readonly name?: string;
  readonly type?: string;
  readonly value?: string;
}

/** The fields of an HTTPRoute or GRPCRoute match the key reads. */
interface RouteMatch {
  readonly path?: { readonly type?: string; readonly value?: string };
  readonly method?: unknown;
  readonly headers?: readonly NamedCondition[];
  readonly queryParams?: readonly NamedCondition[];
}

/** Where a rule's match was first seen. */
interface Claim {
  readonly route: TypedResource<GatewayApiRouteSpec>;
  readonly rule: number;
}

/**
 * CDK0009: two Gateway API routes of a kind (HTTPRoute or GRPCRoute) attach to the same parent
 * (as their parentRefs write it: a Gateway, its listener or port, or a Service for a mesh route)
 * and have rules with the same match for the same hostname. The Gateway API merges the routes of a
 * parent, and such a request goes to the older route's rule (by creation time, then namespace and
 * name), so the other rule never applies — where two VirtualServices of one host fail IST0109.
 * A rule without matches matches every request (an HTTPRoute's default is the path prefix `/`);
 * header names compare in any case; hostnames compare as written (a mesh route's are ignored, as
 * Istio ignores them). Reported on the route that comes later by namespace and name, once per rule.
 */
export const shadowedRouteRules: Analyzer = {
  name: 'shadowed-route-rules',
  codes: ['CDK0009'],
  analyze(index, report) {
    const routes = index.gatewayApiRoutes().filter(r => MATCHING_KINDS.has(r.kind))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    const claims = new Map<string, Claim>();
    for (const route of routes) {
      const hostnames = strings((route.spec as { hostnames?: unknown }).hostnames);
      list(route.spec.rules).forEach((rule, i) => {
        const matches = list((rule as { matches?: readonly RouteMatch[] }).matches);
        const keys = (matches.length > 0 ? matches : [{}]).map(m => matchKey(route.kind, m));
        const shadow = list(route.spec.parentRefs).flatMap(ref => {
          const [parent, name] = [parentKey(ref, route.namespace), parentName(ref, route.namespace)];
          const hosts = isServiceParent(ref) || hostnames.length === 0 ? ['*'] : hostnames;
          return hosts.flatMap(host => keys.map(key => ({ key: `${route.kind}|${parent}|${host}|${key}`, parent: name })));
        });
        const taken = shadow.map(s => ({ ...s, claim: claims.get(s.key) })).find(s => s.claim !== undefined && s.claim.route !== route);
        for (const s of shadow) if (!claims.has(s.key)) claims.set(s.key, { route, rule: i });
        if (taken?.claim) {
          report(route, msg.routeRuleShadowed(route.kind, i, `${taken.claim.route.namespace}/${taken.claim.route.name}`, taken.claim.rule,
            taken.parent), `spec.rules[${i}]`);
        }
      });
    }
  },
};

/** A parentRef as written, with the defaults filled in: group, kind, namespace, name, section and port. */
function parentKey(ref: GatewayApiReference, namespace: string): string {
  return [ref.group ?? 'gateway.networking.k8s.io', ref.kind ?? 'Gateway', ref.namespace || namespace, ref.name, ref.sectionName ?? '',
    ref.port ?? ''].join('|');
}

/** A parentRef as a message names it: `Gateway shop/gw`, `Service shop/reviews`. */
function parentName(ref: GatewayApiReference, namespace: string): string {
  return `${ref.kind ?? 'Gateway'} ${ref.namespace || namespace}/${ref.name}${ref.sectionName ? ` (listener ${ref.sectionName})` : ''}`;
}

function isServiceParent(ref: GatewayApiReference): boolean {
  return (ref.group ?? 'gateway.networking.k8s.io') === '' && ref.kind === 'Service';
}

/** A match in a canonical form: defaults filled in (HTTPRoute: path prefix `/`), conditions sorted, header names in lower case. */
function matchKey(kind: string, match: RouteMatch): string {
  const conditions = (given: readonly NamedCondition[] | undefined, fold: boolean) => (given ?? [])
    .map(c => [fold ? String(c.name).toLowerCase() : String(c.name), c.type ?? 'Exact', String(c.value)].join('='))
    .sort();
  const path = kind === 'HTTPRoute' ? `${match.path?.type ?? 'PathPrefix'}:${match.path?.value ?? '/'}` : '';
  return JSON.stringify([path, match.method ?? null, conditions(match.headers, true), conditions(match.queryParams, false)]);
}
