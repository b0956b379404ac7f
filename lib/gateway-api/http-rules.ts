import { IConstruct } from 'constructs';
import { ResolvedBackend, resolveBackend } from './backend-ref';
import * as GA from '../../imports/gateway.networking.k8s.io';
import type * as Istio from '../../imports/networking.istio.io';
import { gatewayApiDuration } from '../core/duration';
import { MeshConfigError } from '../core/errors';
import type { Destination } from '../mesh/destination';
import { renderHeaderRules } from '../mesh/header-rules';
import type { HttpRoute } from '../mesh/virtual-service';

/** The way out named by every refusal: the route keeps its classic rendering. */
export const CLASSIC_WAY_OUT = 'or keep this VirtualService in classic mode (routingApi: RoutingApi.CLASSIC)';

/** A backend a rule references, with where in the route it is (for ReferenceGrants and errors). */
export interface RuleBackend extends ResolvedBackend {
  /** The route field that names it. */
  readonly field: string;
}

/** Throws the refusal of a feature the Gateway API has no equivalent for. */
function refuse(scope: IConstruct, field: string, feature: string, fix: string): never {
  throw new MeshConfigError(scope, field, `${feature} has no Gateway API equivalent, so this route cannot render as an HTTPRoute`,
    `${fix}, ${CLASSIC_WAY_OUT}`);
}

/**
 * Checks an HTTP route against what an HTTPRoute rule can say, throwing the refusal (feature,
 * field, way out) for the first feature without an equivalent: fault injection, retries (the
 * standard channel has none), CORS, a fractional mirror percentage, query prefix matches, ports
 * and source labels in matches, JWT claim headers, and rewrites a URLRewrite filter cannot express.
 */
export function checkHttpRoute(scope: IConstruct, field: string, route: HttpRoute): void {
  if (route.fault) refuse(scope, `${field}.fault`, 'Fault injection', 'remove the fault');
  if (route.retries) refuse(scope, `${field}.retries`, 'A retry policy (the standard channel has no HTTPRoute retries)', 'remove retries');
  if (route.corsPolicy) refuse(scope, `${field}.corsPolicy`, 'This library\'s CORS policy in Gateway API mode', 'remove corsPolicy');
  if (route.mirrorPercentage !== undefined && !Number.isInteger(route.mirrorPercentage)) {
    refuse(scope, `${field}.mirrorPercentage`, 'A fractional mirror percentage', 'use a whole percentage');
  }
  route.match?.forEach((m, i) => renderMatch(scope, `${field}.match[${i}]`, m._toIstio(scope, `${field}.match[${i}]`)));
  if (route.rewrite?.uri !== undefined) rewritePath(scope, field, route);
  if (route.redirect?.authority?.includes(':')) {
    refuse(scope, `${field}.redirect.authority`, 'A redirect authority with a port', 'redirect to a host name without a port');
  }
  for (const [i, d] of (route.to ?? []).entries()) {
    const request = d.headers?.request;
    if ([...Object.keys(request?.set ?? {}), ...Object.keys(request?.add ?? {})].some(n => n.toLowerCase() === 'host')) {
      refuse(scope, `${field}.route[${i}].headers.request`, 'Setting the authority (host) of one destination',
        'rewrite the authority of the whole route with rewrite: { authority }');
    }
  }
}

/**
 * The HTTPRoute rule of `route` as written by a route in `namespace`, and the backends it names.
 * Call {@link checkHttpRoute} first: this assumes the route has an equivalent.
 */
