import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { EgressGatewayRoute } from './egress-gateway';
import { ServiceEntry } from './service-entry';
import * as L1 from '../../imports/networking.istio.io';
import { checkBooleans, checkList, checkProps } from '../core/check';
import { isDnsLabel } from '../core/dns';
import { MeshConfigError } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain, checkNamespaceName } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { registerLibraryConstruct } from '../core/registry';
import { trustDomainOf } from '../core/source-identities';
import { istioStringMatch } from '../core/string-match';
import type { IMeshWorkload } from '../core/workload-refs';
import { AuthorizationPolicy } from '../security/authorization-policy';
import { matchLabelsOf } from '../security/workload-selector';
import { MeshService } from '../workload/mesh-service';

/** Props of {@link Sidecar}. */
export interface SidecarProps {
  /**
   * The resource name.
   * @default 'default' for the namespace's Sidecar, the workload's name for a workload's
   */
  readonly name?: string;
  /**
   * The workload whose sidecars this configures.
   * @default every workload of the chart's namespace
   */
  readonly workload?: IMeshWorkload;
  /**
   * The outbound traffic policy: REGISTRY_ONLY (true) refuses traffic to hosts the sidecars do
   * not know, so egress is explicit; ALLOW_ANY (false) passes it through, Istio's default.
   * @default true
   */
  readonly registryOnly?: boolean;
  /**
   * Derive the egress hosts from what the app declares: the services the workloads may call (those
   * no ALLOW policy applies to, which accept every caller, and those with an ALLOW policy, `allowFrom`
   * included, whose rule admits them: by principal or namespace, with Istio's wildcards, or any
   * caller; policies of the root namespace `istio-system` apply to every namespace), the
   * destinations of the mesh routes of those hosts, and the external hosts of the egress gateway
   * routes that list them as callers.
   * @default true
   */
  readonly deriveEgressHosts?: boolean;
  /**
   * More egress hosts, as `<namespace>/<host>` (`*` and `.` allowed as the namespace).
   * @default none
   */
  readonly egressHosts?: string[];
  /**
   * Add `istio-system/*`, where the control plane and the telemetry addons run (as Istio's default Sidecar does).
   * @default true
   */
  readonly includeIstioSystem?: boolean;
  /**
   * The mesh's root namespace, whose AuthorizationPolicies without a selector apply to every
   * workload (meshConfig `rootNamespace`).
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
}

/**
 * An Istio Sidecar for a namespace or one workload: the hosts its sidecars get configuration
 * for, derived from the calls and routes the app declares, and a REGISTRY_ONLY outbound policy,
 * so each proxy holds only what its workload uses (less memory and push work in a large mesh)
 * and egress is explicit.
 */
export class Sidecar extends Construct {
  /** The resource name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The mesh's root namespace, whose policies without a selector apply to every workload. */
  private readonly rootNamespace: string;
  /** The L1 object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, private readonly props: SidecarProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    checkBooleans(this, '', props, ['registryOnly', 'deriveEgressHosts', 'includeIstioSystem']);
    this.namespace = namespaceOf(this);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? props.workload?.name ?? 'default');
    this.rootNamespace = checkNamespaceName(this, 'rootNamespace', props.rootNamespace ?? ROOT_NAMESPACE);
    (checkList(this, 'egressHosts', props.egressHosts) ?? []).forEach((h, i) => {
      const [namespace, host, ...rest] = typeof h === 'string' ? h.split('/') : [];
      if (host === undefined || rest.length > 0 || namespace === '' || host === '') {
        throw new MeshConfigError(this, `egressHosts[${i}]`, `"${h}" is not <namespace>/<host>`,
          'write the namespace and the host, e.g. "istio-system/*" or "./reviews.shop.svc.cluster.local"');
      }
      if (!['.', '*', '~'].includes(namespace) && !isDnsLabel(namespace)) {
        throw new MeshConfigError(this, `egressHosts[${i}]`, `"${namespace}" is not a namespace name, ".", "*" or "~", so the host `
          + 'matches nothing', 'write the namespace in lower case, e.g. "shop/api.example.com"');
      }
    });
    const workloadSelector = props.workload && { labels: matchLabelsOf(this, 'workload', props.workload, this.namespace) };
    // the hosts are derived only when neither istio-system nor a given host already makes them non-empty
    const hasHosts = () => (props.includeIstioSystem ?? true) || (props.egressHosts?.length ?? 0) > 0 || this.egressHosts.length > 0;
    this.node.addValidation({
      validate: () => (hasHosts() ? [] : [new MeshConfigError(this, 'egressHosts',
        'no egress host: the workloads would reach nothing', 'add egressHosts, or keep includeIstioSystem').message]),
    });
    this.resource = libraryObject(this, 'Resource', L1.Sidecar, { name: this.name }, (): L1.SidecarSpec => ({
      ...(workloadSelector && { workloadSelector }),
      egress: [{ hosts: this.egressHosts }],
      outboundTrafficPolicy: {
        mode: (props.registryOnly ?? true) ? L1.SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY
          : L1.SidecarSpecOutboundTrafficPolicyMode.ALLOW_UNDERSCORE_ANY,
      },
    }), L1.toJson_SidecarSpec);
  }

  /** The egress hosts, sorted: derived, added, and `istio-system/*`. */
  public get egressHosts(): string[] {
    const hosts = new Set(this.props.egressHosts ?? []);
    if (this.props.includeIstioSystem ?? true) hosts.add('istio-system/*');
    if (this.props.deriveEgressHosts ?? true) for (const h of this.derivedHosts()) hosts.add(h);
    return [...hosts].sort();
  }

