import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { placementOf, ztunnelL7Problem } from './ambient-placement';
import { Caller } from './caller';
import { checkGrpcOperation, grpcPaths, matchedProtocols, operationFields } from './grpc-operation';
import { checkMatchableOperation } from './unmatchable-operation';
import { WorkloadTarget, matchLabelsOf, servicePortsOf, workloadPortOf } from './workload-selector';
import * as L1 from '../../imports/security.istio.io';
import { whenWaypointServes } from '../core/ambient';
import { checkKnownKeys, checkList, checkMember, checkProps, checkStrings } from '../core/check';
import { checkPortNumber } from '../core/checks';
import { compact } from '../core/compact';
import { MeshConfigError } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { isMeshProviders } from '../core/mesh-providers';
import { checkDnsSubdomain } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { registerLibraryConstruct } from '../core/registry';
import { checkSourceIdentities } from '../core/source-identities';
import type { IMeshWorkload, ResolvedServicePort } from '../core/workload-refs';
import { deployedGateway } from '../gateway-api/gateway-listeners';
import type { Gateway } from '../mesh/gateway';

/** What a matching policy does. Istio evaluates CUSTOM, then DENY, then ALLOW. */
export enum AuthorizationAction {
  /** Allow matching requests; once any ALLOW policy applies to a workload, everything else is denied. */
  ALLOW = 'ALLOW',
  /** Deny matching requests. */
  DENY = 'DENY',
  /** Log matching requests (needs an audit provider); does not allow or deny. */
  AUDIT = 'AUDIT',
  /** Delegate the decision to an external authorizer (`provider`). */
  CUSTOM = 'CUSTOM',
}

/** Raw source conditions of a rule (all listed fields must match). */
export interface AuthorizationSource {
  /** Peer identities, `<trust domain>/ns/<namespace>/sa/<service account>`. @default any */
  readonly principals?: string[];
  /** Peer identities excluded. @default none */
  readonly notPrincipals?: string[];
  /** Peer namespaces. @default any */
  readonly namespaces?: string[];
  /** Peer namespaces excluded. @default none */
  readonly notNamespaces?: string[];
  /** Peer service accounts as `<namespace>/<name>`; excludes principals and namespaces. @default any */
  readonly serviceAccounts?: string[];
  /** Source IPs or CIDRs. @default any */
  readonly ipBlocks?: string[];
  /** Original client IPs or CIDRs (from X-Forwarded-For). @default any */
  readonly remoteIpBlocks?: string[];
  /** JWT request principals, `<iss>/<sub>`, or `*` for any authenticated request. @default any */
  readonly requestPrincipals?: string[];
  /** JWT request principals excluded (`*`: requests without a valid JWT). @default none */
  readonly notRequestPrincipals?: string[];
}

/** Request conditions of a rule (all listed fields must match). */
export interface AuthorizationOperation {
  /** HTTP methods. @default any */
  readonly methods?: string[];
  /** HTTP methods excluded. @default none */
  readonly notMethods?: string[];
  /** Paths (exact, `prefix*`, `*suffix`). @default any */
  readonly paths?: string[];
  /**
   * gRPC methods, `<package>.<Service>/<Method>` or `<package>.<Service>/*` for every method of a
   * service, written as the paths Istio matches (`/<package>.<Service>/<Method>`, after `paths`).
   * @default any
   */
  readonly grpc?: string[];
  /** Paths excluded. @default none */
  readonly notPaths?: string[];
  /** Destination ports. @default any */
  readonly ports?: number[];
  /** Hosts (Host header). @default any */
  readonly hosts?: string[];
  /** Hosts excluded. @default none */
  readonly notHosts?: string[];
}

/** An extra condition on request attributes, e.g. `request.auth.claims[groups]`. */
export interface AuthorizationCondition {
  /** The attribute name. */
  readonly key: string;
  /** Values that match. @default any */
  readonly values?: string[];
  /** Values that do not match. @default none */
  readonly notValues?: string[];
}

/** A rule: a request matches when any `from`, any `to` and every `when` condition match. */
export interface AuthorizationRule {
  /** Callers (Caller values or raw sources). @default any caller */
  readonly from?: (Caller | AuthorizationSource)[];
  /** Operations. @default any operation */
  readonly to?: AuthorizationOperation[];
  /** Conditions. @default none */
  readonly when?: AuthorizationCondition[];
}