export function renderHttpRule(scope: IConstruct, field: string, namespace: string, route: HttpRoute): {
  readonly rule: GA.HttpRouteSpecRules; readonly backends: readonly RuleBackend[];
} {
  const backends: RuleBackend[] = [];
  const backend = (f: string, d: Destination) => {
    const resolved = resolveBackend(scope, f, namespace, d);
    backends.push({ ...resolved, field: f });
    return resolved.ref;
  };
  const filters: GA.HttpRouteSpecRulesFilters[] = headerFilters(renderHeaderRules(scope, `${field}.headers`, route.headers ?? {}, 'route'),
    GA.HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER, GA.HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER);
  if (route.redirect) {
    const r = route.redirect;
    filters.push({
      type: GA.HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
      requestRedirect: {
        scheme: r.scheme as GA.HttpRouteSpecRulesFiltersRequestRedirectScheme | undefined,
        hostname: r.authority,
        path: r.uri === undefined
          ? undefined
          : { type: GA.HttpRouteSpecRulesFiltersRequestRedirectPathType.REPLACE_FULL_PATH, replaceFullPath: r.uri },
        statusCode: (r.redirectCode ?? 301) as GA.HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
      },
    });
  }
  if (route.rewrite) {
    filters.push({
      type: GA.HttpRouteSpecRulesFiltersType.URL_REWRITE,
      urlRewrite: {
        hostname: route.rewrite.authority,
        path: route.rewrite.uri === undefined ? undefined : rewritePath(scope, field, route),
      },
    });
  }
  if (route.mirror) {
    filters.push({
      type: GA.HttpRouteSpecRulesFiltersType.REQUEST_MIRROR,
      requestMirror: { backendRef: backend(`${field}.mirror`, route.mirror), percent: route.mirrorPercentage },
    });
  }
  const backendRefs = (route.to ?? []).map((d, i): GA.HttpRouteSpecRulesBackendRefs => {
    const f = `${field}.route[${i}].destination`;
    const own: GA.HttpRouteSpecRulesBackendRefsFilters[] = headerFilters(
      d.headers && renderHeaderRules(scope, `${field}.route[${i}].headers`, d.headers, 'destination'),
      GA.HttpRouteSpecRulesBackendRefsFiltersType.REQUEST_HEADER_MODIFIER,
      GA.HttpRouteSpecRulesBackendRefsFiltersType.RESPONSE_HEADER_MODIFIER);
    return { ...backend(f, d), ...(own.length > 0 && { filters: own }) };
  });
  const matches = route.match?.map((m, i) => renderMatch(scope, `${field}.match[${i}]`, m._toIstio(scope, `${field}.match[${i}]`)));
  const rule: GA.HttpRouteSpecRules = {
    name: route.name,
    ...(matches && { matches }),
    ...(filters.length > 0 && { filters }),
    ...(backendRefs.length > 0 && { backendRefs }),
    ...(route.timeout && { timeouts: { request: gatewayApiDuration(scope, `${field}.timeout`, route.timeout) } }),
  };
  return { rule, backends };
}

/** A Gateway API header modifier (route and backend filters share its shape). */
interface HeaderModifier {
  readonly set?: { name: string; value: string }[];
  readonly add?: { name: string; value: string }[];
  readonly remove?: string[];
}

/**
 * The RequestHeaderModifier and ResponseHeaderModifier filters of Istio `headers` (none for
 * undefined); route and backend filters differ only in the enum of their `type`.
 */
function headerFilters<T extends string>(headers: Istio.VirtualServiceSpecHttpHeaders | undefined, requestType: T, responseType: T):
{ type: T; requestHeaderModifier?: HeaderModifier; responseHeaderModifier?: HeaderModifier }[] {
  const modifier = (ops: Istio.VirtualServiceSpecHttpHeadersRequest | undefined): HeaderModifier | undefined => {
    if (ops === undefined) return undefined;
    const pairs = (values: Record<string, string> | undefined) =>
      values && Object.entries(values).map(([name, value]) => ({ name, value }));
    return { set: pairs(ops.set), add: pairs(ops.add), remove: ops.remove };
  };
  const request = modifier(headers?.request);
  const response = modifier(headers?.response);
  return [
    ...request ? [{ type: requestType, requestHeaderModifier: request }] : [],
    ...response ? [{ type: responseType, responseHeaderModifier: response }] : [],
  ];
}

