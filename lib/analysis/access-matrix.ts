import { gatewayDeployment } from './gateway-deployment';
import { istioStringMatch } from '../core/string-match';

/**
 * Who may call whom, read from synthesized manifests: workloads from Deployments (their pod labels
 * and ServiceAccount), policies from AuthorizationPolicies, evaluated the way Istio's sidecars do —
 * CUSTOM (reported as conditional: an external authorizer decides), then DENY, then ALLOW; a
 * workload no ALLOW policy applies to accepts every caller.
 *
 * Callers are identified by their mTLS principal, so the matrix describes a mesh with STRICT mutual
 * TLS. Conditions the manifests cannot decide (JWT request principals, IP blocks, `when`
 * conditions) are reported as conditional rather than guessed.
 *
 * In ambient mode a call to a workload whose Service uses a waypoint (`istio.io/use-waypoint` on
 * the Service or its ambient Namespace) passes the waypoint first: the policies attached to the
 * Service or the waypoint (`targetRefs`) judge the caller, and the workload's ztunnel then judges
 * the waypoint's identity against the policies that select the workload. Gateways reach the
 * workload directly unless `istio.io/ingress-use-waypoint` is `true`. Waypoints and Gateway API
 * gateways of the manifests are callers too.
 */

/** A plain Kubernetes object as read from YAML. */
type Doc = Record<string, any>;

/** One calling or called workload. */
export interface MatrixWorkload {
  /** `<namespace>/<app>` (the `app` label, or the Deployment name without one). */
  readonly id: string;
  /** The namespace. */
  readonly namespace: string;
  /** The ServiceAccount the workload runs as. */
  readonly serviceAccount: string;
  /** The pod labels of each version. */
  readonly podLabels: readonly Record<string, string>[];
}

/** What one caller may do on one target. */
export interface MatrixCell {
  /** `all`: any request; `some`: only `operations`; `none`: denied. */
  readonly access: 'all' | 'some' | 'none';
  /** The allowed operations when access is `some`, e.g. `GET`, `GET,POST /api/*`, or `any`. */
  readonly operations: readonly string[];
  /** Operations a DENY rule takes out of what is allowed, e.g. `/admin*`. */
  readonly denied: readonly string[];
  /** Rules that depend on request data (JWTs, IPs, `when`), by policy name; not counted as allowed. */
  readonly conditional: readonly string[];
}

/** The access matrix of an app. */
export interface AccessMatrix {
  /** The callers: the app's workloads plus the extra callers (e.g. the ingress gateway). */
  readonly callers: readonly MatrixWorkload[];
  /** The called workloads. */
  readonly targets: readonly MatrixWorkload[];
  /** `cells[callerId][targetId]`. */
  readonly cells: Readonly<Record<string, Readonly<Record<string, MatrixCell>>>>;
}

/** Options of {@link accessMatrix}. */
export interface AccessMatrixOptions {
  /** The trust domain of principals. @default 'cluster.local' */
  readonly trustDomain?: string;
  /** The mesh root namespace, whose policies apply to every workload. @default 'istio-system' */
  readonly rootNamespace?: string;
  /** Callers outside the manifests. @default the Istio ingress gateway (istio-system/istio-ingressgateway-service-account) */
  readonly extraCallers?: MatrixWorkload[];
}

/** The default ingress gateway of an Istio install, as a caller. */
export const INGRESS_GATEWAY_CALLER: MatrixWorkload = {
  id: 'istio-system/istio-ingressgateway',
  namespace: 'istio-system',
  serviceAccount: 'istio-ingressgateway-service-account',
  podLabels: [{ istio: 'ingressgateway' }],
};

/** Computes who may call whom from a set of manifests (e.g. everything in `dist/<app>/`). */
export function accessMatrix(docs: readonly Doc[], options: AccessMatrixOptions = {}): AccessMatrix {
  const { callers, targets } = accessByTarget(docs, options);
  const cells: Record<string, Record<string, MatrixCell>> = {};
  for (const caller of callers) cells[caller.id] = Object.fromEntries(targets.map(t => [t.target.id, t.named.get(caller) ?? t.others!]));
  return { callers, targets: targets.map(t => t.target), cells };
}

