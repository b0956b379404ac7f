import { GATEWAY_API_ROUTE_KINDS, GroupKind, KINDS, WORKLOAD_KINDS, groupKindKey, splitApiVersion } from './group-kinds';
import { ResourceRef } from './messages';
import type { SchemaViolation } from './schema';
import { EnvoyFilterSpec, Labels, NoSpec, PodSpec, PolicySelectionSpec, ServiceSpec, SidecarSpec, TelemetrySpec } from './spec-types';
import type * as gatewayApi from '../../imports/gateway.networking.k8s.io';
import type * as networking from '../../imports/networking.istio.io';
import type * as security from '../../imports/security.istio.io';
import { hostMatches, qualifyHost } from '../core/hosts';

/** A plain Kubernetes object as read from YAML or produced by `chart.toJson()`. */
export type Doc = Record<string, any>;

/** A document to analyze, with where it came from. */
export interface AnalysisInput {
  /** The object. */
  readonly doc: Doc;
  /** The file and 1-based line it was read from. */
  readonly source?: { readonly file: string; readonly line: number };
  /** The construct path that produced it. */
  readonly constructPath?: string;
  /**
   * Its schema violations (`validateDocument(doc)`), when they are known already: the CLI checks
   * each document in the thread that parsed it. When unset, the analysis checks the document.
   */
  readonly violations?: readonly SchemaViolation[];
}

/** One object of the analyzed set, with its effective namespace. */
export interface Resource {
  /** The object as given (read it through a typed accessor of {@link MeshIndex} where one exists). */
  readonly doc: Doc;
  /** The apiVersion ('' when it is not a string). */
  readonly apiVersion: string;
  /** The API group ('' for the core group). */
  readonly group: string;
  /** The kind. */
  readonly kind: string;
  /** The name ('' when unset or not a string). */
  readonly name: string;
  /** The namespace (`default` when unset on a namespaced kind; '' for cluster-scoped kinds). */
  readonly namespace: string;
  /** The labels that are strings. */
  readonly labels: Labels;
  /** The annotations that are strings. */
  readonly annotations: Labels;
  /** The spec when it is an object ({} otherwise); typed by the accessors of {@link MeshIndex}. */
  readonly spec: unknown;
  /** How messages name it. */
  readonly ref: ResourceRef;
}

/** A resource of a kind the analyzers read, with its spec typed ({} when it has none). */
export interface TypedResource<S> extends Resource {
  /** The spec. */
  readonly spec: S;
}

/** A pod template of a workload (Deployment, StatefulSet, ...) or a Pod. */
export interface Workload {
  /** The workload resource. */
  readonly resource: Resource;
  /** The pod labels. */
  readonly labels: Labels;
  /** The pod spec. */
  readonly podSpec: PodSpec;
}

/**
 * A reference of a Gateway API object to another, as written (a route's parentRef or backendRef, a
 * mirror's backendRef, a ListenerSet's parentRef): group, kind and namespace may be absent, and
 * then take the API's defaults, which depend on the field.
 */
export interface GatewayApiReference {
  /** The API group of the referent. */
  readonly group?: string;
  /** The kind of the referent. */
  readonly kind?: string;
  /** The namespace of the referent (the referring object's when absent). */
  readonly namespace?: string;
  /** The name of the referent. */
  readonly name?: string;
  /** A listener of a parent Gateway, by name. */
  readonly sectionName?: string;
  /** A port of the referent. */
  readonly port?: number;
}

/** A filter of a Gateway API route rule or backendRef, as far as the analyzers read it. */
export interface GatewayApiRouteFilter {
  /** Mirrors requests to a backend. */
  readonly requestMirror?: { readonly backendRef?: GatewayApiReference };
}

/** A backendRef of a Gateway API route rule. */
export interface GatewayApiBackendRef extends GatewayApiReference {
  /** Its share of the rule's traffic, relative to the other backends' (default 1). */
  readonly weight?: number;
  /** Filters applied to requests sent to this backend. */
  readonly filters?: readonly GatewayApiRouteFilter[];
}