/** A Gateway API or Service resource a policy attaches to (ambient waypoints, Gateway API gateways). */
export interface PolicyTargetRef {
  /** The kind, e.g. `Gateway`, `Service`, `ServiceEntry`. */
  readonly kind: string;
  /** The resource name. */
  readonly name: string;
  /** The API group, e.g. `gateway.networking.k8s.io`; empty for core kinds. @default '' */
  readonly group?: string;
}

/** Options of {@link AuthorizationPolicy.forGateway}. */
export interface GatewayPolicyOptions {
  /** The resource name. @default `<deployed gateway>-allow`, e.g. `bookinfo-gateway-istio-allow` */
  readonly name?: string;
  /** Who may send which requests through the gateway. @default one rule allowing every request (the public entry) */
  readonly rules?: AuthorizationRule[];
}

/** Props of {@link AuthorizationPolicy}. */
export interface AuthorizationPolicyProps {
  /** The resource name. @default the construct id */
  readonly name?: string;
  /** The namespace. @default the chart's namespace */
  readonly namespace?: string;
  /** The action. @default AuthorizationAction.ALLOW */
  readonly action?: AuthorizationAction;
  /** The external authorizer's name from the mesh config (CUSTOM only). @default none */
  readonly provider?: string;
  /** The workloads the policy applies to (exclusive with targetRefs). @default every workload in the namespace */
  readonly selector?: WorkloadTarget;
  /** Resources the policy attaches to (exclusive with selector). @default none */
  readonly targetRefs?: PolicyTargetRef[];
  /** Rules; more can be added with `addRule()`. An ALLOW policy without rules allows nothing. @default none */
  readonly rules?: AuthorizationRule[];
}

/**
 * An Istio AuthorizationPolicy: ALLOW, DENY, AUDIT or CUSTOM rules on who may call which
 * operations of the selected workloads. The rules Istio imposes are checked at construction:
 * selector and targetRefs are exclusive, DENY needs rules, CUSTOM needs a provider,
 * `serviceAccounts` excludes `principals` and `namespaces`, selector labels have no wildcards.
 *
 * In an ambient namespace (MeshEnrollment.AMBIENT) the policy goes where Istio can enforce it:
 * selecting a MeshService that a waypoint serves, it is attached to the service at the waypoint
 * (`targetRefs: [{ kind: Service }]`, the waypoint sees the original caller), and the service's
 * pods get the policy `<service>-ztunnel`, which lets ztunnel accept only the waypoint, so nothing
 * bypasses it; a namespace-wide policy with L7 attributes is attached to the namespace's waypoint
 * (`kind: Gateway`); L4 policies without a waypoint stay on ztunnel (`selector`); and an L7
 * attribute (methods, paths, hosts, request principals, request conditions) or a CUSTOM action
 * that only ztunnel would see fails synthesis with the fix (ztunnel would deny all traffic).
 */
export class AuthorizationPolicy extends Construct {
  /**
   * The `allow-nothing` policy: an ALLOW policy without rules for the whole namespace, so every
   * request is denied unless another ALLOW policy allows it (default deny).
   */
  public static allowNothing(scope: Construct, id: string, options: { name?: string; namespace?: string } = {}): AuthorizationPolicy {
    return new AuthorizationPolicy(scope, id, { name: options.name ?? 'allow-nothing', namespace: options.namespace });
  }

