import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { EgressGatewayRoute } from './egress-gateway';
import { ServiceEntry } from './service-entry';
import { namespaceOf } from '../core/namespace';
import { istioStringMatch } from '../core/string-match';
import { synthesisMemo } from '../core/synthesis-memo';
import type { IMeshWorkload } from '../core/workload-refs';
import { MeshService } from '../workload/mesh-service';

/**
 * What a Sidecar's derived egress hosts are made of (lib/mesh/sidecar.ts): the app's services,
 * ALLOW policies and mesh routes, read once per synthesis for all of its Sidecars.
 */
export interface MeshView {
  /** The app's MeshServices (the workloads whose Sidecars these are). */
  readonly meshServices: readonly MeshService[];
  /** The app's Kubernetes Services: the MeshServices', and any other ApiObject of kind Service. */
  readonly services: readonly ServiceRef[];
  /** The Services by fully qualified name. */
  readonly byFqdn: ReadonlyMap<string, ServiceRef>;
  /** The Services by namespace and selector label. */
  readonly byLabel: ServicesByLabel;
  /** The app's ServiceEntries. */
  readonly entries: readonly ServiceEntry[];
  /** The app's ALLOW AuthorizationPolicies (the library's and any other ApiObject of that kind), rendered: spec and namespace. */
  readonly policies: readonly { readonly spec: any; readonly namespace: string }[];
  /** The egress gateway routes. */
  readonly egressRoutes: readonly EgressGatewayRoute[];
  /** The mesh routes by the (fully qualified) host they take. */
  readonly routesByHost: ReadonlyMap<string, readonly MeshRoute[]>;
}

/** The {@link MeshView} of an app: made once while a synthesis runs. */
export function meshView(app: App): MeshView {
  return synthesisMemo(app, 'mesh-view', () => {
    const all = app.node.findAll();
    const objects = all.filter((c): c is ApiObject => c instanceof ApiObject);
    const rendered = (kind: string, group: string) => objects
      .filter(o => o.kind === kind && o.apiVersion.startsWith(group))
      .map(o => ({ doc: o.toJson(), namespace: o.metadata.namespace ?? namespaceOf(o) }));
    const services = rendered('Service', 'v1').map(({ doc, namespace }): ServiceRef => ({
      name: doc.metadata.name,
      namespace,
      fqdn: `${doc.metadata.name}.${namespace}.svc.cluster.local`,
      selectorLabels: doc.spec?.selector ?? {},
    }));
    const policies = rendered('AuthorizationPolicy', 'security.istio.io/')
      .map(({ doc, namespace }) => ({ spec: doc.spec ?? {}, namespace }))
      .filter(p => (p.spec.action ?? 'ALLOW') === 'ALLOW');
    const routesByHost = new Map<string, MeshRoute[]>();
    for (const r of all.filter((c): c is ApiObject => c instanceof ApiObject && MESH_ROUTE_KINDS.has(c.kind))) {
      const route = meshRoute(r.toJson(), namespaceOf(r));
      for (const host of route?.hosts ?? []) (routesByHost.get(host) ?? routesByHost.set(host, []).get(host)!).push(route!);
    }
    return {
      meshServices: all.filter((c): c is MeshService => c instanceof MeshService),
      services,
      byFqdn: new Map(services.map(s => [s.fqdn, s])),
      byLabel: new ServicesByLabel(services),
      entries: all.filter((c): c is ServiceEntry => c instanceof ServiceEntry),
      policies,
      egressRoutes: all.filter((c): c is EgressGatewayRoute => c instanceof EgressGatewayRoute),
      routesByHost,
    };
  });
}

/**
 * The hosts `workloads` (whose identities are `callers`) may call, as `<namespace>/<host>`: the
 * services no ALLOW policy applies to and those with an ALLOW rule admitting a caller, the
 * external hosts of the egress routes listing a workload, and the destinations of the mesh routes
 * of every host so called, followed on.
 *
 * @param root the mesh's root namespace, whose policies without targetRefs apply to every namespace
 */
