import { ApiObject, Chart } from 'cdk8s';
import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { annotateNotSecretEnv } from './env-value';
import { kubeDeployment, kubeService, kubeServiceAccount, kubeStatefulSet } from './kube-objects';
import { QUANTITY, podEnv, podSpec, withDefaults } from './pod-template';
import { ServiceAccountRef } from './service-account';
import { MeshServicePort, PortProtocol, portNameMatchesProtocol } from './service-port';
import { WorkloadRef } from './workload-ref';
import { VolumeClaim, WorkloadDefaults, WorkloadKind, WorkloadVersionProps } from './workload-version';
import { checkPortNumber } from '../core/checks';
import { MeshConfigError } from '../core/errors';
import { k8s } from '../core/kubernetes-l1';
import { checkDnsLabel, checkDnsSubdomain, checkLabelKey, checkLabelValue, checkLabels } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { defaultPortName } from '../core/port-names';
import { registerLibraryConstruct } from '../core/registry';
import type { IRoutableService, ResolvedServicePort } from '../core/workload-refs';
import { Destination } from '../mesh/destination';
import { DestinationRule } from '../mesh/destination-rule';
import { AuthorizationAction, AuthorizationPolicy } from '../security/authorization-policy';
import { Caller } from '../security/caller';

/** Props of {@link MeshService}. */
export interface MeshServiceProps {
  /**
   * The Service name (also the `app` label, the container name and the Deployment name prefix).
   * @default the construct id
   */
  readonly name?: string;
  /**
   * A single HTTP port (named `http`); shorthand for `ports: [{ port }]`. Exactly one of `port`
   * and `ports` is required.
   * @default none
   */
  readonly port?: number;
  /**
   * The Service ports, each named so Istio can classify its protocol. An empty list declares a
   * workload nothing calls (a queue worker, a batch job): it gets no Service.
   * @default none
   */
  readonly ports?: MeshServicePort[];
  /**
   * The versions, each a Deployment labelled `app: <name>` and `version: <key>`. The Service
   * selects `app` only, so every version receives traffic unless a route picks a version.
   * A version may be an existing Deployment or StatefulSet (`WorkloadRef.existing(kubeDeployment)`),
   * whose selector must pick `version: <key>`. Exactly one of `versions` and `workload` is required.
   * @default none
   */
  readonly versions?: Record<string, WorkloadVersionProps | WorkloadRef>;
  /**
   * The service's only workload, without versions: a Deployment named after the service and
   * labelled `app: <name>` only, as most existing manifests are, so one can be migrated in place.
   * Routes send traffic to the service as a whole; routing to a version is refused. To canary it
   * later, move its props to `versions: { v1: … }` (and add `v2`). An existing Deployment or
   * StatefulSet (`WorkloadRef.existing(kubeDeployment)`) is enrolled as it is: its pods get the
   * `app` label and the service's ServiceAccount.
   * @default none
   */
  readonly workload?: WorkloadVersionProps | WorkloadRef;
  /**
   * The ServiceAccount every version runs as (created by the service); its identity is what
   * authorization policies name.
   * @default the service name
   */
  readonly serviceAccountName?: string;
  /**
   * An existing ServiceAccount to run as instead (`ServiceAccountRef.existing('shop-sa')`): the
   * service uses its name and does not emit one.
   * @default a ServiceAccount the service creates, named `serviceAccountName`
   */
  readonly serviceAccount?: ServiceAccountRef;
  /**
   * Annotations on the ServiceAccount the service creates, e.g. a cloud workload identity
   * (`iam.gke.io/gcp-service-account`, `eks.amazonaws.com/role-arn`, `azure.workload.identity/client-id`).
   * @default none
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /**
   * The Service type. A NodePort or LoadBalancer Service also exposes the workload outside the
   * mesh, bypassing the ingress gateway's routes and policies.
   * @default ServiceType.CLUSTER_IP
   */
  readonly serviceType?: ServiceType;
  /**
   * Annotations on the Service (e.g. a cloud load balancer's settings).
   * @default none
   */
  readonly serviceAnnotations?: Record<string, string>;
  /**
   * Labels added to the Service's own `app` and `service` labels (which they cannot replace).
   * @default none
   */
  readonly serviceLabels?: Record<string, string>;
  /**
   * The container name in every version's pod the service builds (not in an enrolled workload's).
   * @default the service name
   */
  readonly containerName?: string;
  /**
   * Annotations on the pod template of every version the service builds (not an enrolled
   * workload's), e.g. Prometheus scrape settings.
   * @default none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Container and pod settings every version the service builds shares (resources, env, probes, security context,
   * scheduling, …); a version's own value replaces the default's, except `env`, `requests`,
   * `limits` and `nodeSelector`, merged by key with the version's entries winning.
   * @default none
   */
  readonly defaults?: WorkloadDefaults;
}

