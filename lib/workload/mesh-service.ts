import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { kubeService, kubeServiceAccount } from './kube-objects';
import { AllowFromOptions, MeshServiceProps, ServiceType } from './mesh-service-props';
import { resolveServicePorts, servicePortsOf } from './service-port';
import { WorkloadOwner, buildWorkload } from './workload-builder';
import { WorkloadRef } from './workload-ref';
import { WorkloadDefaults, WorkloadVersionProps } from './workload-version';
import { checkInstance, checkKnownKeys, checkList, checkProps, describeGiven } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { checkAnnotationKeys, checkDnsLabel, checkLabelValue, checkLabels } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { HTTP_PORT_PROTOCOLS } from '../core/port-protocol';
import { registerLibraryConstruct } from '../core/registry';
import type { IRoutableService, ResolvedServicePort } from '../core/workload-refs';
import { Destination } from '../mesh/destination';
import { DestinationRule } from '../mesh/destination-rule';
import { AuthorizationAction, AuthorizationPolicy } from '../security/authorization-policy';
import { Caller } from '../security/caller';

export type { ResolvedServicePort } from '../core/workload-refs';
export * from './mesh-service-props';

/** Protocols whose requests have methods and paths an AuthorizationPolicy can match. */

/**
 * A workload in the mesh, with the conventions Istio relies on built in: one Deployment per
 * version labelled `app` and `version`, one Service selecting `app` only with port names Istio can
 * classify, and a ServiceAccount that gives the workload its mesh identity.
 *
 * `service.version('v2')` is a route destination; routing to a version makes sure the service's
 * DestinationRule defines the subset for it (creating the rule when the service has none).
 */
export class MeshService extends Construct implements IRoutableService {
  /** The Service name. */
  public readonly name: string;
  /** The namespace the service lives in (the chart's namespace, or `default`). */
  public readonly namespace: string;
  /** The Service ports. */
  public readonly ports: readonly ResolvedServicePort[];
  /** The ServiceAccount name. */
  public readonly serviceAccountName: string;
  /** The container name in every version's pod. */
  public readonly containerName: string;
  /** The L1 Service; undefined for a workload declared with `ports: []`. */
  public readonly service?: ApiObject;
  /** The L1 ServiceAccount; undefined when the service runs as an existing one (`serviceAccount`). */
  public readonly serviceAccount?: ApiObject;

  private readonly deployments = new Map<string, ApiObject>();
  private readonly unversioned: boolean;
  private single?: ApiObject;
  private readonly routed = new Set<string>();
  private readonly podAnnotations: Record<string, string>;
  private readonly defaults?: WorkloadDefaults;
  private rule?: DestinationRule;
  private allowPolicy?: AuthorizationPolicy;

  constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    registerLibraryConstruct(this);
    checkProps(this, props, "its port and versions, e.g. { port: 8080, versions: { v1: { image: 'registry/app:1.0' } } }");
    this.name = checkDnsLabel(this, 'name', props.name ?? id);
    this.namespace = namespaceOf(this);
    if (props.serviceAccount && (props.serviceAccountName !== undefined || props.serviceAccountAnnotations !== undefined)) {
      throw new MeshConfigError(this, 'serviceAccount',
        'an existing ServiceAccount is not emitted, so it takes no name or annotations here',
        'drop serviceAccountName and serviceAccountAnnotations, or drop serviceAccount to have the service create its ServiceAccount');
    }
    this.serviceAccountName = props.serviceAccount
      ? props.serviceAccount._name(this, 'serviceAccount')
      : checkDnsLabel(this, 'serviceAccountName', props.serviceAccountName ?? this.name);
    this.podAnnotations = props.podAnnotations ?? {};
    this.defaults = props.defaults;
    this.ports = resolveServicePorts(this, props);
    if ((props.versions === undefined) === (props.workload === undefined)) {
      throw new MeshConfigError(this, 'versions', 'exactly one of versions and workload is required',
        "set versions: { v1: { image: 'registry/app:1.0' } } for a versioned service, "
        + 'or workload: { image: ... } for one without versions');
    }
    this.unversioned = props.workload !== undefined;