export function calledHosts(
  view: MeshView, workloads: readonly IMeshWorkload[], callers: readonly PolicyCaller[], root: string,
): Set<string> {
  const called = new Set<string>();
  const pending: string[] = [];
  const add = (scopedName: string) => {
    if (called.has(scopedName)) return;
    called.add(scopedName);
    pending.push(scopedName.slice(scopedName.indexOf('/') + 1));
  };
  const addService = (s: ServiceRef) => add(`${s.namespace}/${s.fqdn}`);
  for (const policy of view.policies) {
    const admits = (policy.spec.rules ?? []).some((rule: any) => callers.some(c => ruleAdmits(rule, c)));
    if (admits) guardedBy(view, policy, root).forEach(addService);
  }
  openServices(view, root).forEach(addService);
  for (const route of view.egressRoutes) {
    if (route.callers.some(c => workloads.includes(c))) add(`${route.namespace}/${route.host}`);
  }
  // The mesh routes of a called host send its traffic on to their destinations (a Gateway API
  // route's are the version Services): follow them.
  for (let host = pending.pop(); host !== undefined; host = pending.pop()) {
    for (const route of view.routesByHost.get(host) ?? []) {
      route.destinations.forEach(d => add(scopedHost(d, view.byFqdn, view.entries)));
    }
  }
  return called;
}

/** The services an ALLOW policy applies to; a policy of the root namespace without targetRefs applies in every namespace. */
function guardedBy(view: MeshView, p: { spec: any; namespace: string }, root: string): ServiceRef[] {
  return policyServices(p.spec, view.byLabel, p.namespace === root && p.spec.targetRefs === undefined ? undefined : p.namespace);
}

/** The services no ALLOW policy applies to, which accept every caller (made once per synthesis and root namespace). */
function openServices(view: MeshView, root: string): ServiceRef[] {
  return synthesisMemo(view, `open:${root}`, () => {
    const guarded = new Set(view.policies.flatMap(p => guardedBy(view, p, root)));
    return view.services.filter(s => !guarded.has(s));
  });
}

/**
 * A workload that may call: its mTLS principals (in the mesh's trust domain and as `cluster.local`,
 * which Istio reads as the mesh's), its namespace and its ServiceAccounts (`<namespace>/<name>`);
 * no principals or ServiceAccounts for the workloads of a namespace the app declares none of.
 */
export interface PolicyCaller {
  readonly principals: readonly string[];
  readonly namespace: string;
  readonly serviceAccounts: readonly string[];
}

/**
 * Whether an ALLOW rule lets `caller` in: a rule with no `from` admits any caller, else one of its
 * sources must match the caller's principal, namespace and ServiceAccount where it names them
 * (Istio's `*`, `prefix*` and `*suffix` matches; `notPrincipals`, `notNamespaces` and
 * `notServiceAccounts` exclude; an empty list is not set, as for Istio). Request conditions (JWT
 * principals, IP blocks, `when`) cannot be decided here, so they do not exclude: the host is added.
 */
function ruleAdmits(rule: any, caller: PolicyCaller): boolean {
  const from: any[] = rule?.from ?? [];
  if (from.length === 0) return true;
  // a list that is empty is not set, as for Istio
  const given = (patterns: unknown): patterns is unknown[] => Array.isArray(patterns) && patterns.length > 0;
  const matches = (patterns: unknown, values: readonly string[]) => given(patterns)
    && patterns.some(p => typeof p === 'string' && values.some(v => istioStringMatch(p, v)));
  const fields = [['principals', 'notPrincipals', caller.principals], ['namespaces', 'notNamespaces', [caller.namespace]],
    ['serviceAccounts', 'notServiceAccounts', caller.serviceAccounts]] as const;
  return from.some(({ source = {} }) => fields.every(([field, negated, values]) =>
    (!given(source[field]) || matches(source[field], values)) && !matches(source[negated], values)));
}

/** A Kubernetes Service of the app: its name, namespace, fully qualified name and selector. */
export interface ServiceRef {
  readonly name: string;
  readonly namespace: string;
  readonly fqdn: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/** The Services of an app, found by namespace and by one label of their selector. */
export class ServicesByLabel {
  private readonly byKey = new Map<string, ServiceRef[]>();

  constructor(private readonly services: readonly ServiceRef[]) {
    for (const s of services) {
      this.push(`${s.namespace}\0`, s);
      for (const [k, v] of Object.entries(s.selectorLabels)) this.push(`${s.namespace}\0${k}=${v}`, s);
    }
  }