  /** The hosts the workloads call, as `<namespace>/<host>`, from the app's policies, routes and egress routes. */
  private derivedHosts(): Set<string> {
    const all = App.of(this).node.findAll();
    const services = all.filter((c): c is MeshService => c instanceof MeshService);
    const workloads: IMeshWorkload[] = this.props.workload ? [this.props.workload] : services.filter(s => s.namespace === this.namespace);
    const entries = all.filter((c): c is ServiceEntry => c instanceof ServiceEntry);
    const byFqdn = new Map(services.map(s => [s.fqdn, s]));
    const scoped = (host: string) => scopedHost(host, byFqdn, entries);
    const called = new Set<string>();
    /** The called hosts without their namespace, which the mesh routes name. */
    const calledHosts = new Set<string>();
    const add = (scopedName: string) => {
      called.add(scopedName);
      calledHosts.add(scopedName.slice(scopedName.indexOf('/') + 1));
    };
    const addService = (s: MeshService) => add(`${s.namespace}/${s.fqdn}`);

    const callers = workloads.map((w): PolicyCaller => ({
      principal: `${trustDomainOf(this)}/ns/${w.namespace}/sa/${w.serviceAccountName}`,
      namespace: w.namespace,
      serviceAccount: `${w.namespace}/${w.serviceAccountName}`,
    }));
    const policies = all.filter((c): c is AuthorizationPolicy => c instanceof AuthorizationPolicy).map(policy => {
      const doc = policy.resource.toJson();
      return { spec: doc.spec ?? {}, namespace: (doc.metadata.namespace ?? namespaceOf(policy)) as string };
    }).filter(p => (p.spec.action ?? 'ALLOW') === 'ALLOW');
    const root = this.rootNamespace;
    const guards = new ServicesByLabel(services);
    // a policy of the root namespace without targetRefs applies to the workloads of every namespace
    const guardedBy = (p: { spec: any; namespace: string }) =>
      policyServices(p.spec, guards, p.namespace === root && p.spec.targetRefs === undefined ? undefined : p.namespace);
    for (const policy of policies) {
      if ((policy.spec.rules ?? []).some((rule: any) => callers.some(c => ruleAdmits(rule, c)))) guardedBy(policy).forEach(addService);
    }
    // a service no ALLOW policy applies to accepts every caller
    const guarded = new Set(policies.flatMap(guardedBy));
    services.filter(s => !guarded.has(s)).forEach(addService);
    for (const route of all.filter((c): c is EgressGatewayRoute => c instanceof EgressGatewayRoute)) {
      if (route.callers.some(c => workloads.includes(c))) add(`${route.namespace}/${route.host}`);
    }
    // The mesh routes of a called host send its traffic on to their destinations (a Gateway API
    // route's are the version Services): follow them.
    const routes = all.filter((c): c is ApiObject => c instanceof ApiObject && MESH_ROUTE_KINDS.has(c.kind))
      .map(r => meshRoute(r.toJson(), namespaceOf(r))).filter((r): r is MeshRoute => r !== undefined);
    for (let size = -1; size !== called.size;) {
      size = called.size;
      for (const route of routes) {
        if (route.hosts.some(h => calledHosts.has(h))) route.destinations.forEach(d => add(scoped(d)));
      }
    }
    return called;
  }
}

/** Istio's default root namespace: its policies without a selector apply to the whole mesh. */
const ROOT_NAMESPACE = 'istio-system';

/** A workload that may call: its mTLS principal, its namespace and its ServiceAccount (`<namespace>/<name>`). */
interface PolicyCaller {
  readonly principal: string;
  readonly namespace: string;
  readonly serviceAccount: string;
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
  const matches = (patterns: unknown, value: string) => given(patterns)
    && patterns.some(p => typeof p === 'string' && istioStringMatch(p, value));
  const fields = [['principals', 'notPrincipals', caller.principal], ['namespaces', 'notNamespaces', caller.namespace],
    ['serviceAccounts', 'notServiceAccounts', caller.serviceAccount]] as const;
  return from.some(({ source = {} }) => fields.every(([field, negated, value]) =>
    (!given(source[field]) || matches(source[field], value)) && !matches(source[negated], value)));
}

/** The MeshServices of an app, found by namespace and by one label of their selector. */
class ServicesByLabel {
  private readonly byKey = new Map<string, MeshService[]>();