/** Escapes a literal for an RE2 regular expression. */
function re2Literal(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** The HTTPRoute string match of an Istio one (a prefix becomes an anchored regex, which says the same). */
function stringMatch(scope: IConstruct, field: string, m: Istio.VirtualServiceSpecHttpMatchUri): { type: string; value: string } {
  if (m.exact !== undefined) return { type: 'Exact', value: m.exact };
  if (m.regex !== undefined) return { type: 'RegularExpression', value: m.regex };
  if (m.prefix !== undefined) return { type: 'RegularExpression', value: `^${re2Literal(m.prefix)}.*` };
  throw new MeshConfigError(scope, field, 'the match names no value', 'use StringMatch.exact(), prefix() or regex()');
}

const JWT_CLAIM = '@request.auth.claims.';

/** The HTTPRoute match of an Istio HTTPMatchRequest; throws the refusal of conditions without an equivalent. */
function renderMatch(scope: IConstruct, field: string, m: Istio.VirtualServiceSpecHttpMatch): GA.HttpRouteSpecRulesMatches {
  if (m.port !== undefined) {
    refuse(scope, `${field}.port`, 'A match on the port', 'select the port with the route\'s parent (a listener or Service port) instead');
  }
  if (m.sourceLabels !== undefined) {
    refuse(scope, `${field}.sourceLabels`, 'A match on the source workload\'s labels', 'route all callers alike');
  }
  const path = m.uri && (m.uri.prefix !== undefined
    ? { type: GA.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: m.uri.prefix }
    : stringMatch(scope, `${field}.uri`, m.uri) as GA.HttpRouteSpecRulesMatchesPath);
  const headers = Object.entries(m.headers ?? {}).map(([name, match]) => {
    if (name.startsWith(JWT_CLAIM)) {
      refuse(scope, `${field}.headers.${name}`, 'Routing on a JWT claim', 'route on a header the caller sends');
    }
    return { name, ...stringMatch(scope, `${field}.headers.${name}`, match) } as GA.HttpRouteSpecRulesMatchesHeaders;
  });
  const queryParams = Object.entries(m.queryParams ?? {}).map(([name, match]) =>
    ({ name, ...stringMatch(scope, `${field}.queryParams.${name}`, match) }) as GA.HttpRouteSpecRulesMatchesQueryParams);
  const method = m.method?.exact;
  if (method !== undefined && !Object.values(GA.HttpRouteSpecRulesMatchesMethod).includes(method as GA.HttpRouteSpecRulesMatchesMethod)) {
    const methods = Object.values(GA.HttpRouteSpecRulesMatchesMethod).join(', ');
    refuse(scope, `${field}.method`, `The method "${method}" (an HTTPRoute matches ${methods})`, 'match one of those methods');
  }
  return {
    ...(path && { path }),
    ...(headers.length > 0 && { headers }),
    ...(queryParams.length > 0 && { queryParams }),
    ...(method !== undefined && { method: method as GA.HttpRouteSpecRulesMatchesMethod }),
  };
}

/**
 * The URLRewrite path of Istio's `rewrite.uri`, which replaces the matched prefix (or the whole
 * path of an exact match): ReplacePrefixMatch when every match is a path prefix, ReplaceFullPath
 * when every match is an exact path; refused otherwise (a regex rewrite, or matches of both kinds).
 */
function rewritePath(scope: IConstruct, routeField: string, route: HttpRoute): GA.HttpRouteSpecRulesFiltersUrlRewritePath {
  const field = `${routeField}.rewrite.uri`;
  const uris = (route.match ?? []).map((m, i) => m._toIstio(scope, `${routeField}.match[${i}]`).uri);
  const uri = route.rewrite!.uri!;
  if (uris.length > 0 && uris.every(u => u?.prefix !== undefined)) {
    return { type: GA.HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, replacePrefixMatch: uri };
  }
  if (uris.length > 0 && uris.every(u => u?.exact !== undefined)) {
    return { type: GA.HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_FULL_PATH, replaceFullPath: uri };
  }
  return refuse(scope, field, 'A URI rewrite of a route whose matches are not all path prefixes or all exact paths (a regex rewrite)',
    'match the paths to rewrite with HttpMatch.prefix() (or all with HttpMatch.exact())');
}