/**
 * What every caller may do on one target. Only the callers a rule of the target's policies names
 * (by principal, namespace or ServiceAccount, negated or not) and the gateways and waypoints (whose
 * way in differs) can get different cells; every other caller matches none of those rules' sources
 * and so gets the same cell, `others`.
 */
export interface TargetAccess {
  /** The called workload. */
  readonly target: MatrixWorkload;
  /** The cells of the callers some rule names, and of the gateways and waypoints, by caller. */
  readonly named: ReadonlyMap<MatrixWorkload, MatrixCell>;
  /** The cell of every caller not in `named`; undefined when every caller is. */
  readonly others?: MatrixCell;
}

/** The access matrix by target, in the size of the calls the policies single out rather than callers × targets. */
export interface AccessByTarget {
  /** The callers: the extra callers, the waypoints, then the targets themselves (the same objects). */
  readonly callers: readonly MatrixWorkload[];
  /** Each target's access, in the order of {@link AccessMatrix.targets}. */
  readonly targets: readonly TargetAccess[];
}

/**
 * The access matrix of {@link accessMatrix}, with each target's cells for the callers no rule names
 * given once: `accessMatrix(docs).cells[c.id][t.target.id]` is `t.named.get(c) ?? t.others`.
 */
export function accessByTarget(docs: readonly Doc[], options: AccessMatrixOptions = {}): AccessByTarget {
  const trustDomain = options.trustDomain ?? 'cluster.local';
  const root = options.rootNamespace ?? 'istio-system';
  const targetWorkloads = workloadsOf(docs);
  const ambient = ambientTopology(docs);
  const callers = [...(options.extraCallers ?? [INGRESS_GATEWAY_CALLER, ...ambient.gateways]), ...ambient.waypoints, ...targetWorkloads];
  const peerOf = (w: MatrixWorkload): Peer => ({
    principal: `${trustDomain}/ns/${w.namespace}/sa/${w.serviceAccount}`,
    namespace: w.namespace,
    serviceAccount: `${w.namespace}/${w.serviceAccount}`,
  });
  const index = new CallerIndex(callers.map(caller => ({ caller, peer: peerOf(caller) })));
  const special = [...new Set(callers.filter(c => ambient.wayOf(c) !== 'workload'))];
  const callerCount = new Set(callers).size;
  const policies = policiesByNamespace(docs.filter(d => d.kind === 'AuthorizationPolicy' && !d.spec?.targetRefs && !d.spec?.targetRef));
  const targets = targetWorkloads.map(target => {
    const applicable = policies.candidates(target.namespace, root).filter(p => appliesTo(p, target, root));
    // One way in per Service of the target (through its waypoint, or direct): the caller gets what any of them lets through.
    const cellOf = (peer: Peer, routes: (WaypointRoute | undefined)[]) => anyOf(routes.map(route => (route
      ? throughWaypoint(evaluate(route.policies, peer), evaluate(applicable, peerOf(route.waypoint)))
      : evaluate(applicable, peer))));
    const workloadRoutes = ambient.routes('workload', target);
    const judging = [...applicable, ...workloadRoutes.flatMap(route => route?.policies ?? [])];
    const named = new Map<MatrixWorkload, MatrixCell>();
    for (const caller of [...special, ...index.namedBy(judging)]) {
      if (!named.has(caller)) named.set(caller, cellOf(index.peer(caller), ambient.routes(ambient.wayOf(caller), target)));
    }
    return { target, named, others: named.size < callerCount ? cellOf(UNNAMED_PEER, workloadRoutes) : undefined };
  });
  return { callers, targets };
}