export type { ResolvedServicePort } from '../core/workload-refs';

/** How a Service is exposed. */
export enum ServiceType {
  /** A cluster-internal virtual IP (what the mesh routes to). */
  CLUSTER_IP = 'ClusterIP',
  /** ClusterIP, plus a port on every node. */
  NODE_PORT = 'NodePort',
  /** NodePort, plus the cloud provider's external load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
}

/** Protocols whose requests have methods and paths an AuthorizationPolicy can match. */
const HTTP_PROTOCOLS = [PortProtocol.HTTP, PortProtocol.HTTP2, PortProtocol.GRPC, PortProtocol.GRPC_WEB];

/** Options of {@link MeshService.allowFrom}. */
export interface AllowFromOptions {
  /**
   * HTTP methods allowed.
   * @default every method
   */
  readonly methods?: string[];
  /**
   * Paths allowed (exact, `prefix*` or `*suffix`).
   * @default every path
   */
  readonly paths?: string[];
  /**
   * gRPC methods allowed, `<package>.<Service>/<Method>` or `<package>.<Service>/*` for every
   * method of a service, written as the paths Istio matches (`/<package>.<Service>/<Method>`).
   * On a rule that matches only gRPC ports, `methods` may only be POST (every gRPC call is) and
   * `paths` must be gRPC paths; `grpc` needs a gRPC, gRPC-Web or HTTP/2 port.
   * @default every method
   */
  readonly grpc?: string[];
  /**
   * Service ports allowed (written as the container ports they forward to, which is what Istio
   * matches).
   * @default every port
   */
  readonly ports?: number[];
  /**
   * Name of the service's ALLOW policy; only the first call that creates it may set it.
   * @default `<service name>-allow`
   */
  readonly policyName?: string;
}


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
    this.ports = this.resolvePorts(props);
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
        ports: this.servicePorts(),
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
    const versions = Object.entries(props.versions!);
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
    const name = options.policyName ?? this.allowPolicy?.name ?? `${this.name}-allow`;
    if (this.allowPolicy && name !== this.allowPolicy.name) {
      throw new MeshConfigError(this, 'allowFrom.policyName', `the service's ALLOW policy is already named "${this.allowPolicy.name}"`,
        'pass the same policyName (or none) on every allowFrom() call');
    }
    this.allowPolicy ??= new AuthorizationPolicy(this, 'AllowPolicy', { name, selector: this, action: AuthorizationAction.ALLOW });
    const list = (Array.isArray(callers) ? callers : [callers]).map(c => (c instanceof Caller ? c : Caller.service(c)));
    if (list.length === 0) {
      throw new MeshConfigError(this, 'allowFrom.callers', 'no callers given (an empty list would allow everyone)',
        'pass the MeshServices or Callers to allow, or Caller.any() to allow everyone');
    }
    if ((options.methods || options.paths) && !this.ports.some(p => HTTP_PROTOCOLS.includes(p.protocol))) {
      throw new MeshConfigError(this, 'allowFrom.methods',
        'methods and paths only apply to HTTP, and this service has no HTTP port (Istio would deny every call)',
        'allow by caller (and ports) only, or declare the port\'s HTTP protocol');
    }
    // Istio matches ports against the workload's (container) port, not the Service port.
    const ports = options.ports?.map((port, i) => {
      const match = this.ports.find(p => p.port === port) ?? this.ports.find(p => p.targetPort === port);
      if (!match) {
        throw new MeshConfigError(this, `allowFrom.ports[${i}]`,
          `${port} is not a port of this service (it has ${this.ports.map(p => p.port).join(', ')})`,
          'use one of the service\'s ports');
      }
      return match.targetPort;
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
      : this.buildWorkload(version, field, labels, props);
    if (version === undefined) this.single = deployment;
    else this.deployments.set(version, deployment);
    return deployment;
  }

  /** A Deployment or StatefulSet built from `props`, its pods labelled `labels`. */
  private buildWorkload(version: string | undefined, field: string, labels: Record<string, string>,
    props: WorkloadVersionProps): ApiObject {
    const annotations = { ...this.podAnnotations, ...props.podAnnotations };
    const merged = withDefaults(this.defaults, props);
    const spec = podSpec(this, field, merged, {
      name: this.containerName,
      ports: this.containerPorts(),
      portNames: new Map(this.ports.map(p => [p.name, p.targetPort])),
    }, this.serviceAccountName, labels);
    const name = version === undefined ? this.name : `${this.name}-${version}`;
    const id = version === undefined ? 'Deployment' : `Deployment-${version}`;
    const replicas = this.checkReplicas(field, props.replicas ?? 1);
    const template = { metadata: { ...(Object.keys(annotations).length > 0 && { annotations }), labels }, spec };
    const deployment = props.kind === WorkloadKind.STATEFUL_SET
      ? kubeStatefulSet(this, id, {
        metadata: { name, labels },
        spec: {
          serviceName: this.headlessService().name,
          replicas,
          selector: { matchLabels: labels },
          ...this.withClaims(field, template, props.volumeClaims ?? []),
        },
      })
      : kubeDeployment(this, id, {
        metadata: { name, labels },
        spec: {
          replicas, selector: { matchLabels: labels }, template: this.withClaims(field, template, props.volumeClaims, true).template,
        },
      });
    annotateNotSecretEnv(deployment, podEnv(merged));
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

  /** One container port per distinct target port (UDP ports declared as such). */
  private containerPorts(): K8s.ContainerPort[] {
    const seen = new Set<string>();
    return this.ports.flatMap(p => {
      const protocol = p.protocol === PortProtocol.UDP ? 'UDP' : 'TCP';
      const key = `${p.targetPort}/${protocol}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ containerPort: p.targetPort, ...(protocol === 'UDP' && { protocol }) }];
    });
  }

  private checkReplicas(field: string, replicas: number): number {
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new MeshConfigError(this, `${field}.replicas`, `${replicas} is not a number of pods`,
        'use a whole number, 0 or more');
    }
    return replicas;
  }

  /**
   * The pod template with the claims mounted into the main container, and the claim templates;
   * `deployment` refuses claims (a Deployment has none).
   */
  private withClaims(field: string, template: K8s.PodTemplateSpec, claims: VolumeClaim[] | undefined, deployment = false):
  { template: K8s.PodTemplateSpec; volumeClaimTemplates?: K8s.KubePersistentVolumeClaimProps[] } {
    if (claims === undefined || claims.length === 0) return { template };
    if (deployment) {
      throw new MeshConfigError(this, `${field}.volumeClaims`, 'only a StatefulSet has volume claim templates',
        'set kind: WorkloadKind.STATEFUL_SET, or mount an existing claim with '
        + 'volumes: [{ ..., source: VolumeSource.persistentVolumeClaim(name) }]');
    }
    const spec = template.spec!;
    const [main, ...rest] = spec.containers;
    const taken = new Set((spec.volumes ?? []).map(v => v.name));
    claims.forEach((c, i) => {
      const at = `${field}.volumeClaims[${i}]`;
      checkDnsLabel(this, `${at}.name`, c.name);
      if (taken.has(c.name)) {
        throw new MeshConfigError(this, `${at}.name`, `"${c.name}" names another volume of the pod`,
          'give every volume and claim its own name');
      }
      taken.add(c.name);
      if (!QUANTITY.test(c.storage) || c.storage.startsWith('-')) {
        throw new MeshConfigError(this, `${at}.storage`, `"${c.storage}" is not a storage quantity`, 'use e.g. "1Gi" or "500Mi"');
      }
      if (c.storageClassName !== undefined) checkDnsSubdomain(this, `${at}.storageClassName`, c.storageClassName);
    });
    const mounts = claims.map(c => ({ name: c.name, mountPath: c.mountPath }));
    return {
      template: {
        ...template,
        spec: { ...spec, containers: [{ ...main, volumeMounts: [...main.volumeMounts ?? [], ...mounts] }, ...rest] },
      },
      volumeClaimTemplates: claims.map(c => ({
        metadata: { name: c.name },
        spec: {
          accessModes: c.accessModes ?? ['ReadWriteOnce'],
          ...(c.storageClassName !== undefined && { storageClassName: c.storageClassName }),
          resources: { requests: { storage: k8s.Quantity.fromString(c.storage) } },
        },
      })),
    };
  }

  /** The service's ports as Service ports (its Service and a StatefulSet's headless Service share them). */
  private servicePorts(): K8s.ServicePort[] {
    return this.ports.map(p => ({
      port: p.port,
      name: p.name,
      ...(p.protocol === PortProtocol.UDP && { protocol: 'UDP' }),
      ...(p.targetPort !== p.port && { targetPort: k8s.IntOrString.fromNumber(p.targetPort) }),
    }));
  }

  /** The headless Service `<name>-headless` a StatefulSet names (created with the first one), for its pods' DNS names. */
  private headlessService(): { name: string } {
    const name = checkDnsLabel(this, 'name', `${this.name}-headless`);
    if (!this.node.tryFindChild('HeadlessService')) {
      kubeService(this, 'HeadlessService', {
        metadata: { name, labels: { app: this.name, service: name } },
        spec: {
          clusterIp: 'None',
          ports: this.servicePorts(),
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

  private resolvePorts(props: MeshServiceProps): ResolvedServicePort[] {
    if ((props.port === undefined) === (props.ports === undefined)) {
      throw new MeshConfigError(this, 'port', 'exactly one of port and ports is required',
        'set port: 8080 for a single HTTP port, ports: [...] for several, or ports: [] for a workload nothing calls');
    }
    const specs: MeshServicePort[] = props.ports ?? [{ port: props.port! }];
    const seenNames = new Set<string>();
    const seenPorts = new Set<number>();
    return specs.map((spec, i) => {
      const field = props.ports ? `ports[${i}]` : 'port';
      for (const [key, value] of [['port', spec.port], ['targetPort', spec.targetPort ?? spec.port]] as const) {
        checkPortNumber(this, `${field}.${key}`, value);
      }
      const protocol = spec.protocol ?? PortProtocol.HTTP;
      const name = spec.name ?? defaultPortName(protocol, spec.port, specs.slice(0, i).map(s => s.protocol ?? PortProtocol.HTTP));
      if (!portNameMatchesProtocol(name, protocol)) {
        throw new MeshConfigError(this, `${field}.name`, `"${name}" does not tell Istio the port speaks ${protocol}`,
          `name it "${protocol}" or "${protocol}-<suffix>", or omit name to get "${protocol}"`);
      }
      if (seenNames.has(name) || seenPorts.has(spec.port)) {
        throw new MeshConfigError(this, field, `port ${spec.port} ("${name}") repeats a port number or name`,
          'give every port its own number and name');
      }
      seenNames.add(name);
      seenPorts.add(spec.port);
      return { port: spec.port, targetPort: spec.targetPort ?? spec.port, protocol, name };
    });
  }
}

/** Checks the keys of an annotation map; returns it, or undefined when empty. */
function checkAnnotationKeys(scope: IConstruct, field: string,
  annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (annotations === undefined || Object.keys(annotations).length === 0) return undefined;
  for (const key of Object.keys(annotations)) checkLabelKey(scope, `${field}.${key}`, key);
  return annotations;
}
