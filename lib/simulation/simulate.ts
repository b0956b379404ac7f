import { prefixOf, regexRewrite, stringMatches } from './string-match';
import {
  MatchedRule, RequestSource, ResourceName, RoutedDestination, RoutedMirror, Simulation, SimulationRequest,
} from './types';
import type * as networking from '../../imports/networking.istio.io';
import { AuthorizationVerdict, INGRESS_GATEWAY_CALLER, authorizeRequest } from '../analysis/access-matrix';
import { KINDS } from '../analysis/group-kinds';
import {
  AnalysisInput, Doc, MeshIndex, TypedResource, gatewayReference, hostMatches, list, selects, strings, visibleFrom,
} from '../analysis/mesh-index';
import { Labels, ServiceSpec } from '../analysis/spec-types';
import { qualifyHost } from '../core/hosts';

type VirtualService = TypedResource<networking.VirtualServiceSpec>;
type HttpRule = networking.VirtualServiceSpecHttp;
type HttpMatch = networking.VirtualServiceSpecHttpMatch;

/** The request with its defaults applied and its parts split. */
interface NormalizedRequest {
  /** The authority as sent (for `authority` matches). */
  readonly authority: string;
  /** The host part of the authority, lower case. */
  readonly host: string;
  /** The port of the authority, when it has one. */
  readonly authorityPort?: number;
  readonly port?: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly queryString: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly scheme: string;
}

/** The source of a request, resolved against the documents. */
interface Source {
  readonly kind: 'gateway' | 'sidecar' | 'any';
  /** The gateway, `<namespace>/<name>`. */
  readonly gateway?: string;
  /** The Gateway resource, when the documents hold it. */
  readonly gatewayResource?: TypedResource<networking.GatewaySpec>;
  /** The namespace of the calling pods, when known. */
  readonly namespace?: string;
  /** Their labels, when known. */
  readonly labels?: Labels;
  /** Their ServiceAccount, when known. */
  readonly serviceAccount?: string;
}

/** What a rule's matches are evaluated against. */
interface MatchContext {
  readonly request: NormalizedRequest;
  readonly source: Source;
  readonly port?: number;
}

/** A rule that matched, and where. */
interface RuleHit {
  readonly vs: VirtualService;
  readonly rule: HttpRule;
  readonly matched: MatchedRule;
  readonly match?: HttpMatch;
}

/** Matching 'mesh' (sidecars) in a list of gateways. */
const MESH = 'mesh';

/**
 * Simulates HTTP requests against a set of documents the way Istio's proxies route them: the
 * VirtualServices bound to the request's gateway or to the mesh, whose hosts match its authority
 * (short names resolve in the namespace, `*.example.com` matches its subdomains, the most specific
 * host wins; `exportTo` is honoured), their rules in order and each rule's matches in order (uri,
 * scheme, method, authority, headers with case-insensitive names, withoutHeaders, queryParams,
 * port, sourceLabels, sourceNamespace, gateways; exact, prefix or RE2 regex), delegate
 * VirtualServices, then what the matched rule does. The index is built once; simulating a request
 * costs a pass over the VirtualServices.
 */
export class RouteSimulator {
  private readonly index: MeshIndex;
  private readonly docs: readonly Doc[];

  /** @param inputs the documents, applied in order (a later object replaces an earlier one of the same identity) */
  constructor(inputs: readonly AnalysisInput[]) {
    this.index = MeshIndex.ofLatest(inputs);
    this.docs = this.index.resources.map(r => r.doc);
  }