    this.containerName = checkDnsLabel(this, 'containerName', props.containerName ?? this.name);
    const serviceLabels = checkLabels(this, 'serviceLabels', props.serviceLabels ?? {});
    for (const key of ['app', 'service']) {
      if (key in serviceLabels) {
        throw new MeshConfigError(this, `serviceLabels.${key}`,
          `the Service's "${key}" label is the service name, which Istio's telemetry reads`,
          `use another label key than "${key}"`);
      }
    }
    const serviceAnnotations = checkAnnotationKeys(this, 'serviceAnnotations', props.serviceAnnotations);
    this.service = this.ports.length === 0 ? undefined : kubeService(this, 'Service', {
      metadata: {
        name: this.name,
        labels: { app: this.name, service: this.name, ...serviceLabels },
        ...(serviceAnnotations && { annotations: serviceAnnotations }),
      },
      spec: {
        ...(props.serviceType !== undefined && props.serviceType !== ServiceType.CLUSTER_IP && { type: props.serviceType }),
        ports: servicePortsOf(this.ports),
        selector: { app: this.name },
      },
    });
    if (this.service === undefined && (props.serviceType ?? props.serviceAnnotations ?? props.serviceLabels) !== undefined) {
      throw new MeshConfigError(this, 'serviceType', 'the workload has no ports, so it has no Service to shape',
        'declare its ports, or drop serviceType, serviceAnnotations and serviceLabels');
    }
    const accountAnnotations = checkAnnotationKeys(this, 'serviceAccountAnnotations', props.serviceAccountAnnotations);
    this.serviceAccount = props.serviceAccount ? undefined : kubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: this.serviceAccountName, labels: { account: this.name }, ...(accountAnnotations && { annotations: accountAnnotations }),
      },
    });

    if (props.workload) {
      this.addWorkload(undefined, props.workload);
      return;
    }
    if (typeof props.versions !== 'object' || props.versions === null || Array.isArray(props.versions)) {
      throw new MeshConfigError(this, 'versions', `must map each version's name to its props, not ${describeGiven(props.versions)}`,
        "name the versions: versions: { v1: { image: 'registry/app:1.0' } }");
    }
    const versions = Object.entries(props.versions);
    if (versions.length === 0) {
      throw new MeshConfigError(this, 'versions', 'a MeshService needs at least one version',
        "add a version, e.g. versions: { v1: { image: 'registry/app:1.0' } }, or use workload: { image: ... } for one without versions");
    }
    for (const [version, versionProps] of versions) this.addVersion(version, versionProps);
  }

  /** Labels every version's pods carry: what the Service and a policy's selector match. */
  public get selectorLabels(): Record<string, string> {
    return { app: this.name };
  }

  /** The short host name (`<name>`), valid inside the service's namespace. */
  public get host(): string {
    return this.name;
  }

  /** The fully qualified host name, `<name>.<namespace>.svc.cluster.local`. */
  public get fqdn(): string {
    return `${this.name}.${this.namespace}.svc.cluster.local`;
  }

  /** The host name as seen from `namespace`: the short name there, the FQDN elsewhere. */
  public hostFrom(namespace: string): string {
    return namespace === this.namespace ? this.host : this.fqdn;
  }

  /** The version names, in the order they were added. */
  public get versionNames(): string[] {
    return [...this.deployments.keys()];
  }

  /** Returns the Deployment of a version, or the only one of a service declared with `workload` (no argument). */
  public deployment(version?: string): ApiObject {
    if (this.single) {
      if (version === undefined) return this.single;
      throw new MeshConfigError(this, 'versions', `the service has no versions (it was declared with workload), so it has no "${version}"`,
        'call deployment() without a version');
    }
    const deployment = version === undefined ? undefined : this.deployments.get(version);
    if (!deployment) {
      throw new MeshConfigError(this, 'versions', `"${version}" is not a version of this service (it has ${this.versionNames.join(', ')})`,
        'use one of the existing versions or add it with addVersion()');
    }
    return deployment;
  }

  /**
   * The address clients use to call the service: `<name>.<namespace>.svc.cluster.local:<port>`,
   * the fully qualified form, which resolves from every namespace (a string, usable as an env
   * value: `env: { CART_ADDR: cart.address() }`).
   *
   * @param port the Service port; required when the service has more than one port
   */
  public address(port?: number): string {
    this.checkRoutable();
    if (port === undefined && this.ports.length > 1) {
      throw new MeshConfigError(this, 'address', `the service has ${this.ports.length} ports (${this.ports.map(p => p.port).join(', ')})`,
        'pass the port: address(<port>)');
    }
    const match = port === undefined ? this.ports[0] : this.ports.find(p => p.port === port);
    if (!match) {
      throw new MeshConfigError(this, 'address', `${port} is not a port of this service (it has ${this.ports.map(p => p.port).join(', ')})`,
        'use one of the service\'s ports');
    }
    return `${this.fqdn}:${match.port}`;
  }

  /** The DestinationRule for this service's host, if one exists (explicit, or created by routing to a version). */
  public get destinationRule(): DestinationRule | undefined {
    return this.rule;
  }

  /**
   * A route destination that sends traffic to one version of this service (the DestinationRule
   * subset named after the version).
   *
   * @param version the version name
   * @param port the Service port; required when the service has more than one port
   */
  public version(version: string, port?: number): Destination {
    this.checkRoutable();
    this.checkVersioned(version);
    return Destination.toService(this, { version, port });
  }

  /**
   * Allows `callers` to call this service (optionally only some methods, paths, gRPC methods or
   * ports): a rule in
   * the service's ALLOW AuthorizationPolicy naming each caller's mTLS principal
   * (`<trust domain>/ns/<namespace>/sa/<service account>`). Once a service has an ALLOW policy,
   * callers not allowed by any rule are denied.
   */
  public allowFrom(callers: MeshService | Caller | (MeshService | Caller)[], options: AllowFromOptions = {}): AuthorizationPolicy {
    checkKnownKeys(this, 'allowFrom', options, ALLOW_FROM_KEYS, 'the allowFrom() options');
    for (const key of ['methods', 'paths', 'grpc', 'ports'] as const) checkList(this, `allowFrom.${key}`, options[key]);
    const name = options.policyName ?? this.allowPolicy?.name ?? `${this.name}-allow`;
    if (this.allowPolicy && name !== this.allowPolicy.name) {
      throw new MeshConfigError(this, 'allowFrom.policyName', `the service's ALLOW policy is already named "${this.allowPolicy.name}"`,
        'pass the same policyName (or none) on every allowFrom() call');
    }
    this.allowPolicy ??= new AuthorizationPolicy(this, 'AllowPolicy', { name, selector: this, action: AuthorizationAction.ALLOW });
    const list = (Array.isArray(callers) ? callers : [callers]).map((c, i) => {
      if (c instanceof Caller) return c;
      return Caller.service(checkInstance(this, `allowFrom.callers[${i}]`, c, MeshService,
        'new MeshService(...), or pass a Caller: Caller.serviceAccount(\'<namespace>\', \'<name>\'), Caller.namespace(\'<name>\') '
        + 'or Caller.any()'));
    });
    if (list.length === 0) {
      throw new MeshConfigError(this, 'allowFrom.callers', 'no callers given (an empty list would allow everyone)',
        'pass the MeshServices or Callers to allow, or Caller.any() to allow everyone');
    }
    if ((options.methods || options.paths) && !this.ports.some(p => HTTP_PORT_PROTOCOLS.includes(p.protocol))) {
      throw new MeshConfigError(this, 'allowFrom.methods',
        'methods and paths only apply to HTTP, and this service has no HTTP port (Istio would deny every call)',
        'allow by caller (and ports) only, or declare the port\'s HTTP protocol');
    }
    // a call reaches the service on one of its ports; the policy writes the container port behind it (workloadPortOf)
    const ports = options.ports;
    ports?.forEach((port, i) => {
      if (!this.ports.some(p => p.port === port || p.targetPort === port)) {
        throw new MeshConfigError(this, `allowFrom.ports[${i}]`,
          `${port} is not a port of this service (it has ${this.ports.map(p => p.port).join(', ')})`,
          'use one of the service\'s ports');
      }
    });
    const operation = (options.methods || options.paths || options.grpc || ports)
      ? [{ methods: options.methods, paths: options.paths, grpc: options.grpc, ports }] : undefined;
    this.allowPolicy._addRule({ from: list, ...(operation && { to: operation }) }, { scope: this, field: 'allowFrom' });
    return this.allowPolicy;
  }

  /**
   * Adds a version: a Deployment `<name>-<version>` labelled `app` and `version`, or an existing
   * workload (`WorkloadRef.existing(...)`) whose pods get those labels.
   */
  public addVersion(version: string, props: WorkloadVersionProps | WorkloadRef): ApiObject {
    if (this.unversioned) {
      throw new MeshConfigError(this, `versions.${version}`, 'the service was declared with workload (no versions), so it cannot add one',
        'declare it with versions: { v1: <its workload props>, ... } instead; its Deployment is then named <name>-v1 '
        + '(see README, "Unversioned services")');
    }
    checkLabelValue(this, `versions.${version}`, version);
    checkDnsLabel(this, `versions.${version}`, `${this.name}-${version}`);
    if (this.deployments.has(version)) {
      throw new MeshConfigError(this, `versions.${version}`, 'the version already exists', 'give the new version another name');
    }
    return this.addWorkload(version, props);
  }

  /** The workload of `version` (undefined: the unversioned service's only one), with its labels and pod template. */
  private addWorkload(version: string | undefined, props: WorkloadVersionProps | WorkloadRef): ApiObject {
    const field = version === undefined ? 'workload' : `versions.${version}`;
    const labels: Record<string, string> = version === undefined ? { app: this.name } : { app: this.name, version };
    const deployment = props instanceof WorkloadRef
      ? props._enroll(this, field, { labels, serviceAccountName: this.serviceAccountName, namespace: this.namespace })
      : buildWorkload(this.workloadOwner(), version, field, labels, props);
    if (version === undefined) this.single = deployment;
    else this.deployments.set(version, deployment);
    return deployment;
  }

  /** @internal Binds the DestinationRule for this host, replacing a rule created by routing. */
  public _bindDestinationRule(rule: IConstruct): void {
    if (!DestinationRule.isDestinationRule(rule)) return;
    // Only a rule in the service's own chart replaces the one routing created; a rule in another
    // chart (an overlay applied instead of it) leaves the service's rule alone.
    if (Chart.of(rule) !== Chart.of(this)) return;
    if (this.rule && this.rule.node.scope === this) {
      this.node.tryRemoveChild(this.rule.node.id);
    } else if (this.rule) {
      return; // the first explicit rule stays the one routes extend
    }
    this.rule = rule;
  }

  /** @internal Records that a route targets `version`, creating the DestinationRule if needed. */
  public _routeTo(version: string): void {
    this.checkRoutable();
    this.checkVersioned(version);
    this.routed.add(version);
    if (!this.rule) {
      this.rule = new DestinationRule(this, 'DestinationRule', { host: this, name: this.name });
    }
  }

  /** @internal Versions routes target, in first-routed order. */
  public get _routedVersions(): string[] {
    return [...this.routed];
  }

  /** What the workloads the service builds take from it. */
  private workloadOwner(): WorkloadOwner {
    return {
      scope: this,
      name: this.name,
      containerName: this.containerName,
      ports: this.ports,
      serviceAccountName: this.serviceAccountName,
      podAnnotations: this.podAnnotations,
      defaults: this.defaults,
      headlessServiceName: () => this.headlessService().name,
    };
  }

  /** The headless Service `<name>-headless` a StatefulSet names (created with the first one), for its pods' DNS names. */
  private headlessService(): { name: string } {
    const name = checkDnsLabel(this, 'name', `${this.name}-headless`);
    if (!this.node.tryFindChild('HeadlessService')) {
      kubeService(this, 'HeadlessService', {
        metadata: { name, labels: { app: this.name, service: name } },
        spec: {
          clusterIp: 'None',
          ports: servicePortsOf(this.ports),
          selector: { app: this.name },
        },
      });
    }
    return { name };
  }

  private checkVersioned(version: string): void {
    if (this.unversioned) {
      throw new MeshConfigError(this, 'versions',
        `the service has no versions (it was declared with workload), so no route can pick version "${version}"`,
        'route to the service as a whole (Destination.toService(service)), '
        + 'or declare it with versions (see README, "Unversioned services")');
    }
  }

  private checkRoutable(): void {
    if (!this.service) {
      throw new MeshConfigError(this, 'ports', 'the workload has no ports, so no route can reach it',
        'declare the ports it serves, or route to another service');
    }
  }
}

/** The members of {@link AllowFromOptions}, each listed once (the compiler keeps the list complete). */
const ALLOW_FROM_KEYS: Record<keyof AllowFromOptions, true> = { methods: true, paths: true, grpc: true, ports: true, policyName: true };