/** The fields every Gateway API route kind (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute) shares. */
export interface GatewayApiRouteSpec {
  /** The Gateways (or, for mesh routes, Services) the route attaches to. */
  readonly parentRefs?: readonly GatewayApiReference[];
  /** Its rules. */
  readonly rules?: readonly {
    /** The rule's name, unique within the route when set. */
    readonly name?: string;
    /** Where the rule sends traffic. */
    readonly backendRefs?: readonly GatewayApiBackendRef[];
    /** The rule's filters. */
    readonly filters?: readonly GatewayApiRouteFilter[];
  }[];
}

/** The spec of a Gateway API ReferenceGrant. */
export interface ReferenceGrantSpec {
  /** The objects, by group, kind and namespace, that may refer to objects of the grant's namespace. */
  readonly from?: readonly { readonly group?: string; readonly kind?: string; readonly namespace?: string }[];
  /** The objects of the grant's namespace, by group, kind and (optionally) name, they may refer to. */
  readonly to?: readonly { readonly group?: string; readonly kind?: string; readonly name?: string }[];
}

/** The spec of a Gateway API ListenerSet. */
export interface ListenerSetSpec {
  /** The Gateway its listeners join. */
  readonly parentRef?: GatewayApiReference;
  /** Its listeners (shaped as a Gateway's). */
  readonly listeners?: readonly gatewayApi.GatewaySpecListeners[];
}

/** Cluster-scoped kinds, by group then kind (looked up for every resource: no key string built). */
const CLUSTER_SCOPED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['', new Set(['Namespace', 'PersistentVolume', 'Node'])],
  ['rbac.authorization.k8s.io', new Set(['ClusterRole', 'ClusterRoleBinding'])],
  ['apiextensions.k8s.io', new Set(['CustomResourceDefinition'])],
  ['admissionregistration.k8s.io', new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'])],
  ['storage.k8s.io', new Set(['StorageClass'])],
  ['scheduling.k8s.io', new Set(['PriorityClass'])],
  ['networking.k8s.io', new Set(['IngressClass'])],
  ['gateway.networking.k8s.io', new Set(['GatewayClass'])],
]);

/**
 * Resources by identity (API group, kind, namespace, name) in nested maps, so that filing one
 * builds no key string: an index files hundreds of thousands.
 */
class IdentityTable {
  private readonly groups = new Map<string, Map<string, Map<string, Map<string, Resource>>>>();

  /** The resource of an identity. */
  public get(group: string, kind: string, namespace: string, name: string): Resource | undefined {
    return this.groups.get(group)?.get(kind)?.get(namespace)?.get(name);
  }

  /** Files `r` under its identity; returns the resource it replaces there, if any. */
  public set(r: Resource): Resource | undefined {
    let kinds = this.groups.get(r.group);
    if (kinds === undefined) this.groups.set(r.group, kinds = new Map());
    let namespaces = kinds.get(r.kind);
    if (namespaces === undefined) kinds.set(r.kind, namespaces = new Map());
    let names = namespaces.get(r.namespace);
    if (names === undefined) namespaces.set(r.namespace, names = new Map());
    const earlier = names.get(r.name);
    names.set(r.name, r);
    return earlier;
  }
}

/** The schema violations given with the input of a resource of an index ({@link AnalysisInput.violations}), if any. */
export function givenViolations(resource: Resource): readonly SchemaViolation[] | undefined {
  return resource instanceof IndexedResource ? resource.input.violations : undefined;
}

export { hostMatches };

/** The lookup tables of an index, built on first use. */
interface Lookups {
  readonly namespaces: ReadonlySet<string>;
  readonly services: ReadonlyMap<string, TypedResource<ServiceSpec>>;
  readonly entryHosts: readonly { readonly host: string; readonly resource: TypedResource<networking.ServiceEntrySpec> }[];
  readonly entryExact: ReadonlyMap<string, TypedResource<networking.ServiceEntrySpec>[]>;
  readonly rulesByHost: ReadonlyMap<string, TypedResource<networking.DestinationRuleSpec>[]>;
  readonly wildcardRules: readonly TypedResource<networking.DestinationRuleSpec>[];
  readonly workloadsByNs: ReadonlyMap<string, Workload[]>;
  readonly workloadsByLabel: ReadonlyMap<string, Workload[]>;
}

/**
 * Everything the analyzers look up, indexed once by API group and kind, namespace/name and host,
 * so each check is a lookup rather than a scan over all resources: analysis grows linearly with
 * the mesh. The typed accessors (`virtualServices()`, `gateways()`, ...) return the resources of
 * one group and kind in a version that group serves, with their spec typed.
 */