  /** What happens to `request`. */
  public simulate(request: SimulationRequest): Simulation {
    const req = normalize(request);
    const source = this.resolveSource(request.from);
    const group = this.candidates(req, source);
    if (group.length === 0) return this.withoutVirtualService(req, source, { request: publicRequest(req), destinations: [], mirrors: [] });
    const port = req.port ?? req.authorityPort ?? this.defaultPort(req, source, group[0]);
    const base = { request: publicRequest(req, port), destinations: [], mirrors: [] };
    const context: MatchContext = { request: req, source, port };
    if (this.httpsRedirect(source, req.host, port)) {
      const location = `https://${req.host}${req.path}${req.queryString}`;
      const reason = `the server of gateway ${source.gateway} on port ${port} redirects HTTP to HTTPS (tls.httpsRedirect)`;
      return { ...base, outcome: 'redirect', reason, response: { status: 301, location } };
    }
    for (const vs of group) {
      const hit = firstRule(vs, context, false);
      if (!hit) continue;
      const delegate = hit.rule.delegate;
      if (!isObject(delegate)) return this.outcome(hit, undefined, context, base);
      const delegatedTo = { namespace: delegate.namespace ?? vs.namespace, name: String(delegate.name) };
      const delegateVs = this.delegateOf(delegatedTo);
      if (!delegateVs) {
        return {
          ...base,
          outcome: 'no-route',
          rule: hit.matched,
          delegatedTo,
          reason: `the matched rule delegates to VirtualService ${delegatedTo.namespace}/${delegatedTo.name}, `
            + 'which the documents do not hold',
        };
      }
      const leaf = firstRule(delegateVs, context, true);
      if (!leaf) {
        return {
          ...base,
          outcome: 'no-route',
          rule: hit.matched,
          delegatedTo,
          reason: `no rule of the delegate VirtualService ${delegatedTo.namespace}/${delegatedTo.name} matches the request`,
        };
      }
      return this.outcome(leaf, hit, context, { ...base, delegatedTo });
    }
    const names = group.map(vs => `${vs.namespace}/${vs.name}`).join(', ');
    return { ...base, outcome: 'no-route', reason: `no rule of VirtualService ${names} matches the request` };
  }

  /** The VirtualServices that decide for the request: bound to its source, with the most specific host matching its authority. */
  private candidates(req: NormalizedRequest, source: Source): VirtualService[] {
    let best = -1;
    let group: VirtualService[] = [];
    for (const vs of this.index.virtualServices()) {
      const hosts = strings(vs.spec.hosts);
      if (hosts.length === 0 || !appliesTo(vs, source)) continue;
      const clientNamespace = source.namespace ?? vs.namespace;
      // A gateway sees what is exported to its pods' namespace (the Gateway's, when the pods are not known).
      const seenFrom = source.kind === 'gateway' ? source.namespace ?? source.gatewayResource?.namespace ?? vs.namespace : clientNamespace;
      if (!visibleFrom(vs, seenFrom)) continue;
      const authority = source.kind === 'gateway' ? req.host : this.expand(req.host, clientNamespace);
      const score = Math.max(...hosts.map(h => specificity(qualifyHost(h.toLowerCase(), vs.namespace), authority)));
      if (score < 0 || (source.kind === 'gateway' && !this.gatewayServes(source, vs, req))) continue;
      if (score > best) {
        best = score;
        group = [vs];
      } else if (score === best) {
        group.push(vs);
      }
    }
    // Sidecars use one VirtualService per host (IST0109 reports the others); gateways merge them in order.
    return source.kind === 'sidecar' ? group.slice(0, 1) : group;
  }

  /** Whether the request's gateway has a server on the request's port for the host, open to the VirtualService's namespace. */
  private gatewayServes(source: Source, vs: VirtualService, req: NormalizedRequest): boolean {
    const gateway = source.gatewayResource;
    if (!gateway) return true;
    const port = req.port ?? req.authorityPort;
    return list(gateway.spec.servers).some(server => (port === undefined || server?.port?.number === port)
      && strings(server.hosts).some(entry => {
        const [ns, host] = entry.includes('/') ? gatewayReference(entry, '*') : ['*', entry];
        const open = ns === '*' || ns === vs.namespace || (ns === '.' && gateway.namespace === vs.namespace);
        return open && (hostMatches(host.toLowerCase(), req.host) || hostMatches(req.host, host.toLowerCase()));
      }));
  }

