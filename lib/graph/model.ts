/**
 * The picture of a mesh as a graph, read from manifests alone: namespaces (with their mTLS mode),
 * gateways, services and their versions, external hosts, route edges from the VirtualServices
 * (labelled with their matches, weights and faults), who may call whom from the access matrix, and
 * the analysis findings on what they concern.
 */
import { INGRESS_GATEWAY_CALLER, MatrixWorkload, TargetAccess, accessByTarget } from '../analysis/access-matrix';
import { analyze } from '../analysis/analyze';
import { AnalysisInput, Doc, MeshIndex, Resource, selects } from '../analysis/mesh-index';
import { AnalysisMessage } from '../analysis/messages';
import { Labels } from '../analysis/spec-types';
import { qualifyHost } from '../core/hosts';

/** What a node stands for. */
export type GraphNodeKind = 'gateway' | 'service' | 'version' | 'workload' | 'external';

/** A box of the picture. */
export interface GraphNode {
  /** Unique: `gw:<ns>/<name>`, `svc:<ns>/<name>`, `ver:<ns>/<service>/<version>`, `wl:<ns>/<app>`, `ext:<host>`. */
  readonly id: string;
  /** What it stands for. */
  readonly kind: GraphNodeKind;
  /** Its namespace (an external host: the namespace of its ServiceEntry, '' when unknown). */
  readonly namespace: string;
  /** Its name as shown. */
  readonly label: string;
  /** More lines: a gateway's servers, a service's ports. */
  readonly details: readonly string[];
  /** For a version: the service it belongs to. */
  readonly parent?: string;
  /** A version no pod carries the labels of, or a host nothing in the manifests defines. */
  readonly missing: boolean;
  /** For a called workload: every caller may call it (no policy restricts it). */
  readonly open: boolean;
  /** The findings of analysis about what it stands for. */
  readonly findings: readonly AnalysisMessage[];
}

/** A line of the picture: where a route sends traffic, or who may call whom. */
export interface GraphEdge {
  /** `route`: a VirtualService rule; `access`: an allowed or denied call. */
  readonly kind: 'route' | 'access';
  /** The source node's id. */
  readonly from: string;
  /** The target node's id. */
  readonly to: string;
  /** What the edge says, e.g. `end-user=jason`, `50%`, `delay 7s`, `GET`; one line per rule. */
  readonly labels: readonly string[];
  /** For access edges: whether the call is allowed. */
  readonly allowed: boolean;
}

/** A namespace of the picture. */
export interface GraphNamespace {
  /** The name. */
  readonly name: string;
  /** The mTLS mode its workloads accept: `STRICT`, `PERMISSIVE (mesh-wide)`, `PERMISSIVE (default)`, ... */
  readonly mtls: string;
  /** Findings about the namespace itself and its namespace-wide objects. */
  readonly findings: readonly AnalysisMessage[];
}

/** The graph of a mesh. */
export interface MeshGraph {
  /** The namespaces, in display order (the root namespace first, then by name). */
  readonly namespaces: readonly GraphNamespace[];
  /** The nodes, sorted by id. */
  readonly nodes: readonly GraphNode[];
  /** The edges: routes, then access, each sorted by source and target. */
  readonly edges: readonly GraphEdge[];
  /**
   * Denied calls not drawn, beyond {@link MeshGraphOptions.maxDeniedEdges}. Only denied calls from
   * the same namespace and from the ingress gateway are drawn (and counted) at all.
   */
  readonly omittedDenied: number;
  /** Findings about cluster-scoped objects, which no node stands for. */
  readonly findings: readonly AnalysisMessage[];
}

/** Options of {@link meshGraph}. */
export interface MeshGraphOptions {
  /** The mesh root namespace. @default 'istio-system' */
  readonly rootNamespace?: string;
  /** At most this many denied calls are drawn (the rest are counted in `omittedDenied`). @default 1000 */
  readonly maxDeniedEdges?: number;
}

