import { qualifyHost } from '../core/hosts';
import { ResourceRef } from './messages';

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
   * Rendered by one of the library's constructs, whose output is typed and covered by the schema
   * tests: the schema check (IST0106) skips it at synth time, where it would cost the most.
   */
  readonly typed?: boolean;
}

/** One object of the analyzed set, with its effective namespace. */
export interface Resource {
  /** The object. */
  readonly doc: Doc;
  /** The kind. */
  readonly kind: string;
  /** The name. */
  readonly name: string;
  /** The namespace (`default` when unset on a namespaced kind; '' for cluster-scoped kinds). */
  readonly namespace: string;
  /** How messages name it. */
  readonly ref: ResourceRef;
  /** Rendered by a library construct (see {@link AnalysisInput.typed}). */
  readonly typed: boolean;
}

/** A pod template of a workload (Deployment, StatefulSet, ...) or a Pod. */
export interface Workload {
  /** The workload resource. */
  readonly resource: Resource;
  /** The pod labels. */
  readonly labels: Record<string, string>;
  /** The pod spec. */
  readonly podSpec: Doc;
}

const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass', 'Node',
]);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Whether `pattern` (a host, `*`, or `*.suffix`) matches `host` (which may itself be a wildcard). */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    return host.endsWith(suffix) && (host.startsWith('*.') ? host.slice(1).endsWith(suffix) : true);
  }
  return false;
}

/**
 * Everything the analyzers look up, indexed once (by kind, namespace/name, host), so each check is
 * a lookup rather than a scan over all resources: analysis grows linearly with the mesh.
 */
export class MeshIndex {
  /** Builds the index of a set of documents. */
  public static of(inputs: readonly AnalysisInput[], rootNamespace = 'istio-system'): MeshIndex {
    return new MeshIndex(inputs, rootNamespace);
  }

  /** Every resource, in input order. */
  public readonly resources: readonly Resource[];
  /** Namespaces that appear in the set (declared or holding resources). */
  public readonly namespaces: ReadonlySet<string>;

  private readonly kinds = new Map<string, Resource[]>();
  private readonly byName = new Map<string, Resource>();
  private readonly services = new Map<string, Resource>();
  private readonly entryHosts: { host: string; resource: Resource }[] = [];
  private readonly entryExact = new Map<string, Resource[]>();
  private readonly rulesByHost = new Map<string, Resource[]>();
  private readonly wildcardRules: Resource[] = [];
  private readonly workloadsByNs = new Map<string, Workload[]>();

  private constructor(inputs: readonly AnalysisInput[], public readonly rootNamespace: string) {
    this.resources = inputs.filter(i => i.doc && typeof i.doc.kind === 'string').map(i => toResource(i));
    const namespaces = new Set<string>();
    for (const r of this.resources) {
      push(this.kinds, r.kind, r);
      this.byName.set(key(r.kind, r.namespace, r.name), r);
      if (r.kind === 'Namespace') namespaces.add(r.name);
      else if (r.namespace) namespaces.add(r.namespace);
    }
    this.namespaces = namespaces;
    for (const s of this.ofKind('Service')) this.services.set(`${s.name}.${s.namespace}.svc.cluster.local`, s);
    for (const se of this.ofKind('ServiceEntry')) {
      for (const host of se.doc.spec?.hosts ?? []) {
        if (host.startsWith('*')) this.entryHosts.push({ host, resource: se });
        else push(this.entryExact, host, se);
      }
    }
    for (const dr of this.ofKind('DestinationRule')) {
      const host = dr.doc.spec?.host;
      if (typeof host !== 'string') continue;
      if (host.includes('*')) this.wildcardRules.push(dr);
      else push(this.rulesByHost, qualifyHost(host, dr.namespace), dr);
    }
    for (const r of this.resources) {
      const template = WORKLOAD_KINDS.has(r.kind) ? r.doc.spec?.template : r.kind === 'Pod' ? r.doc : undefined;
      if (template) push(this.workloadsByNs, r.namespace, { resource: r, labels: template.metadata?.labels ?? {}, podSpec: template.spec ?? {} });
    }
  }

  /** Resources of a kind. */
  public ofKind(kind: string): readonly Resource[] {
    return this.kinds.get(kind) ?? [];
  }

  /** The resource of a kind by namespace and name. */
  public find(kind: string, namespace: string, name: string): Resource | undefined {
    return this.byName.get(key(kind, namespace, name));
  }

  /** The Kubernetes Service behind a fully qualified `<name>.<ns>.svc.cluster.local` host. */
  public service(fqdn: string): Resource | undefined {
    return this.services.get(fqdn);
  }