  /** Whether the gateway's server for the host on the port answers every request with a redirect to HTTPS. */
  private httpsRedirect(source: Source, host: string, port: number | undefined): boolean {
    return list(source.gatewayResource?.spec.servers).some(s => s?.port?.number === port && s.tls?.httpsRedirect === true
      && strings(s.hosts).some(entry => hostMatches((entry.split('/').pop() ?? '').toLowerCase(), host)));
  }

  /** The port a request without one goes to: the gateway server's for the host, or the host's only port. */
  private defaultPort(req: NormalizedRequest, source: Source, vs: VirtualService): number | undefined {
    if (source.kind === 'gateway') {
      const server = list(source.gatewayResource?.spec.servers)
        .find(s => strings(s?.hosts).some(entry => hostMatches((entry.split('/').pop() ?? '').toLowerCase(), req.host)));
      return server?.port?.number;
    }
    const fqdn = this.expand(req.host, source.namespace ?? vs.namespace);
    const ports = this.index.hostPorts(fqdn, source.namespace ?? vs.namespace);
    return ports?.length === 1 ? ports[0] : undefined;
  }

  /**
   * The fully qualified host a sidecar in `namespace` resolves `host` to: `reviews` and
   * `reviews.bookinfo` (a namespace of the documents) to `reviews.bookinfo.svc.cluster.local`,
   * `reviews.bookinfo.svc` likewise; anything else as written.
   */
  private expand(host: string, namespace: string): string {
    if (!host.includes('.')) return qualifyHost(host, namespace);
    if (host.endsWith('.svc')) return `${host}.cluster.local`;
    const parts = host.split('.');
    return parts.length === 2 && this.index.namespaces.has(parts[1]) ? `${host}.svc.cluster.local` : host;
  }

  private resolveSource(from: RequestSource | undefined): Source {
    if (from?.gateway !== undefined) {
      const [ns, name] = gatewayReference(from.gateway, 'default');
      const gatewayResource = this.index.gateway(name, ns);
      const selector: Labels = gatewayResource?.spec.selector ?? {};
      const pods = Object.keys(selector).length > 0 ? this.index.selectedWorkloadsAnywhere(selector) : [];
      const defaultIngress = selects(selector, INGRESS_GATEWAY_CALLER.podLabels[0]) && Object.keys(selector).length > 0;
      const namespace = from.namespace ?? pods[0]?.resource.namespace ?? (defaultIngress ? INGRESS_GATEWAY_CALLER.namespace : undefined);
      const serviceAccount = from.serviceAccount ?? pods[0]?.podSpec.serviceAccountName
        ?? (defaultIngress && pods.length === 0 ? INGRESS_GATEWAY_CALLER.serviceAccount : undefined);
      return {
        kind: 'gateway',
        gateway: `${ns}/${name}`,
        gatewayResource,
        namespace,
        serviceAccount,
        labels: from.labels ?? pods[0]?.labels ?? (gatewayResource ? selector : undefined),
      };
    }
    if (from?.namespace !== undefined) {
      const pods = from.labels ? this.index.selectedWorkloads(from.namespace, from.labels) : [];
      const serviceAccount = from.serviceAccount ?? (pods.length > 0 ? pods[0].podSpec.serviceAccountName ?? 'default' : undefined);
      return { kind: 'sidecar', namespace: from.namespace, labels: from.labels, serviceAccount };
    }
    return { kind: 'any', labels: from?.labels, serviceAccount: from?.serviceAccount };
  }

  private delegateOf(delegate: ResourceName): VirtualService | undefined {
    const found = this.index.find(KINDS.VirtualService, delegate.namespace, delegate.name);
    return found && this.index.virtualServices().includes(found as VirtualService) ? found as VirtualService : undefined;
  }