  /** The services of a namespace (every namespace when undefined) whose selector labels include `labels`. */
  public selected(labels: Record<string, string>, namespace?: string): ServiceRef[] {
    const [first] = Object.entries(labels);
    const key = `${namespace}\0${first ? `${first[0]}=${first[1]}` : ''}`;
    const candidates = namespace === undefined ? this.services : this.byKey.get(key) ?? [];
    return candidates.filter(s => Object.entries(labels).every(([k, v]) => s.selectorLabels[k] === v));
  }

  private push(key: string, s: ServiceRef): void {
    (this.byKey.get(key) ?? this.byKey.set(key, []).get(key)!).push(s);
  }
}

/**
 * The services an AuthorizationPolicy spec of `namespace` applies to (of every namespace for a
 * mesh-wide one, `namespace` undefined): those its `selector` selects (every one without it), or
 * with `targetRefs` the Services of its namespace it names (a policy attached to a Gateway guards
 * no service the workloads call).
 */
function policyServices(spec: any, services: ServicesByLabel, namespace: string | undefined): ServiceRef[] {
  if (Array.isArray(spec?.targetRefs)) {
    const named = new Set(spec.targetRefs.filter((r: any) => r?.kind === 'Service' && (r.group ?? '') === '').map((r: any) => r.name));
    return services.selected({}, namespace).filter(s => named.has(s.name));
  }
  return services.selected(spec?.selector?.matchLabels ?? {}, namespace);
}

/** The kinds whose objects route mesh traffic: Istio's VirtualService and the Gateway API routes. */
const MESH_ROUTE_KINDS = new Set(['VirtualService', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']);

/** A route of mesh traffic: the hosts it takes (fully qualified) and the hosts it sends them to. */
interface MeshRoute {
  readonly hosts: readonly string[];
  readonly destinations: readonly string[];
}

/**
 * The mesh route of a route document, or undefined when it routes no mesh traffic: a
 * VirtualService bound to `mesh` (or to no gateway), or a Gateway API route whose parents are
 * Services (GAMMA). Short hosts are qualified in the route's namespace.
 */
function meshRoute(doc: any, chartNamespace: string | undefined): MeshRoute | undefined {
  const namespace: string = doc.metadata?.namespace ?? chartNamespace ?? 'default';
  const qualify = (h: string, ns = namespace) => (h.includes('.') ? h : `${h}.${ns}.svc.cluster.local`);
  if (doc.kind === 'VirtualService') {
    const gateways: string[] = doc.spec?.gateways ?? [];
    if (gateways.length > 0 && !gateways.includes('mesh')) return undefined;
    const hosts: string[] = doc.spec?.hosts ?? [];
    return { hosts: hosts.map(h => qualify(h)), destinations: routeDestinations(doc.spec).map(h => qualify(h)) };
  }
  const isService = (ref: any) => ref?.kind === 'Service' && (ref.group ?? '') === '';
  const parents: any[] = (doc.spec?.parentRefs ?? []).filter(isService);
  if (parents.length === 0) return undefined;
  const backends: any[] = (doc.spec?.rules ?? []).flatMap((r: any) => r.backendRefs ?? [])
    .filter((b: any) => (b.kind ?? 'Service') === 'Service' && (b.group ?? '') === '' && typeof b.name === 'string');
  return {
    hosts: parents.map(p => qualify(p.name, p.namespace)),
    destinations: backends.map(b => qualify(b.name, b.namespace)),
  };
}

/** Every destination host of a VirtualService spec: HTTP, TCP and TLS routes, mirrors. */
function routeDestinations(spec: any): string[] {
  const of = (routes: any[] | undefined) => (routes ?? []).flatMap((r: any) => [
    ...(r.route ?? []).map((d: any) => d.destination?.host),
    r.mirror?.host,
    ...(r.mirrors ?? []).map((m: any) => m.destination?.host),
  ]);
  return [...of(spec?.http), ...of(spec?.tcp), ...of(spec?.tls)].filter((h): h is string => typeof h === 'string');
}

/** A host as a Sidecar names it: `<namespace>/<host>` of its Service or ServiceEntry, `*\/<host>` when the app defines neither. */
function scopedHost(host: string, services: ReadonlyMap<string, ServiceRef>, entries: readonly IConstruct[]): string {
  const service = services.get(host);
  if (service) return `${service.namespace}/${host}`;
  const fqdn = /^[^.]+\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  if (fqdn) return `${fqdn[1]}/${host}`;
  const entry = (entries as ServiceEntry[]).find(e => e.hosts.includes(host));
  return entry ? `${namespaceOf(entry)}/${host}` : `*/${host}`;
}