  /**
   * An ALLOW policy attached to a Gateway rendered to the Gateway API (`targetRefs: kind Gateway`),
   * which Istio enforces at the proxy it deploys for the Gateway in the Gateway's namespace. A
   * deny-by-default namespace (`MeshNamespace.denyByDefault()`) needs one for its ingress: its
   * `allow-nothing` applies to that proxy too, which then refuses every request (analysis code
   * CDK0010). The services behind it allow the proxy with `Caller.ingressGateway(namespace,
   * deployedGateway(gateway).name)`. Fails for a Gateway of the classic rendering, for which Istio
   * deploys nothing.
   */
  public static forGateway(scope: Construct, id: string, gateway: Gateway, options: GatewayPolicyOptions = {}): AuthorizationPolicy {
    const deployed = deployedGateway(gateway);
    return new AuthorizationPolicy(scope, id, {
      name: options.name ?? `${deployed.name}-allow`,
      namespace: deployed.namespace === namespaceOf(scope) ? undefined : deployed.namespace,
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gateway.name }],
      rules: options.rules ?? [{ from: [Caller.any()] }],
    });
  }

  /** The resource name. */
  public readonly name: string;
  /** The action. */
  public readonly action: AuthorizationAction;
  /** The L1 object. */
  public readonly resource: ApiObject;

  private readonly rules: AuthorizationRule[] = [];
  /** The selected MeshService's ports, when the selector is one: what tells a rule which protocols it sees. */
  private readonly servicePorts?: readonly ResolvedServicePort[];
  /** The selector: a MeshService's Service ports in rules name its container ports (workloadPortOf). */
  private readonly selector?: WorkloadTarget;

  constructor(scope: Construct, id: string, props: AuthorizationPolicyProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? id);
    this.action = checkMember(this, 'action', props.action ?? AuthorizationAction.ALLOW, AuthorizationAction, 'AuthorizationAction');
    if (props.selector && props.targetRefs) {
      throw new MeshConfigError(this, 'targetRefs', 'selector and targetRefs cannot both be set',
        'keep selector for sidecar workloads, or targetRefs for gateways and waypoints');
    }
    if (this.action === AuthorizationAction.CUSTOM && !props.provider) {
      throw new MeshConfigError(this, 'provider', 'a CUSTOM policy needs the external authorizer',
        'set provider to an extensionProviders name from the mesh config');
    }
    if (this.action !== AuthorizationAction.CUSTOM && props.provider) {
      throw new MeshConfigError(this, 'provider', `a provider only applies to CUSTOM policies, not ${this.action}`,
        'remove provider or use action CUSTOM');
    }
    const namespace = props.namespace ?? namespaceOf(this);
    const selector = props.selector && { matchLabels: matchLabelsOf(this, 'selector', props.selector, namespace) };
    this.servicePorts = servicePortsOf(props.selector);
    this.selector = props.selector;
    const placement = () => (props.targetRefs ? undefined : placementOf(this, namespace, props.selector, this.l7Field() !== undefined));
    checkList(this, 'rules', props.rules)?.forEach(r => this.addRule(r));
    this.node.addValidation({
      validate: () => {
        const problems = this.rules.flatMap((r, i) => (r.from ?? []).flatMap((f, j) =>
          (f instanceof Caller ? f._validate(this, `rules[${i}].from[${j}].source`) : [])));
        if (this.action === AuthorizationAction.DENY && this.rules.length === 0) {
          problems.push(new MeshConfigError(this, 'rules', 'a DENY policy without rules denies nothing',
            'add the rules describing what to deny').message);
        }
        if (props.provider !== undefined) problems.push(...this.providerProblems(props.provider));
        const l7 = props.targetRefs ? undefined : ztunnelL7Problem(this, namespace, props.selector, this.l7Field());
        if (l7) problems.push(l7);
        return problems;
      },
    });
    const metadata = { name: this.name, ...(props.namespace && { namespace: props.namespace }) };
    this.resource = libraryObject(this, 'Resource', L1.AuthorizationPolicy, metadata, (): L1.AuthorizationPolicySpec => {
      const at = placement();
      return compact({
        selector: at?.on === 'waypoint' ? undefined : selector,
        targetRefs: (at?.on === 'waypoint' ? at.targetRefs : props.targetRefs)
          ?.map(t => ({ group: t.group ?? '', kind: t.kind, name: t.name })),
        action: this.rules.length > 0 || this.action !== AuthorizationAction.ALLOW ? ACTIONS[this.action] : undefined,
        provider: props.provider ? { name: props.provider } : undefined,
        rules: this.rules.length > 0 ? this.rules.map(r => this.renderRule(r)) : undefined,
      }) ?? {};
    }, L1.toJson_AuthorizationPolicySpec);
    const target = props.selector;
    if (target !== undefined && Construct.isConstruct(target) && !props.targetRefs) {
      whenWaypointServes(target, () => guardZtunnel(this, target, props.namespace));
    }
  }

  /**
   * Appends a rule. When the selector is a MeshService, operations are checked against the
   * protocols of the ports they match: `grpc` needs an HTTP/2 port, and on gRPC ports methods
   * must be POST and paths must be gRPC paths.
   */
  public addRule(rule: AuthorizationRule): void {
    this._addRule(rule);
  }

  /**
   * @internal Appends a rule, reporting the gRPC problems of its operations as `reportAs.scope`'s
   * under `reportAs.field` (e.g. `allowFrom.methods[0]`), for constructs that build the rule from
   * their own options.
   */
  public _addRule(rule: AuthorizationRule, reportAs?: { readonly scope: IConstruct; readonly field: string }): void {
    const field = `rules[${this.rules.length}]`;
    checkRuleShape(this, field, rule);
    for (const key of ['from', 'to', 'when'] as const) {
      if (rule[key]?.length === 0) {
        throw new MeshConfigError(this, `${field}.${key}`, `an empty ${key} list matches every request, which is rarely meant`,
          `omit ${key} to match any, or list at least one entry`);
      }
    }
    const anyCaller = (rule.from ?? []).filter(f => f instanceof Caller && !f._toSource(this));
    if (anyCaller.length > 0 && rule.from!.length > anyCaller.length) {
      throw new MeshConfigError(this, `${field}.from`, 'Caller.any() together with other callers is ambiguous (it already allows everyone)',
        'use Caller.any() alone, or list only the callers to allow');
    }
    if (anyCaller.length > 0) rule = { ...rule, from: undefined };
    (rule.from ?? []).forEach((f, j) => {
      if (f instanceof Caller) return f._check(this, `${field}.from[${j}].source`);
      if ((f.serviceAccounts) && (f.principals || f.namespaces || f.notNamespaces || f.notPrincipals)) {
        throw new MeshConfigError(this, `${field}.from[${j}].source.serviceAccounts`,
          'serviceAccounts cannot be combined with principals or namespaces',
          'use serviceAccounts (`<namespace>/<name>`) alone, or principals and namespaces without it');
      }
      checkSourceIdentities(this, `${field}.from[${j}].source`, f);
    });
    (rule.from ?? []).forEach((f, j) => {
      if (!(f instanceof Caller) && Object.values(f).every(v => v === undefined)) {
        throw new MeshConfigError(this, `${field}.from[${j}].source`, 'an empty source matches nothing Istio accepts',
          'name at least one condition, or omit from to allow any caller');
      }
    });
    (rule.to ?? []).forEach((t, j) => {
      if (Object.values(t).every(v => v === undefined)) {
        throw new MeshConfigError(this, `${field}.to[${j}].operation`, 'an empty operation matches nothing Istio accepts',
          'name at least one method, path, port or host, or omit to');
      }
    });
    (rule.when ?? []).forEach((w, j) => {
      if (!w.values?.length && !w.notValues?.length) {
        throw new MeshConfigError(this, `${field}.when[${j}]`, `condition ${w.key} has neither values nor notValues`,
          'list the values the attribute must (or must not) have');
      }
    });
    (rule.to ?? []).forEach((t, j) => Object.entries(t).forEach(([key, value]) => {
      if (Array.isArray(value) && value.length === 0) {
        throw new MeshConfigError(this, `${field}.to[${j}].operation.${key}`, `an empty ${key} list matches nothing useful`,
          `omit ${key} to match any, or list values`);
      }
    }));
    const to = rule.to?.map((given, j) => {
      const scope = reportAs?.scope ?? this;
      const fieldOf = operationFields(reportAs?.field ?? `${field}.to[${j}].operation`);
      // Istio matches the pod's port: a selected MeshService's Service ports become its container ports
      const ports = given.ports?.map(p => workloadPortOf(this.selector, checkPortNumber(this, `${field}.to[${j}].operation.ports`, p)));
      const t = ports ? { ...given, ports } : given;
      checkGrpcOperation(scope, fieldOf, t, this.servicePorts && matchedProtocols(this.servicePorts, t.ports));
      checkMatchableOperation(scope, fieldOf, t);
      return t.grpc ? { ...t, grpc: undefined, paths: [...t.paths ?? [], ...grpcPaths(scope, fieldOf, t.grpc)] } : t;
    });
    this.rules.push({ ...rule, to });
  }

  /**
   * A CUSTOM policy's provider that the Istio install of the app does not define as an external
   * authorizer (Istio then denies every request the policy matches). Not judged when the app holds
   * no install: the mesh config is then defined elsewhere.
   */
  private providerProblems(provider: string): string[] {
    const installs = App.of(this).node.findAll().filter(isMeshProviders);
    if (installs.length === 0 || installs.some(i => i.hasProvider(provider, 'authorization'))) return [];
    return [new MeshConfigError(this, 'provider',
      `"${provider}" is not an external authorizer of the install (${installs.map(i => i.node.path).join(', ')}), so Istio would `
      + 'deny every request the policy matches',
      `add ExtensionProvider.externalAuthorizer('${provider}', { service, port }) to the install's meshConfig.extensionProviders`).message];
  }

  /** The first L7 attribute of the policy (what ztunnel cannot enforce), as a field path; undefined when it has none. */
  private l7Field(): string | undefined {
    if (this.action === AuthorizationAction.CUSTOM) return 'action';
    for (const [i, rule] of this.rules.entries()) {
      for (const [j, from] of (rule.from ?? []).entries()) {
        const key = from instanceof Caller ? undefined : L7_SOURCE_FIELDS.find(k => from[k] !== undefined);
        if (key) return `rules[${i}].from[${j}].source.${key}`;
      }
      for (const [j, to] of (rule.to ?? []).entries()) {
        const key = L7_OPERATION_FIELDS.find(k => to[k] !== undefined);
        if (key) return `rules[${i}].to[${j}].operation.${key}`;
      }
      const j = (rule.when ?? []).findIndex(w => !L4_CONDITION_KEYS.includes(w.key));
      if (j >= 0) return `rules[${i}].when[${j}].key`;
    }
    return undefined;
  }

  private renderRule(rule: AuthorizationRule): L1.AuthorizationPolicySpecRules {
    return compact<L1.AuthorizationPolicySpecRules>({
      from: rule.from?.map(f => ({ source: f instanceof Caller ? f._toSource(this) : renderSource(f) })),
      to: rule.to?.map(t => ({ operation: renderOperation(t) })),
      when: rule.when?.map(w => compact<L1.AuthorizationPolicySpecRulesWhen>({ key: w.key, values: w.values, notValues: w.notValues })!),
    }) ?? {};
  }
}