  /** No VirtualService decides: a sidecar sends the request to the host's Service as it is; a gateway has no route. */
  private withoutVirtualService(req: NormalizedRequest, source: Source, base: Omit<Simulation, 'outcome' | 'reason'>): Simulation {
    const where = source.kind === 'gateway' ? `gateway ${source.gateway}`
      : source.kind === 'sidecar' ? `the mesh (from ${source.namespace})` : 'any gateway or the mesh';
    const none = `no VirtualService bound to ${where} serves host "${req.host}"`;
    if (source.kind === 'gateway') return { ...base, outcome: 'no-route', reason: none };
    const namespace = source.namespace ?? 'default';
    const fqdn = this.expand(req.host, namespace);
    if (!this.index.hostKnown(fqdn, namespace)) {
      return { ...base, outcome: 'no-route', reason: `${none}, and the host is not in the service registry` };
    }
    const port = req.port ?? req.authorityPort;
    const context: MatchContext = { request: req, source, port };
    const destination = this.destination({ destination: { host: fqdn, ...(port !== undefined && { port: { number: port } }) } },
      namespace, 100, context, req.path, req.host);
    return { ...base, outcome: 'default', reason: `${none}: the request goes to ${fqdn} as it is`, destinations: [destination] };
  }

  /** The simulation of a matched rule (`hit`, reached through `root` when delegated). */
  private outcome(
    hit: RuleHit, root: RuleHit | undefined, context: MatchContext, base: Omit<Simulation, 'outcome' | 'reason'>,
  ): Simulation {
    const { rule, vs } = hit;
    const req = context.request;
    const decided = root ? { rule: root.matched, delegate: hit.matched } : { rule: hit.matched };
    const common = {
      ...base,
      ...decided,
      ...(isObject(rule.headers) && { headers: rule.headers }),
      ...(isObject(rule.fault) && { fault: rule.fault }),
      ...(typeof rule.timeout === 'string' && { timeout: rule.timeout }),
      ...(isObject(rule.retries) && { retries: rule.retries }),
      ...(isObject(rule.corsPolicy) && { corsPolicy: rule.corsPolicy }),
    };
    const where = `rule ${hit.matched.ruleIndex} of VirtualService ${vs.namespace}/${vs.name}`;
    if (isObject(rule.redirect)) {
      const redirect = rule.redirect;
      const port = typeof redirect.port === 'number' ? redirect.port
        : redirect.derivePort === 'FROM_REQUEST_PORT' ? context.port : redirect.authority === undefined ? req.authorityPort : undefined;
      const location = `${redirect.scheme ?? req.scheme}://${redirect.authority ?? req.host}${port === undefined ? '' : `:${port}`}`
        + `${redirect.uri ?? req.path}${req.queryString}`;
      const status = typeof redirect.redirectCode === 'number' ? redirect.redirectCode : 301;
      return { ...common, outcome: 'redirect', reason: `${where} redirects (${status})`, redirect, response: { status, location } };
    }
    if (isObject(rule.directResponse)) {
      const reason = `${where} answers ${rule.directResponse.status}`;
      const status = Number(rule.directResponse.status);
      return { ...common, outcome: 'direct-response', reason, directResponse: rule.directResponse, response: { status } };
    }
    const routes = list(rule.route).filter(isObject);
    if (routes.length === 0) return { ...common, outcome: 'no-route', reason: `${where} has no route, redirect or direct response` };
    const { path, host, rewrite } = rewritten(rule, hit.match ?? root?.match, req);
    const weights = routes.map(r => (typeof r.weight === 'number' ? r.weight : 0));
    const total = weights.reduce((a, b) => a + b, 0);
    const percent = (i: number) => (routes.length === 1 ? 100 : total === 0 ? 100 / routes.length : (weights[i] * 100) / total);
    const clientNamespace = context.source.namespace ?? vs.namespace;
    const destinations = routes.map((r, i) => this.destination(r, vs.namespace, round(percent(i)), context, path, host, clientNamespace));
    return {
      ...common,
      outcome: 'route',
      reason: `${where} routes it`,
      destinations,
      mirrors: mirrorsOf(rule, vs.namespace),
      ...(rewrite && { rewrite }),
      forwarded: { path, host },
    };
  }