/** The AuthorizationPolicies by namespace, each namespace's in the order of the manifests. */
function policiesByNamespace(policies: readonly Doc[]) {
  const byNamespace = new Map<string, { policy: Doc; at: number }[]>();
  policies.forEach((policy, at) => {
    const namespace = policy.metadata.namespace ?? 'default';
    (byNamespace.get(namespace) ?? byNamespace.set(namespace, []).get(namespace)!).push({ policy, at });
  });
  return {
    /** The policies of a namespace and the root namespace, the only ones that can apply to its workloads, in the manifests' order. */
    candidates(namespace: string, root: string): Doc[] {
      const own = byNamespace.get(namespace) ?? [];
      const all = namespace === root ? own : [...(byNamespace.get(root) ?? []), ...own].sort((a, b) => a.at - b.at);
      return all.map(p => p.policy);
    },
  };
}

/** The callers with their peers, found by the principal, namespace or ServiceAccount patterns that match them. */
class CallerIndex {
  /** `<peer field>\0<value>` → the callers with that value. */
  private readonly exact = new Map<string, MatrixWorkload[]>();
  /** `<peer field>\0<pattern>` → the callers a `*` pattern matches, found once. */
  private readonly wildcard = new Map<string, MatrixWorkload[]>();
  private readonly peers = new Map<MatrixWorkload, Peer>();

  constructor(private readonly callers: readonly { caller: MatrixWorkload; peer: Peer }[]) {
    for (const { caller, peer } of callers) {
      this.peers.set(caller, peer);
      for (const field of PEER_FIELDS) {
        const key = `${field}\0${peer[field]}`;
        (this.exact.get(key) ?? this.exact.set(key, []).get(key)!).push(caller);
      }
    }
  }

  /** The peer of a caller. */
  public peer(caller: MatrixWorkload): Peer {
    return this.peers.get(caller)!;
  }

  /** The callers some pattern of the policies' rule sources matches: the only ones whose cells can differ from {@link UNNAMED_PEER}'s. */
  public namedBy(policies: readonly Doc[]): MatrixWorkload[] {
    return policies.flatMap(p => (p.spec?.rules ?? []).flatMap((rule: Doc) => {
      if (!rule.from) return [];
      const named: MatrixWorkload[] = [];
      for (const { source = {} } of rule.from) {
        for (const { patterns, field } of SOURCE_FIELDS) {
          if (source[patterns]) named.push(...(source[patterns] as string[]).flatMap(pattern => this.matching(field, pattern)));
        }
      }
      return named;
    }));
  }

  private matching(field: keyof Peer, pattern: string): readonly MatrixWorkload[] {
    if (!pattern.startsWith('*') && !pattern.endsWith('*')) return this.exact.get(`${field}\0${pattern}`) ?? [];
    const key = `${field}\0${pattern}`;
    const found = this.wildcard.get(key) ?? this.callers.filter(c => matches([pattern], c.peer[field])).map(c => c.caller);
    this.wildcard.set(key, found);
    return found;
  }
}