  constructor(private readonly services: readonly MeshService[]) {
    for (const s of services) {
      this.push(`${s.namespace}\0`, s);
      for (const [k, v] of Object.entries(s.selectorLabels)) this.push(`${s.namespace}\0${k}=${v}`, s);
    }
  }

  /** The services of a namespace (every namespace when undefined) whose selector labels include `labels`. */
  public selected(labels: Record<string, string>, namespace?: string): MeshService[] {
    const [first] = Object.entries(labels);
    const key = `${namespace}\0${first ? `${first[0]}=${first[1]}` : ''}`;
    const candidates = namespace === undefined ? this.services : this.byKey.get(key) ?? [];
    return candidates.filter(s => Object.entries(labels).every(([k, v]) => s.selectorLabels[k] === v));
  }

  private push(key: string, s: MeshService): void {
    (this.byKey.get(key) ?? this.byKey.set(key, []).get(key)!).push(s);
  }
}

/**
 * The services an AuthorizationPolicy spec of `namespace` applies to (of every namespace for a
 * mesh-wide one, `namespace` undefined): those its `selector` selects (every one without it), or
 * with `targetRefs` the Services of its namespace it names (a policy attached to a Gateway guards
 * no service the workloads call).
 */
function policyServices(spec: any, services: ServicesByLabel, namespace: string | undefined): MeshService[] {
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
function scopedHost(host: string, services: ReadonlyMap<string, MeshService>, entries: readonly IConstruct[]): string {
  const service = services.get(host);
  if (service) return `${service.namespace}/${host}`;
  const fqdn = /^[^.]+\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  if (fqdn) return `${fqdn[1]}/${host}`;
  const entry = (entries as ServiceEntry[]).find(e => e.hosts.includes(host));
  return entry ? `${namespaceOf(entry)}/${host}` : `*/${host}`;
}