  /** One destination, resolved: its FQDN, subset labels, Service, what would fail, and its authorization. */
  private destination(
    route: networking.VirtualServiceSpecHttpRoute, namespace: string, percent: number, context: MatchContext,
    path: string, host: string, clientNamespace = namespace,
  ): RoutedDestination {
    const d = isObject(route.destination) ? route.destination : { host: '' };
    const written = String(d.host ?? '');
    const fqdn = qualifyHost(written.toLowerCase(), namespace);
    const port = typeof d.port?.number === 'number' ? d.port.number : undefined;
    const service = this.index.service(fqdn);
    let subsetLabels: Labels | undefined;
    let problem: string | undefined;
    if (typeof d.subset === 'string') {
      const rule = this.index.destinationRulesFor(fqdn, clientNamespace)[0];
      const subset = list(rule?.spec.subsets).find(s => s?.name === d.subset);
      if (subset) {subsetLabels = subset.labels ?? {};} else {
        problem = rule
          ? `DestinationRule ${rule.namespace}/${rule.name} defines no subset "${d.subset}": Istio answers 503`
          : `no DestinationRule for ${fqdn} defines subset "${d.subset}": Istio answers 503`;
      }
    }
    const authorization = service && !problem ? this.authorize(service, subsetLabels, port, context, path, host) : undefined;
    return {
      host: written,
      fqdn,
      ...(typeof d.subset === 'string' && { subset: d.subset }),
      ...(port !== undefined && { port }),
      ...(typeof route.weight === 'number' && { weight: route.weight }),
      percent,
      ...(subsetLabels && { subsetLabels }),
      ...(service && { service: { namespace: service.namespace, name: service.name } }),
      ...(isObject(route.headers) && { headers: route.headers }),
      ...(problem && { problem }),
      ...(authorization && { authorization }),
    };
  }

  /** What the AuthorizationPolicies of the pods behind a Service (and subset) decide for the request. */
  private authorize(
    service: TypedResource<ServiceSpec>, subsetLabels: Labels | undefined, port: number | undefined, context: MatchContext,
    path: string, host: string,
  ): AuthorizationVerdict | undefined {
    const selector = { ...service.spec.selector ?? {}, ...subsetLabels ?? {} };
    if (Object.keys(service.spec.selector ?? {}).length === 0) return undefined;
    const pods = this.index.selectedWorkloads(service.namespace, selector);
    if (pods.length === 0) return undefined;
    const ports = list(service.spec.ports);
    const servicePort = ports.find(p => p.port === port) ?? (ports.length === 1 ? ports[0] : undefined);
    const targetPort = typeof servicePort?.targetPort === 'number' ? servicePort.targetPort : servicePort?.port;
    const { source, request } = context;
    const caller = source.namespace !== undefined && source.serviceAccount !== undefined
      ? { namespace: source.namespace, serviceAccount: source.serviceAccount } : undefined;
    const verdicts = pods.map(pod => authorizeRequest(this.docs, {
      caller, target: { namespace: service.namespace, podLabels: pod.labels }, method: request.method, path, port: targetPort, host,
    }));
    const decisions = new Set(verdicts.map(v => v.decision));
    if (decisions.size === 1) return verdicts[0];
    return {
      decision: 'conditional',
      policies: [...new Set(verdicts.flatMap(v => v.policies))],
      reason: `the versions behind ${service.namespace}/${service.name} decide differently: ${verdicts.map(v => v.reason).join('; ')}`,
    };
  }
}