/** Source fields only an L7 proxy can match (a JWT, the client address in X-Forwarded-For). */
const L7_SOURCE_FIELDS = ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks'] as const;
/** Operation fields only an L7 proxy can match (`grpc` is written as paths). */
const L7_OPERATION_FIELDS = ['methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts'] as const;
/** The `when` keys ztunnel evaluates (Istio's ambient L4 policy attributes); any other key needs a waypoint. */
const L4_CONDITION_KEYS = ['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port'];

/** Services whose ztunnel already accepts only their waypoint. */
const guarded = new WeakSet<IMeshWorkload>();

/**
 * The ztunnel side of a policy attached to a service's waypoint: an ALLOW policy on the service's
 * pods naming only the waypoint's identity (what ztunnel sees on traffic the waypoint forwards),
 * so no caller reaches the pods around the waypoint's policies. One per service.
 */
function guardZtunnel(policy: AuthorizationPolicy, service: IMeshWorkload, namespace: string | undefined): void {
  if (guarded.has(service)) return;
  guarded.add(service);
  new AuthorizationPolicy(policy, 'ZtunnelPolicy', {
    name: `${service.name}-ztunnel`,
    namespace,
    selector: { ...service.selectorLabels },
    rules: [{ from: [Caller._waypointOf(service)] }],
  });
}