export class MeshIndex {
  /** Builds the index of a set of documents (objects without a string kind are left out). */
  public static of(inputs: readonly AnalysisInput[], rootNamespace = 'istio-system'): MeshIndex {
    return new MeshIndex(inputs.filter(isKubernetesInput).map(input => new IndexedResource(input)), rootNamespace);
  }

  /**
   * The index of the objects that count when `inputs` are applied in order: one per identity (API
   * group, kind, namespace, name), the later replacing the earlier, in the order of their last
   * appearance — `MeshIndex.of(latestOfEach(inputs))`, with each identity worked out once.
   */
  public static ofLatest(inputs: readonly AnalysisInput[], rootNamespace = 'istio-system'): MeshIndex {
    const byName = new IdentityTable();
    const all: Resource[] = [];
    const replaced = new Set<Resource>();
    for (const input of inputs) {
      if (!isKubernetesInput(input)) continue;
      const r = new IndexedResource(input);
      const earlier = byName.set(r);
      if (earlier !== undefined) replaced.add(earlier);
      all.push(r);
    }
    // Each identity's last resource stays where it is: the order of last appearance.
    return new MeshIndex(replaced.size === 0 ? all : all.filter(r => !replaced.has(r)), rootNamespace, byName);
  }

  private readonly byKind = new Map<string, Resource[]>();
  private readonly byName: IdentityTable;
  private readonly typedByKind = new Map<GroupKind, Resource[]>();
  private lookupTables?: Lookups;
  private anyNamespaceLabels?: Map<string, Workload[]>;
  private servicesBySelectorLabel?: Map<string, TypedResource<ServiceSpec>[]>;

  private constructor(
    /** Every resource, in input order. */
    public readonly resources: readonly Resource[],
    /** The mesh root namespace. */
    public readonly rootNamespace: string,
    /** The resources by identity, when the caller has built it already. */
    byName?: IdentityTable,
  ) {
    this.byName = byName ?? new IdentityTable();
    // Group and kind repeat across thousands of resources: one key string (and one list) per pair.
    const lists = new Map<string, Map<string, Resource[]>>();
    for (const r of resources) {
      let byKind = lists.get(r.group);
      if (byKind === undefined) lists.set(r.group, byKind = new Map());
      let ofKind = byKind.get(r.kind);
      if (ofKind === undefined) {
        byKind.set(r.kind, ofKind = []);
        this.byKind.set(groupKindKey(r.group, r.kind), ofKind);
      }
      ofKind.push(r);
      if (byName === undefined) this.byName.set(r);
    }
  }

  /** The same index without some of its resources (e.g. those that break their schema). */
  public without(excluded: ReadonlySet<Resource>): MeshIndex {
    return excluded.size === 0 ? this : new MeshIndex(this.resources.filter(r => !excluded.has(r)), this.rootNamespace);
  }

  /** Namespaces that appear in the set (declared or holding resources). */
  public get namespaces(): ReadonlySet<string> {
    return this.lookups.namespaces;
  }

  /** Resources of a group and kind, in any version. */
  public ofKind(kind: GroupKind): readonly Resource[] {
    return this.byKind.get(groupKindKey(kind.group, kind.kind)) ?? [];
  }

  /** The resource of a group and kind by namespace ('' for cluster-scoped kinds) and name. */
  public find(kind: GroupKind, namespace: string, name: string): Resource | undefined {
    return this.byName.get(kind.group, kind.kind, namespace, name);
  }

  /** Istio Gateways. */
  public gateways(): readonly TypedResource<networking.GatewaySpec>[] {
    return this.typed(KINDS.Gateway);
  }

  /** Istio VirtualServices. */
  public virtualServices(): readonly TypedResource<networking.VirtualServiceSpec>[] {
    return this.typed(KINDS.VirtualService);
  }

  /** Istio DestinationRules. */
  public destinationRules(): readonly TypedResource<networking.DestinationRuleSpec>[] {
    return this.typed(KINDS.DestinationRule);
  }

  /** Istio ServiceEntries. */
  public serviceEntries(): readonly TypedResource<networking.ServiceEntrySpec>[] {
    return this.typed(KINDS.ServiceEntry);
  }