/** The first rule of a VirtualService matching the request, with the index of the match that matched. */
function firstRule(vs: VirtualService, context: MatchContext, delegated: boolean): RuleHit | undefined {
  const bound = delegated || boundTo(gatewaysOf(vs.spec.gateways, vs.namespace), context.source);
  const rules = list(vs.spec.http);
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const rule = rules[ruleIndex];
    if (!isObject(rule)) continue;
    const matched = (matchIndex?: number): MatchedRule => ({
      virtualService: { namespace: vs.namespace, name: vs.name },
      ruleIndex,
      ...(typeof rule.name === 'string' && { ruleName: rule.name }),
      ...(matchIndex !== undefined && { matchIndex }),
    });
    const matches = list(rule.match);
    if (matches.length === 0) {
      if (bound) return { vs, rule, matched: matched() };
      continue;
    }
    const matchIndex = matches.findIndex(m => matchHolds(m, context, vs, bound));
    if (matchIndex >= 0) return { vs, rule, matched: matched(matchIndex), match: matches[matchIndex] };
  }
  return undefined;
}

/** Whether one HTTPMatchRequest matches: every condition it sets holds. */
function matchHolds(m: HttpMatch, context: MatchContext, vs: VirtualService, bound: boolean): boolean {
  if (!isObject(m)) return false;
  const { request: req, source, port } = context;
  if (m.gateways !== undefined ? !boundTo(gatewaysOf(m.gateways, vs.namespace), source) : !bound) return false;
  if (!stringMatches(m.uri, req.path, m.ignoreUriCase === true)) return false;
  if (!stringMatches(m.scheme, req.scheme) || !stringMatches(m.method, req.method)) return false;
  if (!stringMatches(m.authority, req.authority)) return false;
  const entries = (map: unknown) => (isObject(map) ? Object.entries(map) : []);
  if (!entries(m.headers).every(([name, sm]) => present(req.headers[name.toLowerCase()], v => stringMatches(sm, v)))) return false;
  if (entries(m.withoutHeaders).some(([name, sm]) => present(req.headers[name.toLowerCase()], v => stringMatches(sm, v)))) return false;
  if (!entries(m.queryParams).every(([name, sm]) => present(req.query[name], v => stringMatches(sm, v)))) return false;
  if (m.port !== undefined && m.port !== port) return false;
  if (m.sourceLabels !== undefined && !(source.labels && isObject(m.sourceLabels) && selects(m.sourceLabels, source.labels))) return false;
  return m.sourceNamespace === undefined || m.sourceNamespace === source.namespace;
}

function present(value: string | undefined, test: (v: string) => boolean): boolean {
  return value !== undefined && test(value);
}

/** Gateway names as `<namespace>/<name>` (short names in `namespace`), `mesh` as is; `[mesh]` when none are given. */
function gatewaysOf(value: unknown, namespace: string): string[] {
  const names = strings(value);
  return (names.length === 0 ? [MESH] : names).map(g => (g === MESH ? MESH : gatewayReference(g, namespace).join('/')));
}

function boundTo(gateways: readonly string[], source: Source): boolean {
  if (source.kind === 'any') return true;
  return gateways.includes(source.kind === 'sidecar' ? MESH : source.gateway!);
}

/** Whether a VirtualService is bound to the source, by its own gateways or those of one of its matches. */
function appliesTo(vs: VirtualService, source: Source): boolean {
  if (boundTo(gatewaysOf(vs.spec.gateways, vs.namespace), source)) return true;
  return list(vs.spec.http).some(rule => list(rule?.match).some(m => isObject(m) && m.gateways !== undefined
    && boundTo(gatewaysOf(m.gateways, vs.namespace), source)));
}

/** How specifically `pattern` matches `host`: an exact host beats any wildcard, a longer wildcard a shorter; -1 for no match. */
function specificity(pattern: string, host: string): number {
  if (pattern === host) return Number.MAX_SAFE_INTEGER;
  return pattern.includes('*') && hostMatches(pattern, host) ? pattern.length : -1;
}

