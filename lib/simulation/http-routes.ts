import { re2 } from './string-match';
import type { ResourceName } from './types';
import type * as GA from '../../imports/gateway.networking.k8s.io';
import { Doc, hostMatches } from '../analysis/mesh-index';

/** The parent a simulated request reaches HTTPRoutes through: a Gateway (ingress) or a Service (mesh, GAMMA). */
export interface HttpRouteParent {
  /** `Gateway` (gateway.networking.k8s.io) or `Service` (core). */
  readonly kind: 'Gateway' | 'Service';
  /** Its namespace. */
  readonly namespace: string;
  /** Its name. */
  readonly name: string;
}

/** A request to simulate against HTTPRoutes. */
export interface HttpRouteRequest {
  /** Where it arrives. */
  readonly parent: HttpRouteParent;
  /**
   * The Host header (matched against route hostnames of Gateway parents).
   * @default any host
   */
  readonly host?: string;
  /**
   * The path, with an optional query string.
   * @default '/'
   */
  readonly path?: string;
  /**
   * The method.
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * Headers; names are case-insensitive.
   * @default none
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One backend of the matched rule, with its share of the requests. */
export interface HttpRouteBackend {
  /** The Service. */
  readonly service: ResourceName;
  /** The port, when the backendRef names one. */
  readonly port?: number;
  /** The weight (1 when unset). */
  readonly weight: number;
  /** The percentage of the requests it receives. */
  readonly percent: number;
  /** The Service's selector, when the documents hold the Service (a version Service selects `version`). */
  readonly selector?: Readonly<Record<string, string>>;
}

/** Where a request goes by the HTTPRoutes. */
export interface HttpRouteSimulation {
  /** `route` to backends, `redirect` by a RequestRedirect filter, `no-route` when no rule matches. */
  readonly outcome: 'route' | 'redirect' | 'no-route';
  /** The HTTPRoute whose rule matched. */
  readonly route?: ResourceName;
  /** The index of that rule in `spec.rules`. */
  readonly ruleIndex?: number;
  /** The backends, with their shares. */
  readonly backends: readonly HttpRouteBackend[];
  /** The redirect, when a rule redirects. */
  readonly redirect?: GA.HttpRouteSpecRulesFiltersRequestRedirect;
}

type Route = { readonly doc: Doc; readonly namespace: string; readonly spec: GA.HttpRouteSpec };
type Candidate = { readonly route: Route; readonly ruleIndex: number; readonly match: GA.HttpRouteSpecRulesMatches };

const HTTP_ROUTE_API = 'gateway.networking.k8s.io/';

/**
 * Simulates a request against the HTTPRoutes of `docs` with the Gateway API's semantics: the routes
 * attached to the parent (and, for a Gateway, whose hostnames take the host), every match of every
 * rule (a rule without matches matches every path), the most specific match winning — an exact path
 * over a prefix, the longer prefix, then a method, more header matches, more query matches; then
 * the route's namespace/name and the rule's order. PathPrefix matches whole path elements.
 */
export function simulateHttpRoutes(docs: readonly Doc[], request: HttpRouteRequest): HttpRouteSimulation {
  const [pathOnly, queryString] = (request.path ?? '/').split('?', 2);
  const query = new URLSearchParams(queryString ?? '');
  const method = (request.method ?? 'GET').toUpperCase();
  const headers = new Map(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const routes: Route[] = docs
    .filter(d => d.kind === 'HTTPRoute' && typeof d.apiVersion === 'string' && d.apiVersion.startsWith(HTTP_ROUTE_API))
    .map(d => ({ doc: d, namespace: d.metadata?.namespace ?? 'default', spec: (d.spec ?? {}) as GA.HttpRouteSpec }))
    .filter(r => attached(r, request));
  const candidates: Candidate[] = routes.flatMap(route => (route.spec.rules ?? []).flatMap((rule, ruleIndex) =>
    (rule.matches?.length ? rule.matches : [{}]).map(match => ({ route, ruleIndex, match }))))
    .filter(c => matches(c.match, pathOnly, method, headers, query));
  candidates.sort(bySpecificity);
  const winner = candidates[0];
  if (winner === undefined) return { outcome: 'no-route', backends: [] };
  const rule = winner.route.spec.rules![winner.ruleIndex];
  const route = { namespace: winner.route.namespace, name: winner.route.doc.metadata?.name ?? '' };
  const redirect = rule.filters?.find(f => f.requestRedirect !== undefined)?.requestRedirect;
  if (redirect) return { outcome: 'redirect', route, ruleIndex: winner.ruleIndex, backends: [], redirect };
  const refs = rule.backendRefs ?? [];
  const total = refs.reduce((sum, b) => sum + (b.weight ?? 1), 0);
  const backends = refs.map((b): HttpRouteBackend => {
    const namespace = b.namespace ?? winner.route.namespace;
    const service = docs.find(d => d.kind === 'Service' && d.apiVersion === 'v1' && d.metadata?.name === b.name
      && (d.metadata?.namespace ?? 'default') === namespace);
    const weight = b.weight ?? 1;
    return {
      service: { namespace, name: b.name },
      ...(b.port !== undefined && { port: b.port }),
      weight,
      percent: total === 0 ? 0 : (100 * weight) / total,
      ...(service?.spec?.selector && { selector: service.spec.selector }),
    };
  });
  return { outcome: 'route', route, ruleIndex: winner.ruleIndex, backends };
}

/** Whether a route attaches to the request's parent (and takes its host, for a Gateway). */
function attached(route: Route, request: HttpRouteRequest): boolean {
  const p = request.parent;
  const refs = route.spec.parentRefs ?? [];
  const to = refs.some(ref => {
    const kind = ref.kind ?? 'Gateway';
    const group = ref.group ?? 'gateway.networking.k8s.io';
    const sameKind = p.kind === 'Gateway'
      ? kind === 'Gateway' && group === 'gateway.networking.k8s.io'
      : kind === 'Service' && group === '';
    return sameKind && ref.name === p.name && (ref.namespace ?? route.namespace) === p.namespace;
  });
  if (!to) return false;
  const hostnames = route.spec.hostnames ?? [];
  if (p.kind === 'Service' || hostnames.length === 0 || request.host === undefined) return true;
  const host = request.host.replace(/:\d+$/, '');
  return hostnames.some(h => hostMatches(h, host));
}

/** Whether a PathPrefix value matches a path element by element. */
function prefixMatches(prefix: string, path: string): boolean {
  const p = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return p === '/' || path === p || path.startsWith(`${p}/`);
}

/** Whether a Gateway API string match (Exact or RegularExpression) holds for `value`. */
function valueMatches(type: string | undefined, expected: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (type === 'RegularExpression') return re2(expected)?.matches(value) ?? false;
  return value === expected;
}

function matches(m: GA.HttpRouteSpecRulesMatches, path: string, method: string, headers: Map<string, string>,
  query: URLSearchParams): boolean {
  const p = m.path ?? { type: 'PathPrefix', value: '/' };
  const value = p.value ?? '/';
  const pathOk = p.type === 'Exact' ? path === value
    : p.type === 'RegularExpression' ? valueMatches('RegularExpression', value, path)
      : prefixMatches(value, path);
  return pathOk
    && (m.method === undefined || m.method === method)
    && (m.headers ?? []).every(h => valueMatches(h.type, h.value, headers.get(h.name.toLowerCase())))
    && (m.queryParams ?? []).every(q => valueMatches(q.type, q.value, query.get(q.name) ?? undefined));
}

/** The Gateway API's precedence between matching rules (most specific first). */
function bySpecificity(a: Candidate, b: Candidate): number {
  const rank = (c: Candidate) => {
    const p = c.match.path ?? { type: 'PathPrefix', value: '/' };
    return [p.type === 'Exact' ? 1 : 0, p.type === 'PathPrefix' || p.type === undefined ? (p.value ?? '/').length : 0,
      c.match.method ? 1 : 0, c.match.headers?.length ?? 0, c.match.queryParams?.length ?? 0];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i] - x[i];
  const name = (c: Candidate) => `${c.route.namespace}/${c.route.doc.metadata?.name ?? ''}`;
  return name(a).localeCompare(name(b)) || a.ruleIndex - b.ruleIndex;
}