/** Renders the matrix as a table: one row per caller, one column per target. */
export function formatAccessMatrix(matrix: AccessMatrix): string {
  const cellText = (c: MatrixCell) => (c.access === 'all' ? 'allow' : c.access === 'none' ? '-' : c.operations.join(' | '))
    + (c.denied.length ? ` (deny ${c.denied.join(' | ')})` : '') + (c.conditional.length ? ' (+conditional)' : '');
  const header = ['caller \\ target', ...matrix.targets.map(t => t.id)];
  const rows = matrix.callers.map(c => [c.id, ...matrix.targets.map(t => cellText(matrix.cells[c.id][t.id]))]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map(r => r[i].length)));
  return [header, ...rows].map(r => r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/**
 * A call through a waypoint: what the waypoint's policies allow the caller, provided the target's
 * ztunnel accepts the waypoint at all.
 */
function throughWaypoint(atWaypoint: MatrixCell, atZtunnel: MatrixCell): MatrixCell {
  const conditional = [...new Set([...atWaypoint.conditional, ...atZtunnel.conditional])];
  if (atZtunnel.access === 'none') return { access: 'none', operations: [], denied: [], conditional };
  return { ...atWaypoint, conditional };
}

/** What a caller gets through any of several ways in: the widest access, the operations of each. */
function anyOf(cells: readonly MatrixCell[]): MatrixCell {
  if (cells.length === 1) return cells[0];
  const conditional = [...new Set(cells.flatMap(c => c.conditional))];
  const whole = cells.find(c => c.access === 'all');
  if (whole) return { ...whole, conditional };
  const some = cells.filter(c => c.access === 'some');
  if (some.length === 0) return { access: 'none', operations: [], denied: [], conditional };
  return {
    access: 'some',
    operations: [...new Set(some.flatMap(c => c.operations))],
    denied: some.length === 1 ? some[0].denied : [],
    conditional,
  };
}

/** What the matrix needs of an ambient mesh: its waypoints and gateways as callers, and which calls pass a waypoint. */
interface AmbientTopology {
  /** The waypoints (Gateways of class istio-waypoint), as callers. */
  readonly waypoints: readonly MatrixWorkload[];
  /** The Gateway API gateways of class istio, as callers. */
  readonly gateways: readonly MatrixWorkload[];
  /** How a caller comes in: as a waypoint, as a gateway, or as any other workload. */
  wayOf(caller: MatrixWorkload): CallerWay;
  /**
   * The ways a call from a caller that comes in `way` reaches `target`, one per Service selecting
   * it (one when none does): the waypoint it passes and the policies attached there, or undefined
   * for a direct call.
   */
  routes(way: CallerWay, target: MatrixWorkload): (WaypointRoute | undefined)[];
}

/** What of a caller decides its routes: waypoints call directly, gateways skip waypoints unless told not to. */
type CallerWay = 'waypoint' | 'gateway' | 'workload';

/** The waypoint a call passes, and the policies attached there (to the target's Service, or to the waypoint). */
interface WaypointRoute {
  /** The waypoint, as the caller the target's ztunnel sees. */
  readonly waypoint: MatrixWorkload;
  /** The AuthorizationPolicies the waypoint enforces on the call. */
  readonly policies: Doc[];
}

/** The label naming a resource's waypoint; `#none` opts a Service out of its namespace's. */
const USE_WAYPOINT = 'istio.io/use-waypoint';
/** The label on the pods Istio deploys for a Gateway API Gateway: the Gateway's name. */
const GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';

function ambientTopology(docs: readonly Doc[]): AmbientTopology {
  const namespaces = new Map<string, Record<string, string>>(docs.filter(d => d.kind === 'Namespace')
    .map(d => [d.metadata?.name, d.metadata?.labels ?? {}]));
  const gatewayDocs = docs.filter(d => d.kind === 'Gateway' && String(d.apiVersion ?? '').startsWith('gateway.networking.k8s.io/'));
  const asCaller = (g: Doc, serviceAccount: string): MatrixWorkload => {
    const namespace = g.metadata?.namespace ?? 'default';
    return { id: `${namespace}/${serviceAccount}`, namespace, serviceAccount, podLabels: [{ [GATEWAY_NAME]: g.metadata?.name }] };
  };
  // the ServiceAccount Istio deploys the Gateway's proxy with (lib/analysis/gateway-deployment.ts)
  const deployed = (className: string) => gatewayDocs.flatMap(g => {
    const deployment = g.spec?.gatewayClassName === className ? gatewayDeployment(g) : undefined;
    return deployment ? [asCaller(g, deployment.serviceAccount)] : [];
  });
  const waypoints = deployed('istio-waypoint');
  const gateways = deployed('istio');
  const services = docs.filter(d => d.kind === 'Service' && d.spec?.selector);
  const policies = docs.filter(d => d.kind === 'AuthorizationPolicy' && d.spec?.targetRefs);
  const isGateway = (w: MatrixWorkload) => gateways.includes(w)
    || w.podLabels.some(l => l.istio === 'ingressgateway' || l.istio === 'egressgateway');
  return {
    waypoints,
    gateways,
    wayOf: caller => (waypoints.includes(caller) ? 'waypoint' : isGateway(caller) ? 'gateway' : 'workload'),
    routes(way, target) {
      const nsLabels = namespaces.get(target.namespace) ?? {};
      if (nsLabels['istio.io/dataplane-mode'] !== 'ambient' || way === 'waypoint') return [undefined];
      const selecting = services.filter(svc => (svc.metadata?.namespace ?? 'default') === target.namespace
        && target.podLabels.some(labels => Object.entries(svc.spec.selector as Record<string, string>).every(([k, v]) => labels[k] === v)));
      return selecting.length === 0 ? [undefined] : selecting.map(service => routeThrough(service, way, target, nsLabels));
    },
  };

  function routeThrough(service: Doc, way: CallerWay, target: MatrixWorkload,
    nsLabels: Record<string, string>): WaypointRoute | undefined {
    const own: Record<string, string> = service.metadata?.labels ?? {};
    const labels = own[USE_WAYPOINT] !== undefined ? own : nsLabels;
    const name = labels[USE_WAYPOINT];
    if (name === undefined || name === '#none') return undefined;
    const ingressUsesWaypoint = (own['istio.io/ingress-use-waypoint'] ?? nsLabels['istio.io/ingress-use-waypoint']) === 'true';
    if (way === 'gateway' && !ingressUsesWaypoint) return undefined;
    const namespace = labels['istio.io/use-waypoint-namespace'] ?? target.namespace;
    const waypoint = waypoints.find(w => w.namespace === namespace && w.serviceAccount === name)
      ?? { id: `${namespace}/${name}`, namespace, serviceAccount: name, podLabels: [{ [GATEWAY_NAME]: name }] };
    const attached = policies.filter(p => (p.spec.targetRefs as Doc[]).some(ref => {
      const policyNamespace = p.metadata?.namespace ?? 'default';
      return (policyNamespace === target.namespace && ref.kind === 'Service' && !ref.group && ref.name === service.metadata?.name)
        || (policyNamespace === namespace && ref.kind === 'Gateway' && ref.group === 'gateway.networking.k8s.io' && ref.name === name);
    }));
    return { waypoint, policies: attached };
  }
}

function workloadsOf(docs: readonly Doc[]): MatrixWorkload[] {
  const byId = new Map<string, { namespace: string; serviceAccount: string; podLabels: Record<string, string>[] }>();
  for (const d of docs.filter(x => x.kind === 'Deployment')) {
    const namespace = d.metadata.namespace ?? 'default';
    const labels: Record<string, string> = d.spec?.template?.metadata?.labels ?? {};
    const id = `${namespace}/${labels.app ?? d.metadata.name}`;
    const entry = byId.get(id)
      ?? { namespace, serviceAccount: d.spec?.template?.spec?.serviceAccountName ?? 'default', podLabels: [] as Record<string, string>[] };
    entry.podLabels.push(labels);
    byId.set(id, entry);
  }
  return [...byId].map(([id, w]) => ({ id, ...w }));
}

function appliesTo(policy: Doc, target: MatrixWorkload, root: string): boolean {
  const namespace = policy.metadata.namespace ?? 'default';
  if (namespace !== root && namespace !== target.namespace) return false;
  const match: Record<string, string> = policy.spec?.selector?.matchLabels ?? {};
  return target.podLabels.some(labels => Object.entries(match).every(([k, v]) => labels[k] === v));
}

/** A caller's identity as rule sources match it; undefined values stand for a caller no pattern names. */
interface Peer {
  readonly principal: string | undefined;
  readonly namespace: string | undefined;
  readonly serviceAccount: string | undefined;
}

/** A caller that no principal, namespace or ServiceAccount pattern matches, as every caller a target's rules do not name is. */
const UNNAMED_PEER: Peer = { principal: undefined, namespace: undefined, serviceAccount: undefined };

/** The fields of a peer that rule sources match. */
const PEER_FIELDS = ['principal', 'namespace', 'serviceAccount'] as const;

/** The source fields that match the calling workload, and the peer field each matches (negated or not). */
const SOURCE_FIELDS: readonly { patterns: string; field: keyof Peer; negated: boolean }[] = [
  { patterns: 'principals', field: 'principal', negated: false }, { patterns: 'notPrincipals', field: 'principal', negated: true },
  { patterns: 'namespaces', field: 'namespace', negated: false }, { patterns: 'notNamespaces', field: 'namespace', negated: true },
  { patterns: 'serviceAccounts', field: 'serviceAccount', negated: false },
  { patterns: 'notServiceAccounts', field: 'serviceAccount', negated: true },
];

/**
 * Istio string matching: `*`, `prefix*`, `*suffix` or exact; an undefined value (a caller no
 * pattern names) matches none. No patterns, or an empty list (which Istio reads as not set): undefined.
 */
function matches(patterns: string[] | undefined, value: string | undefined): boolean | undefined {
  if (!patterns || patterns.length === 0) return undefined;
  return patterns.some(p => value !== undefined && istioStringMatch(p, value));
}

/** Source fields that match on request data (token, client IP) rather than on the calling workload. */
const REQUEST_DEPENDENT_SOURCE_FIELDS = [
  'requestPrincipals', 'notRequestPrincipals', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks',
];

/** Whether a rule's `from` matches the peer: true, false, or 'conditional' when it depends on request data. */
function fromMatches(rule: Doc, peer: Peer): boolean | 'conditional' {
  if (!rule.from) return true;
  let conditional = false;
  for (const { source = {} } of rule.from) {
    const checks = SOURCE_FIELDS.map(({ patterns, field, negated }) => {
      const matched = matches(source[patterns], peer[field]);
      return negated ? invert(matched) : matched;
    });
    if (checks.some(c => c === false)) continue;
    if (REQUEST_DEPENDENT_SOURCE_FIELDS.some(k => source[k])) {
      conditional = true;
      continue;
    }
    return true;
  }
  return conditional ? 'conditional' : false;
}

function invert(b: boolean | undefined): boolean | undefined {
  return b === undefined ? undefined : !b;
}

function describeOperations(rule: Doc): string[] {
  return (rule.to ?? []).map(({ operation = {} }: Doc) => {
    const parts = [
      operation.methods?.join(','), operation.notMethods && `not ${operation.notMethods.join(',')}`,
      operation.paths?.join(','), operation.notPaths && `not ${operation.notPaths.join(',')}`,
      operation.ports && `port ${operation.ports.join(',')}`, operation.hosts && `host ${operation.hosts.join(',')}`,
    ].filter(Boolean);
    return parts.length ? parts.join(' ') : 'any';
  });
}

function evaluate(policies: readonly Doc[], peer: Peer): MatrixCell {
  const conditional: string[] = [];
  const matching = (action: string) => policies.filter(p => (p.spec?.action ?? 'ALLOW') === action).flatMap(p =>
    (p.spec?.rules ?? []).flatMap((rule: Doc) => {
      const from = fromMatches(rule, peer);
      if (from === 'conditional' || (from && rule.when)) conditional.push(p.metadata.name);
      return from === true && !rule.when ? [rule] : [];
    }));
  // A matching CUSTOM rule hands the request to the external authorizer first: the outcome
  // depends on it, so it is reported as conditional and evaluation goes on as if it allowed.
  for (const p of policies.filter(x => x.spec?.action === 'CUSTOM')) {
    const rules: Doc[] = p.spec?.rules ?? [];
    if (rules.some(r => fromMatches(r, peer) !== false)) conditional.push(p.metadata.name);
  }
  // DENY rules that match a whole caller deny it; operation-scoped ones carve out what they name.
  const deniedRules = matching('DENY');
  if (deniedRules.some(r => !r.to)) return { access: 'none', operations: [], denied: [], conditional };
  const denied = [...new Set(deniedRules.flatMap(describeOperations))];
  // Without an ALLOW policy everything is allowed; with one, only what a matching rule allows.
  const allowPolicies = policies.filter(p => (p.spec?.action ?? 'ALLOW') === 'ALLOW');
  const allowed = matching('ALLOW');
  const whole = allowPolicies.length === 0 || allowed.some(r => !r.to);
  const operations = whole ? ['any'] : [...new Set(allowed.flatMap(describeOperations))];
  if (operations.length === 0) return { access: 'none', operations: [], denied: [], conditional };
  if (whole && denied.length === 0) return { access: 'all', operations: [], denied: [], conditional };
  return { access: 'some', operations, denied, conditional };
}

/**
 * The AuthorizationPolicies among `policies` that apply to a workload of `namespace` (those of its
 * namespace and the root namespace selecting one of its versions' `podLabels`), those attached by
 * `targetRefs` left out, as the matrix leaves them out.
 */
export function policiesApplyingTo(
  policies: readonly Doc[], target: { readonly namespace: string; readonly podLabels: readonly Record<string, string>[] },
  rootNamespace = 'istio-system',
): Doc[] {
  const workload: MatrixWorkload = { id: '', namespace: target.namespace, serviceAccount: '', podLabels: target.podLabels };
  return policies.filter(p => !p.spec?.targetRefs && !p.spec?.targetRef && appliesTo(p, workload, rootNamespace));
}

/** What a caller may do on a workload, by the policies that apply to it ({@link policiesApplyingTo}): the matrix's cell. */
export function callerAccess(
  applicable: readonly Doc[], caller: { readonly namespace: string; readonly serviceAccount: string }, trustDomain = 'cluster.local',
): MatrixCell {
  return evaluate(applicable, {
    principal: `${trustDomain}/ns/${caller.namespace}/sa/${caller.serviceAccount}`,
    namespace: caller.namespace,
    serviceAccount: `${caller.namespace}/${caller.serviceAccount}`,
  });
}

// Authorization of one request (route simulation): the same policy selection and source matching
// as the matrix, with the request's operation (method, path, port, host) matched too.

/** One request to a workload, as its sidecar sees it, to check against AuthorizationPolicies. */
export interface AuthorizationRequest {
  /** The calling workload's identity, or undefined when it is not known (then rules on the source are conditional). */
  readonly caller?: { readonly namespace: string; readonly serviceAccount: string };
  /** The called workload: its namespace and the pod labels of the version that receives the request. */
  readonly target: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  /** The HTTP method. */
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The port the workload receives the request on, when known. */
  readonly port?: number;
  /** The authority (Host header), when known. */
  readonly host?: string;
}

/** What the AuthorizationPolicies decide for one request. */
export interface AuthorizationVerdict {
  /**
   * `allow`, `deny`, or `conditional` when the outcome depends on what the manifests cannot say
   * (JWTs, IPs, `when`, CUSTOM, an unknown caller).
   */
  readonly decision: 'allow' | 'deny' | 'conditional';
  /** The policies (`<namespace>/<name>`) whose rules decided, or that make it conditional. */
  readonly policies: readonly string[];
  /** Why, in words. */
  readonly reason: string;
}

/**
 * Whether the AuthorizationPolicies among `docs` let `request` through, in Istio's order: a
 * matching CUSTOM rule makes the outcome conditional, a matching DENY rule denies, and then a
 * workload with ALLOW policies accepts only what one of their rules matches (every request when it
 * has none). Policies with `targetRefs` are left out, as the matrix leaves them out.
 */
export function authorizeRequest(
  docs: readonly Doc[], request: AuthorizationRequest, options: AccessMatrixOptions = {},
): AuthorizationVerdict {
  const trustDomain = options.trustDomain ?? 'cluster.local';
  const target: MatrixWorkload = {
    id: '', namespace: request.target.namespace, serviceAccount: '', podLabels: [{ ...request.target.podLabels }],
  };
  const policies = docs.filter(d => d.kind === 'AuthorizationPolicy' && !d.spec?.targetRefs && !d.spec?.targetRef)
    .filter(p => appliesTo(p, target, options.rootNamespace ?? 'istio-system'));
  const peer = request.caller && {
    principal: `${trustDomain}/ns/${request.caller.namespace}/sa/${request.caller.serviceAccount}`,
    namespace: request.caller.namespace,
    serviceAccount: `${request.caller.namespace}/${request.caller.serviceAccount}`,
  };
  const name = (p: Doc) => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name}`;
  const outcome = (action: string) => {
    const sure: string[] = [];
    const maybe: string[] = [];
    for (const p of policies.filter(x => (x.spec?.action ?? 'ALLOW') === action)) {
      for (const rule of (p.spec?.rules ?? []) as Doc[]) {
        const verdict = ruleMatchesRequest(rule, peer, request);
        if (verdict === true) sure.push(name(p));
        else if (verdict === 'conditional') maybe.push(name(p));
      }
    }
    return { sure: [...new Set(sure)], maybe: [...new Set(maybe)] };
  };
  const custom = outcome('CUSTOM');
  const customNames = [...new Set([...custom.sure, ...custom.maybe])];
  const denied = outcome('DENY');
  if (denied.sure.length > 0) return { decision: 'deny', policies: denied.sure, reason: `denied by DENY policy ${denied.sure.join(', ')}` };
  const allowPolicies = policies.filter(p => (p.spec?.action ?? 'ALLOW') === 'ALLOW');
  const allowed = outcome('ALLOW');
  const conditionalBy = [...customNames, ...denied.maybe];
  const conditional = (why: string, names: string[]): AuthorizationVerdict => ({ decision: 'conditional', policies: names, reason: why });
  if (allowPolicies.length === 0 || allowed.sure.length > 0) {
    if (conditionalBy.length > 0) {
      return conditional(`allowed unless ${conditionalBy.join(', ')} decide otherwise (they depend on the request)`, conditionalBy);
    }
    return allowPolicies.length === 0
      ? { decision: 'allow', policies: [], reason: 'no ALLOW policy applies to the workload' }
      : { decision: 'allow', policies: allowed.sure, reason: `allowed by ${allowed.sure.join(', ')}` };
  }
  if (allowed.maybe.length > 0) {
    return conditional(`allowed only if ${allowed.maybe.join(', ')} match (they depend on the request)`, allowed.maybe);
  }
  const allowNames = [...new Set(allowPolicies.map(name))];
  return { decision: 'deny', policies: allowNames, reason: `no rule of the ALLOW policies ${allowNames.join(', ')} matches` };
}

/** Whether a rule matches the request: its `from` (the matrix's source matching), `to` (the operation) and `when`. */
function ruleMatchesRequest(rule: Doc, peer: Peer | undefined, request: AuthorizationRequest): boolean | 'conditional' {
  const from = peer ? fromMatches(rule, peer) : (rule.from ? 'conditional' : true);
  if (from === false || !operationMatches(rule, request)) return false;
  return from === 'conditional' || rule.when ? 'conditional' : true;
}

/** Whether one of a rule's `to` operations matches the request (every request when it has none). */
function operationMatches(rule: Doc, request: AuthorizationRequest): boolean {
  if (!rule.to) return true;
  const port = request.port === undefined ? undefined : String(request.port);
  const host = request.host?.toLowerCase();
  const check = (patterns: string[] | undefined, value: string | undefined, negated: boolean) => {
    if (!patterns) return true;
    if (value === undefined) return false;
    return matches(patterns, value) !== negated;
  };
  return (rule.to as Doc[]).some(({ operation = {} }) => check(operation.methods, request.method, false)
    && check(operation.notMethods, request.method, true)
    && check(operation.paths, request.path, false) && check(operation.notPaths, request.path, true)
    && check(operation.ports, port, false) && check(operation.notPorts, port, true)
    && check(operation.hosts?.map((h: string) => h.toLowerCase()), host, false)
    && check(operation.notHosts?.map((h: string) => h.toLowerCase()), host, true));
}