/** The path and authority the destination receives after the rule's rewrite. */
function rewritten(rule: HttpRule, match: HttpMatch | undefined, req: NormalizedRequest): {
  path: string; host: string; rewrite?: networking.VirtualServiceSpecHttpRewrite;
} {
  const rewrite = isObject(rule.rewrite) ? rule.rewrite : undefined;
  let path = req.path;
  if (typeof rewrite?.uri === 'string') {
    // Envoy's prefix_rewrite replaces the matched prefix; after any other match it replaces the whole path.
    const prefix = prefixOf(match?.uri);
    path = prefix !== undefined && path.startsWith(prefix) ? rewrite.uri + path.slice(prefix.length) : rewrite.uri;
  } else if (isObject(rewrite?.uriRegexRewrite) && typeof rewrite.uriRegexRewrite.match === 'string') {
    path = regexRewrite(path, rewrite.uriRegexRewrite.match, String(rewrite.uriRegexRewrite.rewrite ?? '')) ?? path;
  }
  const host = typeof rewrite?.authority === 'string' ? rewrite.authority : req.host;
  return { path, host, ...(rewrite && { rewrite }) };
}

/** The rule's mirrors (`mirror` with `mirrorPercentage`, and `mirrors`), resolved. */
function mirrorsOf(rule: HttpRule, namespace: string): RoutedMirror[] {
  const one = (d: { host?: string; subset?: string; port?: { number?: number } } | undefined, percentage: unknown): RoutedMirror[] => {
    if (!isObject(d) || typeof d.host !== 'string') return [];
    const value = isObject(percentage) && typeof percentage.value === 'number' ? percentage.value : 100;
    return [{
      host: d.host,
      fqdn: qualifyHost(d.host.toLowerCase(), namespace),
      ...(typeof d.subset === 'string' && { subset: d.subset }),
      ...(typeof d.port?.number === 'number' && { port: d.port.number }),
      percent: value,
    }];
  };
  const legacy = typeof rule.mirrorPercent === 'number' ? { value: rule.mirrorPercent } : undefined;
  return [
    ...one(rule.mirror, rule.mirrorPercentage ?? legacy),
    ...list(rule.mirrors).flatMap(m => one(m?.destination, m?.percentage)),
  ];
}

function normalize(request: SimulationRequest): NormalizedRequest {
  const authority = String(request.host).trim();
  const withPort = /^(.*):(\d+)$/.exec(authority);
  const host = (withPort ? withPort[1] : authority).toLowerCase();
  const rawPath = request.path ?? '/';
  const cut = rawPath.search(/[?#]/);
  const path = cut < 0 ? rawPath : rawPath.slice(0, cut);
  const queryText = cut >= 0 && rawPath[cut] === '?' ? rawPath.slice(cut + 1).split('#')[0] : '';
  // no prototype: a header or parameter named like an Object property (`constructor`) is looked up as any other name
  const query: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(queryText)) if (!(k in query)) query[k] = v;
  Object.assign(query, request.query ?? {});
  const headers: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = String(v);
  return {
    authority,
    host,
    ...(withPort && { authorityPort: Number(withPort[2]) }),
    ...(request.port !== undefined && { port: request.port }),
    method: request.method ?? 'GET',
    path: path === '' ? '/' : path,
    query,
    queryString: queryText ? `?${queryText}` : '',
    headers,
    scheme: request.scheme ?? 'http',
  };
}

function publicRequest(req: NormalizedRequest, port = req.port ?? req.authorityPort): Simulation['request'] {
  return {
    host: req.host,
    ...(port !== undefined && { port }),
    method: req.method,
    path: req.path,
    query: req.query,
    headers: req.headers,
    scheme: req.scheme,
  };
}

function round(percent: number): number {
  return Math.round(percent * 100) / 100;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