  /** Istio PeerAuthentications. */
  public peerAuthentications(): readonly TypedResource<security.PeerAuthenticationSpec>[] {
    return this.typed(KINDS.PeerAuthentication);
  }

  /** Istio AuthorizationPolicies. */
  public authorizationPolicies(): readonly TypedResource<security.AuthorizationPolicySpec>[] {
    return this.typed(KINDS.AuthorizationPolicy);
  }

  /** Istio Telemetries. */
  public telemetries(): readonly TypedResource<TelemetrySpec>[] {
    return this.typed(KINDS.Telemetry);
  }

  /** Kubernetes Namespaces. */
  public namespaceResources(): readonly TypedResource<NoSpec>[] {
    return this.typed(KINDS.Namespace);
  }

  /** Kubernetes Services. */
  public services(): readonly TypedResource<ServiceSpec>[] {
    return this.typed(KINDS.Service);
  }

  /** Kubernetes ServiceAccounts. */
  public serviceAccounts(): readonly TypedResource<NoSpec>[] {
    return this.typed(KINDS.ServiceAccount);
  }

  /** The Kubernetes Service behind a fully qualified `<name>.<ns>.svc.cluster.local` host. */
  public service(fqdn: string): TypedResource<ServiceSpec> | undefined {
    return this.lookups.services.get(fqdn);
  }

  /** Whether a host (fully qualified) is in the service registry as seen from `namespace`. */
  public hostKnown(fqdn: string, namespace: string): boolean {
    const { services, entryExact, entryHosts } = this.lookups;
    const service = services.get(fqdn);
    if (service && serviceVisibleFrom(service, namespace)) return true;
    if ((entryExact.get(fqdn) ?? []).some(se => visibleFrom(se, namespace))) return true;
    return entryHosts.some(e => hostMatches(e.host, fqdn) && visibleFrom(e.resource, namespace));
  }

  /** The ports a host (fully qualified) exposes: its Service's, or its ServiceEntries', as seen from `namespace`. */
  public hostPorts(fqdn: string, namespace: string): number[] | undefined {
    const { services, entryExact, entryHosts } = this.lookups;
    const service = services.get(fqdn);
    if (service) return list(service.spec.ports).map(p => p.port);
    const entries = [...(entryExact.get(fqdn) ?? []), ...entryHosts.filter(e => hostMatches(e.host, fqdn)).map(e => e.resource)]
      .filter(se => visibleFrom(se, namespace));
    if (entries.length === 0) return undefined;
    return [...new Set(entries.flatMap(se => list(se.spec.ports).map(p => p.number)))];
  }

  /** DestinationRules that apply to a host for clients in `namespace` (exact host first, then wildcards). */
  public destinationRulesFor(fqdn: string, namespace: string): TypedResource<networking.DestinationRuleSpec>[] {
    const { rulesByHost, wildcardRules } = this.lookups;
    const exact = (rulesByHost.get(fqdn) ?? []).filter(r => visibleFrom(r, namespace));
    const wild = wildcardRules.filter(r => hostMatches(r.spec.host, fqdn) && visibleFrom(r, namespace));
    return [...exact, ...wild];
  }

  /** The Istio Gateway a VirtualService in `namespace` names (`<name>` or `<namespace>/<name>`). */
  public gateway(reference: string, namespace: string): TypedResource<networking.GatewaySpec> | undefined {
    const [ns, name] = gatewayReference(reference, namespace);
    const found = this.find(KINDS.Gateway, ns, name);
    return found && served(found, KINDS.Gateway) ? found as TypedResource<networking.GatewaySpec> : undefined;
  }

  /** Pod templates in a namespace. */
  public workloads(namespace: string): readonly Workload[] {
    return this.lookups.workloadsByNs.get(namespace) ?? [];
  }

  /**
   * Pod templates in a namespace whose labels carry every label of `selector` (all of them for an
   * empty selector), found through a label index rather than a scan of the namespace.
   */
  public selectedWorkloads(namespace: string, selector: Labels | undefined): readonly Workload[] {
    const entries = Object.entries(selector ?? {});
    if (entries.length === 0) return this.workloads(namespace);
    const byLabel = this.lookups.workloadsByLabel;
    const candidates = entries.map(([k, v]) => byLabel.get(labelKey(namespace, k, v)) ?? [])
      .reduce((a, b) => (b.length < a.length ? b : a));
    return candidates.filter(w => selects(selector, w.labels));
  }