  /** Whether a host (fully qualified) is in the service registry as seen from `namespace`. */
  public hostKnown(fqdn: string, namespace: string): boolean {
    const service = this.services.get(fqdn);
    if (service && serviceVisibleFrom(service, namespace)) return true;
    if ((this.entryExact.get(fqdn) ?? []).some(se => visibleFrom(se, namespace))) return true;
    return this.entryHosts.some(e => hostMatches(e.host, fqdn) && visibleFrom(e.resource, namespace));
  }

  /** The ports a host (fully qualified) exposes: its Service's, or its ServiceEntries', as seen from `namespace`. */
  public hostPorts(fqdn: string, namespace: string): number[] | undefined {
    const service = this.services.get(fqdn);
    if (service) return (service.doc.spec?.ports ?? []).map((p: { port: number }) => p.port);
    const entries = [...(this.entryExact.get(fqdn) ?? []), ...this.entryHosts.filter(e => hostMatches(e.host, fqdn)).map(e => e.resource)]
      .filter(se => visibleFrom(se, namespace));
    if (entries.length === 0) return undefined;
    return [...new Set(entries.flatMap(se => (se.doc.spec?.ports ?? []).map((p: { number: number }) => p.number)))];
  }

  /** DestinationRules that apply to a host for clients in `namespace` (exact host first, then wildcards). */
  public destinationRules(fqdn: string, namespace: string): Resource[] {
    const exact = (this.rulesByHost.get(fqdn) ?? []).filter(r => visibleFrom(r, namespace));
    const wild = this.wildcardRules.filter(r => hostMatches(r.doc.spec.host, fqdn) && visibleFrom(r, namespace));
    return [...exact, ...wild];
  }

  /** The Gateway a VirtualService in `namespace` names (`<name>` or `<namespace>/<name>`). */
  public gateway(reference: string, namespace: string): Resource | undefined {
    const [ns, name] = reference.includes('/') ? reference.split('/', 2) : [namespace, reference];
    return this.find('Gateway', ns, name);
  }

  /** Pod templates in a namespace. */
  public workloads(namespace: string): readonly Workload[] {
    return this.workloadsByNs.get(namespace) ?? [];
  }

  /** Every pod template. */
  public allWorkloads(): Workload[] {
    return [...this.workloadsByNs.values()].flat();
  }
}

/** Whether a resource with `exportTo` is visible to clients in `namespace`. */
export function visibleFrom(resource: Resource, namespace: string): boolean {
  const exportTo: string[] | undefined = resource.doc.spec?.exportTo;
  if (!exportTo || exportTo.length === 0 || exportTo.includes('*')) return true;
  return exportTo.some(e => (e === '.' ? resource.namespace === namespace : e === namespace));
}

/** Whether a Service is visible to `namespace` under its `networking.istio.io/exportTo` annotation. */
export function serviceVisibleFrom(service: Resource, namespace: string): boolean {
  const annotation: string | undefined = service.doc.metadata?.annotations?.['networking.istio.io/exportTo'];
  if (!annotation) return true;
  const exportTo = annotation.split(',').map(e => e.trim());
  return exportTo.includes('*') || exportTo.some(e => (e === '.' ? service.namespace === namespace : e === namespace));
}

/** Whether pod `labels` carry every label of `selector`. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

/**
 * The identity of an object as the API server keys it: API group, kind, namespace (`default` when
 * unset on a namespaced kind) and name.
 */
export function identityOf(doc: Doc): string {
  const kind: string = doc.kind;
  const namespace = CLUSTER_SCOPED.has(kind) ? '' : (doc.metadata?.namespace ?? 'default');
  const group = String(doc.apiVersion).includes('/') ? String(doc.apiVersion).split('/')[0] : '';
  return `${group}/${kind}/${namespace}/${doc.metadata?.name}`;
}

function toResource(input: AnalysisInput): Resource {
  const doc = input.doc;
  const kind: string = doc.kind;
  const namespace = CLUSTER_SCOPED.has(kind) ? '' : (doc.metadata?.namespace ?? 'default');
  const name: string = doc.metadata?.name ?? '';
  let ref: ResourceRef | undefined;
  return {
    doc, kind, name, namespace, typed: input.typed === true,
    // Built only for resources a message is about (most resources have none).
    get ref(): ResourceRef {
      return ref ?? (ref = {
        apiVersion: doc.apiVersion, kind, name,
        ...(namespace && { namespace }),
        ...(input.source && { source: input.source }),
        ...(input.constructPath && { constructPath: input.constructPath }),
      });
    },
  };
}

function key(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