const ACTIONS: Readonly<Record<AuthorizationAction, L1.AuthorizationPolicySpecAction>> = {
  [AuthorizationAction.ALLOW]: L1.AuthorizationPolicySpecAction.ALLOW,
  [AuthorizationAction.DENY]: L1.AuthorizationPolicySpecAction.DENY,
  [AuthorizationAction.AUDIT]: L1.AuthorizationPolicySpecAction.AUDIT,
  [AuthorizationAction.CUSTOM]: L1.AuthorizationPolicySpecAction.CUSTOM,
};

/** A raw source, field by field (a field written under a name the L1 type lacks would be dropped from the manifest). */
function renderSource(f: AuthorizationSource): L1.AuthorizationPolicySpecRulesFromSource {
  return compact<L1.AuthorizationPolicySpecRulesFromSource>({
    principals: f.principals,
    notPrincipals: f.notPrincipals,
    namespaces: f.namespaces,
    notNamespaces: f.notNamespaces,
    serviceAccounts: f.serviceAccounts,
    ipBlocks: f.ipBlocks,
    remoteIpBlocks: f.remoteIpBlocks,
    requestPrincipals: f.requestPrincipals,
    notRequestPrincipals: f.notRequestPrincipals,
  }) ?? {};
}

/** An operation, field by field; Istio takes ports as strings. */
function renderOperation(t: AuthorizationOperation): L1.AuthorizationPolicySpecRulesToOperation {
  return compact<L1.AuthorizationPolicySpecRulesToOperation>({
    methods: t.methods,
    notMethods: t.notMethods,
    paths: t.paths,
    notPaths: t.notPaths,
    ports: t.ports?.map(String),
    hosts: t.hosts,
    notHosts: t.notHosts,
  }) ?? {};
}