  /** Every pod template. */
  public allWorkloads(): Workload[] {
    return [...this.lookups.workloadsByNs.values()].flat();
  }

  /** Resources of a group and kind in a served version, with their spec typed as `S`. */
  private typed<S>(kind: GroupKind): readonly TypedResource<S>[] {
    let out = this.typedByKind.get(kind);
    if (!out) this.typedByKind.set(kind, out = this.ofKind(kind).filter(r => served(r, kind)));
    return out as TypedResource<S>[];
  }

  private get lookups(): Lookups {
    return this.lookupTables ?? (this.lookupTables = this.buildLookups());
  }

  private buildLookups(): Lookups {
    const namespaces = new Set<string>();
    for (const r of this.resources) {
      if (r.group === '' && r.kind === 'Namespace') namespaces.add(r.name);
      else if (r.namespace) namespaces.add(r.namespace);
    }
    const services = new Map(this.services().map(s => [`${s.name}.${s.namespace}.svc.cluster.local`, s]));
    const entryHosts: { host: string; resource: TypedResource<networking.ServiceEntrySpec> }[] = [];
    const entryExact = new Map<string, TypedResource<networking.ServiceEntrySpec>[]>();
    for (const se of this.serviceEntries()) {
      for (const host of strings(se.spec.hosts)) {
        if (host.startsWith('*')) entryHosts.push({ host, resource: se });
        else push(entryExact, host, se);
      }
    }
    const rulesByHost = new Map<string, TypedResource<networking.DestinationRuleSpec>[]>();
    const wildcardRules: TypedResource<networking.DestinationRuleSpec>[] = [];
    for (const dr of this.destinationRules()) {
      const host: unknown = dr.spec.host;
      if (typeof host !== 'string') continue;
      if (host.includes('*')) wildcardRules.push(dr);
      else push(rulesByHost, qualifyHost(host, dr.namespace), dr);
    }
    const workloadsByNs = new Map<string, Workload[]>();
    const workloadsByLabel = new Map<string, Workload[]>();
    for (const kind of [KINDS.Pod, ...WORKLOAD_KINDS]) {
      for (const r of this.typed<Doc>(kind)) {
        const template: unknown = kind === KINDS.Pod ? r.doc : r.spec.template;
        if (!isObject(template)) continue;
        const workload = { resource: r, labels: stringMap(template.metadata?.labels), podSpec: podSpecOf(template.spec) };
        push(workloadsByNs, r.namespace, workload);
        for (const [k, v] of Object.entries(workload.labels)) push(workloadsByLabel, labelKey(r.namespace, k, v), workload);
      }
    }
    return { namespaces, services, entryHosts, entryExact, rulesByHost, wildcardRules, workloadsByNs, workloadsByLabel };
  }

  /** Istio Sidecars. */
  public sidecars(): readonly TypedResource<SidecarSpec>[] {
    return this.typed(KINDS.Sidecar);
  }

  /** Istio EnvoyFilters. */
  public envoyFilters(): readonly TypedResource<EnvoyFilterSpec>[] {
    return this.typed(KINDS.EnvoyFilter);
  }

  /** Istio RequestAuthentications. */
  public requestAuthentications(): readonly TypedResource<security.RequestAuthenticationSpec>[] {
    return this.typed(KINDS.RequestAuthentication);
  }

  /** Istio WasmPlugins (only their selection fields are typed). */
  public wasmPlugins(): readonly TypedResource<PolicySelectionSpec>[] {
    return this.typed(KINDS.WasmPlugin);
  }

  /** Kubernetes MutatingWebhookConfigurations, as plain documents. */
  public mutatingWebhookConfigurations(): readonly Resource[] {
    return this.typed(KINDS.MutatingWebhookConfiguration);
  }

  /**
   * Pod templates in any namespace whose labels carry every label of a non-empty `selector` (as an
   * Istio Gateway's selector picks its pods), found through a label index over all namespaces.
   */
  public selectedWorkloadsAnywhere(selector: Labels): readonly Workload[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return this.allWorkloads();
    if (this.anyNamespaceLabels === undefined) {
      this.anyNamespaceLabels = new Map();
      for (const w of this.allWorkloads()) for (const [k, v] of Object.entries(w.labels)) push(this.anyNamespaceLabels, `${k}=${v}`, w);
    }
    const byLabel = this.anyNamespaceLabels;
    const candidates = entries.map(([k, v]) => byLabel.get(`${k}=${v}`) ?? []).reduce((a, b) => (b.length < a.length ? b : a));
    return candidates.filter(w => selects(selector, w.labels));
  }