/** Builds the graph of a set of manifests (where an object appears twice, the later counts). */
export function meshGraph(inputs: readonly (AnalysisInput | Doc)[], options: MeshGraphOptions = {}): MeshGraph {
  const root = options.rootNamespace ?? 'istio-system';
  const asInputs = inputs.map(i => (isInput(i) ? i : { doc: i }));
  const index = MeshIndex.ofLatest(asInputs, root);
  const docs = index.resources.map(r => r.doc);
  const builder = new GraphBuilder(index);
  builder.addResources();
  builder.addRoutes();
  const omittedDenied = builder.addAccess(docs, root, options.maxDeniedEdges ?? 1000);
  const findings = builder.attachFindings(analyze(asInputs, { rootNamespace: root }));
  const namespaces = [...index.namespaces].sort((a, b) => (a === root ? -1 : b === root ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(name => ({ name, mtls: mtlsMode(index, name, root), findings: builder.namespaceFindings(name) }));
  return { namespaces, nodes: builder.sortedNodes(), edges: builder.sortedEdges(), omittedDenied, findings };
}

interface MutableNode extends Omit<GraphNode, 'findings' | 'open' | 'missing'> {
  findings: AnalysisMessage[];
  open: boolean;
  missing: boolean;
}

/** Collects nodes and edges, keyed so that each appears once. */
class GraphBuilder {
  private readonly nodes = new Map<string, MutableNode>();
  private readonly edges = new Map<string, { kind: 'route' | 'access'; from: string; to: string; labels: string[]; allowed: boolean }>();
  private readonly nsFindings = new Map<string, AnalysisMessage[]>();
  /** Per service node: subset name → version node. */
  private readonly subsetNodes = new Map<string, Map<string, string>>();
  /** Resource identity (kind/ns/name) → the node its findings go to. */
  private readonly owners = new Map<string, string>();

  constructor(private readonly index: MeshIndex) {}

  /** Gateways, services with their versions (pods and DestinationRule subsets), ServiceEntry hosts, unserved workloads. */
  public addResources(): void {
    for (const gw of this.index.gateways()) {
      const servers = list(gw.spec.servers).map(s => `${s.port?.protocol ?? '?'} ${s.port?.number ?? '?'}: ${strings(s.hosts).join(', ')}`);
      const id = `gw:${gw.namespace}/${gw.name}`;
      this.own(gw, this.node({ id, kind: 'gateway', namespace: gw.namespace, label: gw.name, details: servers }));
    }
    for (const svc of this.index.services()) {
      const id = `svc:${svc.namespace}/${svc.name}`;
      const ports = list(svc.spec.ports).map(p => `${p.name ?? 'port'} ${p.port}`);
      this.own(svc, this.node({ id, kind: 'service', namespace: svc.namespace, label: svc.name, details: ports }));
      const subsets = new Map<string, string>();
      this.subsetNodes.set(id, subsets);
      const selector = svc.spec.selector;
      const pods = selector && Object.keys(selector).length > 0 ? this.index.selectedWorkloads(svc.namespace, selector) : [];
      for (const w of pods) {
        const version = w.labels.version;
        const owner = version === undefined ? id : this.version(id, svc.namespace, svc.name, version, false);
        if (version !== undefined) subsets.set(version, owner);
        this.own(w.resource, owner);
      }
      const fqdn = `${svc.name}.${svc.namespace}.svc.cluster.local`;
      for (const dr of this.index.destinationRulesFor(fqdn, svc.namespace)) {
        this.own(dr, id);
        for (const subset of list(dr.spec.subsets)) {
          if (typeof subset.name !== 'string') continue;
          const labels: Record<string, string> = { ...selector, ...subset.labels };
          const carried = pods.find(w => selects(labels, w.labels));
          const existing = carried?.labels.version !== undefined ? subsets.get(carried.labels.version) : undefined;
          subsets.set(subset.name, existing ?? this.version(id, svc.namespace, svc.name, subset.name, carried === undefined));
        }
      }
    }
    for (const se of this.index.serviceEntries()) {
      for (const host of strings(se.spec.hosts)) this.own(se, this.external(host, se.namespace, false));
    }
    for (const w of this.index.allWorkloads()) {
      if (this.owners.has(ownerKey(w.resource))) continue;
      const app = w.labels.app ?? w.resource.name;
      const ns = w.resource.namespace;
      this.own(w.resource, this.node({ id: `wl:${ns}/${app}`, kind: 'workload', namespace: ns, label: app, details: [] }));
    }
  }

  /** One edge per (source, target) of every VirtualService rule, labelled with each rule that makes it. */
  public addRoutes(): void {
    for (const vs of this.index.virtualServices()) {
      const ns = vs.namespace;
      const spec = vs.spec as Doc;
      const gateways = strings(spec.gateways).length > 0 ? strings(spec.gateways) : ['mesh'];
      const hostNodes = strings(spec.hosts).map(h => this.hostNode(h, ns)).filter((n): n is string => n !== undefined);
      const sources = gateways.flatMap(g => {
        if (g === 'mesh') return hostNodes;
        const gw = this.index.gateway(g, ns);
        return gw ? [`gw:${gw.namespace}/${gw.name}`] : [];
      });
      if (hostNodes[0] !== undefined) this.own(vs, hostNodes[0]);
      else if (sources[0] !== undefined) this.own(vs, sources[0]);
      for (const [protocol, rules] of [['http', spec.http], ['tls', spec.tls], ['tcp', spec.tcp]] as const) {
        for (const rule of list(rules)) {
          const conditions = ruleLabel(protocol, rule);
          const routes = list(rule.route);
          for (const route of routes) {
            const d = route.destination ?? {};
            if (typeof d.host !== 'string') continue;
            const target = this.destinationNode(d.host, typeof d.subset === 'string' ? d.subset : undefined, ns);
            const weight = routes.length > 1 || (typeof route.weight === 'number' && route.weight < 100) ? `${route.weight ?? 0}%` : '';
            const label = [conditions, weight].filter(Boolean).join(' · ') || 'all';
            for (const from of sources) if (from !== target) this.edge('route', from, target, label, true);
          }
          if (isObject(rule.mirror) && typeof rule.mirror.host === 'string') {
            const target = this.destinationNode(rule.mirror.host, rule.mirror.subset, ns);
            for (const from of sources) this.edge('route', from, target, `mirror${conditions ? ` · ${conditions}` : ''}`, true);
          }
        }
      }
    }
  }

  /**
   * Access edges of the workloads some policy restricts: allowed calls, and denied ones (greyed)
   * from callers of the same namespace and from the ingress gateway, up to `maxDenied`; returns how
   * many of those were left out. Workloads every caller may call are marked open instead of drawn
   * with an edge from everyone.
   */
  public addAccess(docs: readonly Doc[], root: string, maxDenied: number): number {
    const gateways = this.index.gateways().filter(g => selects(g.spec.selector as Labels | undefined, INGRESS_GATEWAY_CALLER.podLabels[0]));
    const nodesOf = (w: MatrixWorkload) => (w.id === INGRESS_GATEWAY_CALLER.id
      ? gateways.map(g => `gw:${g.namespace}/${g.name}`)
      : [this.nodes.has(`svc:${w.id}`) ? `svc:${w.id}` : `wl:${w.id}`].filter(id => this.nodes.has(id)));
    const { callers, targets } = accessOfWorkloads(docs, root);
    const order = new Map(callers.map((c, i) => [c, i]));
    const byNamespace = new Map<string, MatrixWorkload[]>();
    for (const c of callers) push(byNamespace, c.namespace, c);
    let denied = 0;
    for (const { target, named, others } of targets) {
      const [to] = nodesOf(target);
      if (to === undefined) continue;
      if ((others === undefined || others.access === 'all') && [...named.values()].every(cell => cell.access === 'all')) {
        this.nodes.get(to)!.open = true;
        continue;
      }
      // When the callers no rule names are denied, only the named ones, those of the same namespace and the ingress gateway draw edges.
      const drawn = others !== undefined && others.access !== 'none' ? callers
        : [...new Set([...named.keys(), ...byNamespace.get(target.namespace) ?? [], INGRESS_GATEWAY_CALLER])]
          .sort((a, b) => order.get(a)! - order.get(b)!);
      for (const caller of drawn) {
        const cell = named.get(caller) ?? others!;
        if (caller.id === target.id) continue;
        if (cell.access === 'none' && caller.namespace !== target.namespace && caller.id !== INGRESS_GATEWAY_CALLER.id) continue;
        const label = cell.access === 'some' ? cell.operations.join(' | ') : cell.access === 'all' ? 'any' : 'denied';
        const extra = [cell.denied.length > 0 && `deny ${cell.denied.join(' | ')}`, cell.conditional.length > 0 && 'conditional']
          .filter(Boolean);
        for (const from of nodesOf(caller)) {
          if (cell.access === 'none' && ++denied > maxDenied) continue;
          this.edge('access', from, to, [label, ...extra].join(' · '), cell.access !== 'none');
        }
      }
    }
    return Math.max(0, denied - maxDenied);
  }

  /** Puts each finding on the node of its resource (or its namespace); returns those of cluster-scoped objects. */
  public attachFindings(messages: readonly AnalysisMessage[]): AnalysisMessage[] {
    const unattached: AnalysisMessage[] = [];
    for (const m of messages) {
      const owner = this.owners.get(`${m.resource.kind}/${m.resource.namespace ?? ''}/${m.resource.name}`);
      if (owner !== undefined) this.nodes.get(owner)!.findings.push(m);
      else if (m.resource.namespace) push(this.nsFindings, m.resource.namespace, m);
      else if (m.resource.kind === 'Namespace') push(this.nsFindings, m.resource.name, m);
      else unattached.push(m);
    }
    return unattached;
  }

  /** The findings about a namespace and its objects that no node stands for. */
  public namespaceFindings(namespace: string): AnalysisMessage[] {
    return this.nsFindings.get(namespace) ?? [];
  }

  /** The nodes, sorted by id. */
  public sortedNodes(): GraphNode[] {
    return [...this.nodes.values()].sort((a, b) => compare(a.id, b.id));
  }

  /** The edges: routes first, each kind by source then target. */
  public sortedEdges(): GraphEdge[] {
    const rank = (e: GraphEdge) => (e.kind === 'route' ? 0 : 1);
    return [...this.edges.values()].sort((a, b) => rank(a) - rank(b) || compare(a.from, b.from) || compare(a.to, b.to));
  }

  private node(n: Omit<MutableNode, 'findings' | 'open' | 'missing'> & { missing?: boolean }): string {
    if (!this.nodes.has(n.id)) this.nodes.set(n.id, { ...n, missing: n.missing ?? false, findings: [], open: false });
    return n.id;
  }

  private version(service: string, namespace: string, name: string, version: string, missing: boolean): string {
    const id = `ver:${namespace}/${name}/${version}`;
    return this.node({ id, kind: 'version', namespace, label: version, details: [], parent: service, missing });
  }

  private external(host: string, namespace: string, missing: boolean): string {
    return this.node({ id: `ext:${host}`, kind: 'external', namespace, label: host, details: missing ? ['not defined'] : [], missing });
  }

  /** The service or external node of a host as a VirtualService in `namespace` names it; undefined for `*`. */
  private hostNode(host: string, namespace: string): string | undefined {
    if (host === '*') return undefined;
    const fqdn = qualifyHost(host, namespace);
    const svc = this.index.service(fqdn);
    if (svc) return `svc:${svc.namespace}/${svc.name}`;
    return this.nodes.has(`ext:${host}`) ? `ext:${host}` : undefined;
  }

  private destinationNode(host: string, subset: string | undefined, namespace: string): string {
    const node = this.hostNode(host, namespace) ?? this.external(host, namespace, true);
    if (subset === undefined) return node;
    return this.subsetNodes.get(node)?.get(subset) ?? node;
  }

  private edge(kind: 'route' | 'access', from: string, to: string, label: string, allowed: boolean): void {
    const key = `${kind}\u0000${from}\u0000${to}`;
    const edge = this.edges.get(key);
    if (edge === undefined) this.edges.set(key, { kind, from, to, labels: [label], allowed });
    else if (!edge.labels.includes(label)) edge.labels.push(label);
  }

  private own(resource: Resource, node: string): string {
    if (!this.owners.has(ownerKey(resource))) this.owners.set(ownerKey(resource), node);
    return node;
  }
}

/**
 * The access of every workload, by target, with the ingress gateway and every workload of the mesh
 * as callers: targets and callers by namespace (in the manifests' order within one).
 */
function accessOfWorkloads(docs: readonly Doc[], root: string): { callers: MatrixWorkload[]; targets: TargetAccess[] } {
  const input = docs.filter(d => d.kind === 'Deployment' || d.kind === 'AuthorizationPolicy');
  const { targets } = accessByTarget(input, { rootNamespace: root, extraCallers: [INGRESS_GATEWAY_CALLER] });
  const sorted = [...targets].sort((a, b) => compare(a.target.namespace, b.target.namespace));
  return { callers: [INGRESS_GATEWAY_CALLER, ...sorted.map(t => t.target)], targets: sorted };
}

/** The mTLS mode of a namespace's workloads: its namespace-wide PeerAuthentication, else the mesh-wide one. */
function mtlsMode(index: MeshIndex, namespace: string, root: string): string {
  const wide = (ns: string) => index.peerAuthentications().find(p => p.namespace === ns && !p.spec.selector);
  const own = wide(namespace);
  if (own) return own.spec.mtls?.mode ?? 'PERMISSIVE';
  const mesh = wide(root);
  return mesh ? `${mesh.spec.mtls?.mode ?? 'PERMISSIVE'} (mesh-wide)` : 'PERMISSIVE (default)';
}

/** A rule's conditions in a few words: `uri /productpage | /static*`, `end-user=jason`, `port 80`, `delay 7s`. */
function ruleLabel(protocol: 'http' | 'tls' | 'tcp', rule: Doc): string {
  const matches = list(rule.match).map(m => {
    const parts: string[] = [];
    if (isObject(m.uri)) parts.push(stringMatch(m.uri));
    if (isObject(m.method)) parts.push(stringMatch(m.method));
    const named = (prefix: string, map: unknown) => Object.entries(isObject(map) ? map : {})
      .map(([name, value]) => `${prefix}${name}${isObject(value) ? stringMatch(value, '=') : ''}`);
    parts.push(...named('', m.headers), ...named('?', m.queryParams));
    if (typeof m.port === 'number') parts.push(`port ${m.port}`);
    if (strings(m.sniHosts).length > 0) parts.push(`sni ${strings(m.sniHosts).join(',')}`);
    if (isObject(m.sourceLabels)) parts.push(`from ${Object.entries(m.sourceLabels).map(([k, v]) => `${k}=${v}`).join(',')}`);
    if (typeof m.sourceNamespace === 'string') parts.push(`from ns ${m.sourceNamespace}`);
    return parts.join(' ');
  }).filter(Boolean);
  const fault = isObject(rule.fault) ? rule.fault : {};
  const effects = [
    isObject(fault.delay) && `delay ${fault.delay.fixedDelay ?? '?'}`,
    isObject(fault.abort) && `abort ${fault.abort.httpStatus ?? fault.abort.grpcStatus ?? '?'}`,
    typeof rule.timeout === 'string' && `timeout ${rule.timeout}`,
    isObject(rule.rewrite) && `rewrite ${rule.rewrite.uri ?? rule.rewrite.authority ?? ''}`.trim(),
  ].filter((e): e is string => typeof e === 'string');
  return [protocol === 'http' ? '' : protocol, matches.join(' | '), ...effects].filter(Boolean).join(' · ');
}

/** An Istio StringMatch in a few characters: `/a` exact, `/a*` prefix, `~re` regex. */
function stringMatch(m: Doc, exactPrefix = ''): string {
  if (typeof m.exact === 'string') return `${exactPrefix}${m.exact}`;
  if (typeof m.prefix === 'string') return `${exactPrefix}${m.prefix}*`;
  if (typeof m.regex === 'string') return `~${m.regex}`;
  return '';
}

function ownerKey(r: Resource): string {
  return `${r.kind}/${r.namespace}/${r.name}`;
}

function isInput(i: AnalysisInput | Doc): i is AnalysisInput {
  return isObject(i) && isObject(i.doc) && typeof (i as Doc).kind !== 'string';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const existing = map.get(key);
  if (existing) existing.push(value);
  else map.set(key, [value]);
}

function list(value: unknown): Doc[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