/**
 * Checks the shape of a rule as a JavaScript caller can get it wrong: a member its type does not
 * have (a misspelt `form:`), in the rule, its plain sources, operations and conditions; and a
 * single value where a list goes (its from, to and when, every field of its plain sources and
 * operations, and the values and notValues of its conditions).
 */
function checkRuleShape(scope: IConstruct, field: string, rule: AuthorizationRule): void {
  checkKnownKeys(scope, field, rule, RULE_KEYS, 'an authorization rule');
  for (const key of ['from', 'to', 'when'] as const) checkList(scope, `${field}.${key}`, rule[key]);
  (rule.from ?? []).forEach((f, j) => {
    if (f instanceof Caller) return;
    checkKnownKeys(scope, `${field}.from[${j}].source`, f, SOURCE_KEYS, 'an authorization source');
    for (const [key, value] of Object.entries(f)) {
      const at = `${field}.from[${j}].source.${key}`;
      checkStrings(scope, at, checkList(scope, at, value as unknown[]));
    }
  });
  (rule.to ?? []).forEach((t, j) => {
    checkKnownKeys(scope, `${field}.to[${j}].operation`, t, OPERATION_KEYS, 'an authorization operation');
    for (const [key, value] of Object.entries(t)) {
      const list = checkList(scope, `${field}.to[${j}].operation.${key}`, value as unknown[]);
      if (key !== 'ports') checkStrings(scope, `${field}.to[${j}].operation.${key}`, list);
    }
  });
  (rule.when ?? []).forEach((w, j) => {
    checkKnownKeys(scope, `${field}.when[${j}]`, w, CONDITION_KEYS, 'an authorization condition');
    checkStrings(scope, `${field}.when[${j}].values`, checkList(scope, `${field}.when[${j}].values`, w.values));
    checkStrings(scope, `${field}.when[${j}].notValues`, checkList(scope, `${field}.when[${j}].notValues`, w.notValues));
  });
}

/** The members of the rule types, each listed once (the compiler keeps the lists complete). */
const RULE_KEYS: Record<keyof AuthorizationRule, true> = { from: true, to: true, when: true };
const SOURCE_KEYS: Record<keyof AuthorizationSource, true> = {
  principals: true,
  notPrincipals: true,
  namespaces: true,
  notNamespaces: true,
  serviceAccounts: true,
  ipBlocks: true,
  remoteIpBlocks: true,
  requestPrincipals: true,
  notRequestPrincipals: true,
};
const OPERATION_KEYS: Record<keyof AuthorizationOperation, true> = {
  methods: true, notMethods: true, paths: true, grpc: true, notPaths: true, ports: true, hosts: true, notHosts: true,
};
const CONDITION_KEYS: Record<keyof AuthorizationCondition, true> = { key: true, values: true, notValues: true };