  /**
   * The Kubernetes Services of a workload's namespace whose (non-empty) selector matches its pod
   * labels, found through an index of the Services by one label of their selector.
   */
  public servicesOf(workload: Workload): readonly TypedResource<ServiceSpec>[] {
    if (this.servicesBySelectorLabel === undefined) {
      this.servicesBySelectorLabel = new Map();
      for (const s of this.services()) {
        const first = Object.entries(s.spec.selector ?? {})[0];
        if (first) push(this.servicesBySelectorLabel, labelKey(s.namespace, first[0], first[1]), s);
      }
    }
    const byLabel = this.servicesBySelectorLabel;
    const ns = workload.resource.namespace;
    return Object.entries(workload.labels).flatMap(([k, v]) => byLabel.get(labelKey(ns, k, v)) ?? [])
      .filter(s => selects(s.spec.selector, workload.labels));
  }

  /** Gateway API Gateways (not Istio's). */
  public gatewayApiGateways(): readonly TypedResource<gatewayApi.GatewaySpec>[] {
    return this.typed(KINDS.GatewayApiGateway);
  }

  /** The Gateway API Gateway of a namespace and name, in a served version. */
  public gatewayApiGateway(namespace: string, name: string): TypedResource<gatewayApi.GatewaySpec> | undefined {
    const found = this.find(KINDS.GatewayApiGateway, namespace, name);
    return found && served(found, KINDS.GatewayApiGateway) ? found as TypedResource<gatewayApi.GatewaySpec> : undefined;
  }

  /** Gateway API ListenerSets. */
  public listenerSets(): readonly TypedResource<ListenerSetSpec>[] {
    return this.typed(KINDS.ListenerSet);
  }

  /** Gateway API routes of every kind (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute), with the fields they share typed. */
  public gatewayApiRoutes(): readonly TypedResource<GatewayApiRouteSpec>[] {
    return GATEWAY_API_ROUTE_KINDS.flatMap(kind => this.typed<GatewayApiRouteSpec>(kind));
  }

  /** Gateway API ReferenceGrants. */
  public referenceGrants(): readonly TypedResource<ReferenceGrantSpec>[] {
    return this.typed(KINDS.ReferenceGrant);
  }
}

/** `<namespace>/<name>` or `<name>` (in `namespace`) as [namespace, name]. */
export function gatewayReference(reference: string, namespace: string): [string, string] {
  const slash = reference.indexOf('/');
  return slash < 0 ? [namespace, reference] : [reference.slice(0, slash), reference.slice(slash + 1)];
}

/** Whether a resource with `exportTo` is visible to clients in `namespace`. */
export function visibleFrom(resource: Resource, namespace: string): boolean {
  const exportTo = strings((resource.spec as { exportTo?: unknown }).exportTo);
  if (exportTo.length === 0 || exportTo.includes('*')) return true;
  return exportTo.some(e => (e === '.' ? resource.namespace === namespace : e === namespace));
}

/** Whether a Service is visible to `namespace` under its `networking.istio.io/exportTo` annotation. */
export function serviceVisibleFrom(service: Resource, namespace: string): boolean {
  const annotation = service.annotations['networking.istio.io/exportTo'];
  if (!annotation) return true;
  const exportTo = annotation.split(',').map(e => e.trim());
  return exportTo.includes('*') || exportTo.some(e => (e === '.' ? service.namespace === namespace : e === namespace));
}

/** Whether pod `labels` carry every label of `selector`. */
export function selects(selector: Labels | undefined, labels: Labels): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labelOf(labels, k) === v);
}

/** The value of label `key`, or undefined: own labels only (a key such as `constructor` is a label like any other). */
function labelOf(labels: Labels, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}

/**
 * Whether a Kubernetes label selector (`matchLabels` and `matchExpressions`) matches `labels`; an
 * empty selector matches everything.
 */
export function labelSelectorMatches(selector: Doc, labels: Labels): boolean {
  if (!selects(stringMap(selector.matchLabels), labels)) return false;
  return list(selector.matchExpressions as Doc[] | undefined).every(e => {
    const value = labelOf(labels, e.key as string);
    const values = strings(e.values);
    switch (e.operator) {
      case 'In': return value !== undefined && values.includes(value);
      case 'NotIn': return value === undefined || !values.includes(value);
      case 'Exists': return value !== undefined;
      case 'DoesNotExist': return value === undefined;
      default: return false;
    }
  });
}

/**
 * The identity of an object as the API server keys it: API group, kind, namespace (`default` when
 * unset on a namespaced kind) and name.
 */
export function identityOf(doc: Doc): string {
  const { group, kind, namespace, name } = identityParts(doc);
  return `${group}/${kind}/${namespace}/${name}`;
}

/** The elements of a value that is an array ([] otherwise). */
export function list<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/** The string elements of a value that is an array. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function identityParts(doc: Doc): { group: string; kind: string; namespace: string; name: string } {
  const metadata: unknown = isObject(doc) ? doc.metadata : undefined;
  const meta = isObject(metadata) ? metadata : NO_LABELS;
  const kind = isObject(doc) && typeof doc.kind === 'string' ? doc.kind : '';
  const group = isObject(doc) && typeof doc.apiVersion === 'string' ? splitApiVersion(doc.apiVersion).group : '';
  return { group, kind, namespace: namespaceOf(group, kind, meta), name: typeof meta.name === 'string' ? meta.name : '' };
}

/** The effective namespace of an object of `group` and `kind` with `metadata`: '' when cluster-scoped, `default` when unset. */
function namespaceOf(group: string, kind: string, metadata: Doc): string {
  if (CLUSTER_SCOPED.get(group)?.has(kind) === true) return '';
  return typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
}

/**
 * A {@link Resource} of an index: a class, so that its fields cost no closure or accessor per
 * object (an index holds hundreds of thousands); `ref` is built for the few a message is about.
 */
class IndexedResource implements Resource {
  public readonly doc: Doc;
  public readonly apiVersion: string;
  public readonly group: string;
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace: string;
  public readonly labels: Labels;
  public readonly annotations: Labels;
  public readonly spec: unknown;
  private builtRef: ResourceRef | undefined = undefined;

  constructor(public readonly input: AnalysisInput) {
    const doc = input.doc;
    this.doc = doc;
    this.apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
    this.group = splitApiVersion(this.apiVersion).group;
    this.kind = doc.kind;
    const metadata = isObject(doc.metadata) ? doc.metadata : NO_LABELS;
    this.name = typeof metadata.name === 'string' ? metadata.name : '';
    this.namespace = namespaceOf(this.group, this.kind, metadata);
    this.labels = stringMap(metadata.labels);
    this.annotations = stringMap(metadata.annotations);
    this.spec = isObject(doc.spec) ? doc.spec : NO_LABELS;
  }

  /** How messages name it. */
  public get ref(): ResourceRef {
    if (this.builtRef === undefined) {
      const { apiVersion, kind, name, namespace, input } = this;
      this.builtRef = {
        apiVersion,
        kind,
        name,
        ...(namespace && { namespace }),
        ...(input.source && { source: input.source }),
        ...(input.constructPath && { constructPath: input.constructPath }),
      };
    }
    return this.builtRef;
  }
}

function served(r: Resource, kind: GroupKind): boolean {
  return kind.versions.includes(splitApiVersion(r.apiVersion).version);
}

function podSpecOf(value: unknown): PodSpec {
  if (!isObject(value)) return {};
  return { ...value, containers: list(value.containers).filter(isObject) };
}

/** The entries of a map whose values are strings: the map itself when they all are (the usual case), without copying. */
export function stringMap(value: unknown): Labels {
  if (!isObject(value)) return NO_LABELS;
  for (const key in value) {
    if (typeof value[key] !== 'string') return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Labels;
  }
  return value as Labels;
}

/** The labels (or annotations, or spec) of an object that has none; shared, so never to be modified. */
const NO_LABELS: Labels = Object.freeze({});

function isKubernetesInput(input: AnalysisInput): boolean {
  return isObject(input?.doc) && typeof input.doc.kind === 'string';
}

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}=${value}`;
}


function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const existing = map.get(k);
  if (existing) existing.push(v);
  else map.set(k, [v]);
}
