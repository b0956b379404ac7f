import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  GatewayComponentProps, GatewayDirection, ResolvedGateway, ComponentResources, checkResourceQuantities, gatewayComponent,
  gatewayHelmValues, resolveGateway,
} from './gateway-component';
import { ExtensionProvider, MeshSettings, installedProviders, renderMeshConfig } from './mesh-config';
import {
  DEFAULT_EGRESS_GATEWAY, DEFAULT_INGRESS_GATEWAY, InstallProfile, PROFILE_BASELINES, PROFILE_EXTENSION_PROVIDERS, PROFILE_INGRESS_PORTS,
} from './profile';
import { servedProblems } from './served-apps';
import { checkBooleans, checkJsonValue, checkList, checkMember, checkProps, describeGiven } from '../core/check';
import { compact } from '../core/compact';
import { imageProblem } from '../core/containers';
import { MeshConfigError } from '../core/errors';
import { LibraryApiObject } from '../core/library-api-object';
import { checkDnsSubdomain } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';
import { BUILT_IN_TELEMETRY_PROVIDERS, ExtensionProviderKind, IMeshProviders } from '../mesh/telemetry';

/** The Istio root namespace the install writes into (and the charts are installed in). */
export const ISTIO_NAMESPACE = 'istio-system';

/** Settings of the sidecars Istio injects: they mean nothing to ambient workloads, which have none. */
export interface SidecarProxySettings {
  /**
   * Start the application container only once its sidecar is ready, so the app's first requests do not fail.
   * @default false (Istio's)
   */
  readonly holdApplicationUntilProxyStarts?: boolean;
  /**
   * Resources of every injected `istio-proxy` container.
   * @default Istio's (100m CPU, 128Mi memory requested; 2 CPUs, 1Gi memory limit)
   */
  readonly resources?: ComponentResources;
}

/** The inclusive range of node ports the cluster's API server allocates from (`--service-node-port-range`). */
export interface NodePortRange {
  /** The lowest node port. */
  readonly min: number;
  /** The highest node port. */
  readonly max: number;
}

/** Props of {@link MeshInstall}. */
export interface MeshInstallProps {
  /**
   * The IstioOperator's name (and the folder of its Helm values files).
   * @default the construct id
   */
  readonly name?: string;
  /**
   * The profile the settings apply on top of.
   * @default InstallProfile.DEFAULT
   */
  readonly profile?: InstallProfile;
  /**
   * The registry of Istio's images.
   * @default the istioctl or chart release's
   */
  readonly hub?: string;
  /**
   * The Istio version of the images, e.g. `1.30.0`.
   * @default the istioctl or chart release's
   */
  readonly tag?: string;
  /**
   * The ingress gateways: exactly these are installed (a gateway of the profile not listed is turned off).
   * @default the profile's (istio-ingressgateway for default and demo, none for minimal and ambient)
   */
  readonly ingressGateways?: GatewayComponentProps[];
  /**
   * The egress gateways: exactly these are installed.
   * @default the profile's (istio-egressgateway for demo, none otherwise)
   */
  readonly egressGateways?: GatewayComponentProps[];
  /**
   * Mesh-wide settings: access logs, tracing, extension providers, outbound traffic policy.
   * @default Istio's
   */
  readonly meshConfig?: MeshSettings;
  /**
   * Settings of injected sidecars; refused with the ambient profile, whose workloads have no sidecar.
   * @default Istio's
   */
  readonly sidecarProxy?: SidecarProxySettings;
  /**
   * Further Helm values of the istiod chart (IstioOperator `spec.values`), merged with those the
   * typed settings write; a key both set is refused.
   * @default none
   */
  readonly values?: Record<string, unknown>;
  /**
   * The node port range of the cluster.
   * @default 30000 to 32767 (Kubernetes' default)
   */
  readonly nodePortRange?: NodePortRange;
  /**
   * Apps or charts this install must serve: their Istio Gateways must select an installed gateway,
   * their ambient namespaces and waypoints need the ambient profile, their NodePort Services must not
   * take a gateway's node port. More with `serve()`.
   * @default none
   */
  readonly serves?: IConstruct[];
}

/**
 * The image registry (`hub`, e.g. `docker.io/istio`) and `tag` of the install's images: Istio joins
 * them as `<hub>/<component>:<tag>`, so a scheme, a space or a tag Docker refuses makes every image
 * reference invalid.
 */
function checkImageParts(scope: Construct, hub: string | undefined, tag: string | undefined): void {
  if (hub !== undefined && (imageProblem(`${hub}/pilot:1`) !== undefined || hub.includes('://'))) {
    throw new MeshConfigError(scope, 'hub', `"${hub}" is not an image registry and path`,
      'give it without a scheme or tag, e.g. "docker.io/istio" or "registry.example.com:5000/istio"');
  }
  if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new MeshConfigError(scope, 'tag', `"${tag}" is not an image tag`, 'use letters, digits, "_", "." and "-", e.g. "1.30.3"');
  }
}

/** One Helm release of an install: `helm install <release> istio/<chart> -n <namespace> -f <valuesFile>`. */
export interface HelmRelease {
  /** The release name. */
  readonly release: string;
  /** The chart of Istio's Helm repository (https://istio-release.storage.googleapis.com/charts). */
  readonly chart: 'base' | 'istiod' | 'cni' | 'ztunnel' | 'gateway';
  /** The namespace it is installed in. */
  readonly namespace: string;
  /** The values file's name. */
  readonly valuesFile: string;
  /** The values. */
  readonly values: Record<string, unknown>;
}

/**
 * An Istio installation as code: writes the IstioOperator file `istioctl install -f` takes (a
 * profile, ingress and egress gateways with their Service type, ports and node ports, meshConfig,
 * values), and the same settings as values files of Istio's Helm charts (`helmReleases()`).
 *
 * It checks what would fail at install or at run time: node ports outside the cluster's range or
 * taken twice, two gateways with one name, sidecar settings with the ambient profile, and, for the
 * apps it serves, Gateways whose selector no installed gateway carries (routing through
 * `istio: egressgateway` with the egress gateway off), ambient namespaces and waypoints without
 * the ambient profile.
 */
export class MeshInstall extends Construct implements IMeshProviders {
  /** The IstioOperator's name. */
  public readonly name: string;
  /** The profile. */
  public readonly profile: InstallProfile;
  /** Every gateway, enabled or not, in the order written. */
  public readonly gateways: readonly ResolvedGateway[];
  /** The extension providers the mesh has: the profile's (demo: otel, skywalking, otel-tracing) and meshConfig's. */
  public readonly extensionProviders: readonly ExtensionProvider[];
  /** The IstioOperator object. */
  public readonly resource: ApiObject;

  private readonly served: IConstruct[] = [];
  private readonly nodePortRange: NodePortRange;
  private readonly meshConfig: Record<string, unknown> | undefined;
  private readonly values: Record<string, unknown>;
  private readonly written: Record<GatewayDirection, boolean>;

  constructor(scope: Construct, id: string, props: MeshInstallProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? id);
    checkImageParts(this, props.hub, props.tag);
    this.profile = checkMember(this, 'profile', props.profile ?? InstallProfile.DEFAULT, InstallProfile, 'InstallProfile');
    const baseline = PROFILE_BASELINES[this.profile];
    this.nodePortRange = props.nodePortRange ?? { min: 30000, max: 32767 };
    const { min, max } = this.nodePortRange;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65535 || min > max) {
      throw new MeshConfigError(this, 'nodePortRange', `${min}-${max} is not a range of ports (min ${min}, max ${max})`,
        'give the cluster\'s --service-node-port-range, min first, e.g. { min: 30000, max: 32767 }');
    }
    if (baseline.ambient && props.sidecarProxy !== undefined) {
      throw new MeshConfigError(this, 'sidecarProxy',
        'the ambient profile runs workloads without sidecars, so sidecar settings do nothing for them',
        'remove sidecarProxy, or choose a sidecar profile (default, demo, minimal)');
    }
    this.written = { ingress: props.ingressGateways !== undefined, egress: props.egressGateways !== undefined };
    this.gateways = [
      ...this.resolveGateways('ingress', props.ingressGateways, baseline.ingressGateway ? DEFAULT_INGRESS_GATEWAY : undefined,
        DEFAULT_INGRESS_GATEWAY),
      ...this.resolveGateways('egress', props.egressGateways, baseline.egressGateway ? DEFAULT_EGRESS_GATEWAY : undefined,
        DEFAULT_EGRESS_GATEWAY),
    ];
    this.checkGateways();
    const profileProviders = PROFILE_EXTENSION_PROVIDERS[this.profile];
    this.extensionProviders = installedProviders(profileProviders, props.meshConfig?.extensionProviders ?? []);
    this.meshConfig = renderMeshConfig(this, props.meshConfig ?? {}, props.sidecarProxy?.holdApplicationUntilProxyStarts, profileProviders);
    const proxyResources = props.sidecarProxy?.resources;
    checkResourceQuantities(this, 'sidecarProxy.resources', proxyResources);
    checkBooleans(this, 'sidecarProxy', props.sidecarProxy, ['holdApplicationUntilProxyStarts']);
    const typedValues = compact<Record<string, unknown>>({
      global: compact({ hub: props.hub, tag: props.tag, proxy: proxyResources && { resources: { ...proxyResources } } }),
    }) ?? {};
    if (props.values !== undefined && !isRecord(props.values)) {
      throw new MeshConfigError(this, 'values', `must be an object of Helm values, not ${describeGiven(props.values)}`,
        'give them as an object: values: { pilot: { autoscaleEnabled: false } }');
    }
    this.values = mergeValues(this, 'values', typedValues, checkJsonValue(this, 'values', props.values ?? {}));
    if (baseline.ambient) this.checkNoSidecarValues();
    for (const target of props.serves ?? []) this.serve(target);
    this.node.addValidation({ validate: () => servedProblems(this, this.served, this.enabledGateways, baseline.ambient) });
    this.resource = new LibraryApiObject(this, 'Resource', {
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      metadata: { name: this.name, namespace: ISTIO_NAMESPACE },
      spec: Lazy.any({ produce: () => this.renderSpec(props) }),
    });
  }

  /** The gateways that are installed. */
  public get enabledGateways(): ResolvedGateway[] {
    return this.gateways.filter(g => g.enabled);
  }

  /** Adds an app or chart the install must serve (see `serves`). */
  public serve(target: IConstruct): void {
    this.served.push(target);
  }

  /** Whether a resource may name this provider: a built-in one, or one of `meshConfig.extensionProviders` (of `kind`, when given). */
  public hasProvider(name: string, kind?: ExtensionProviderKind): boolean {
    const builtIn = BUILT_IN_TELEMETRY_PROVIDERS[name];
    if (builtIn !== undefined) return kind === undefined || builtIn === kind;
    return this.extensionProviders.some(p => p.name === name && (kind === undefined || p.kind === kind));
  }

  /**
   * The Helm releases that install the same mesh, in install order: `base`, `istiod`, for ambient
   * `cni` and `ztunnel`, then one `gateway` release per installed gateway, named after it.
   */
  public helmReleases(): HelmRelease[] {
    const baseline = PROFILE_BASELINES[this.profile];
    const profile = baseline.valuesProfile;
    const release = (r: Omit<HelmRelease, 'valuesFile'>): HelmRelease => ({ ...r, valuesFile: `${r.release}.values.yaml` });
    const global = { istioNamespace: ISTIO_NAMESPACE };
    const istiod = mergeValues(this, 'values', compact<Record<string, unknown>>({ profile, meshConfig: this.meshConfig }) ?? {},
      this.values);
    return [
      release({ release: 'istio-base', chart: 'base', namespace: ISTIO_NAMESPACE, values: { defaultRevision: 'default', global } }),
      release({ release: 'istiod', chart: 'istiod', namespace: ISTIO_NAMESPACE, values: mergeValues(this, 'values', { global }, istiod) }),
      ...baseline.ambient ? [
        release({ release: 'istio-cni', chart: 'cni', namespace: ISTIO_NAMESPACE, values: { profile: 'ambient', global } }),
        release({ release: 'ztunnel', chart: 'ztunnel', namespace: ISTIO_NAMESPACE, values: { profile: 'ambient', global } }),
      ] : [],
      ...this.enabledGateways.map(g => release({
        release: g.name,
        chart: 'gateway',
        namespace: g.namespace,
        values: gatewayHelmValues(g),
      })),
    ];
  }

  private resolveGateways(direction: GatewayDirection, given: GatewayComponentProps[] | undefined, profileDefault: string | undefined,
    profileGateway: string): ResolvedGateway[] {
    const field = `${direction}Gateways`;
    if (given === undefined) {
      const ports = direction === 'ingress' ? PROFILE_INGRESS_PORTS[this.profile] : undefined;
      return profileDefault === undefined ? [] : [resolveGateway(this, `${field} (the profile's ${profileDefault})`, direction,
        { name: profileDefault, ports: ports && [...ports] })];
    }
    const resolved = checkList(this, field, given).map((g, i) => resolveGateway(this, `${field}[${i}]`, direction, g));
    // Listing gateways replaces the profile's: its own gateway is turned off unless listed.
    const listed = resolved.some(g => g.name === profileGateway);
    return listed || profileDefault === undefined
      ? resolved
      : [...resolved, resolveGateway(this, `${field} (the profile's ${profileGateway}, turned off)`, direction, {
        name: profileGateway,
        enabled: false,
      })];
  }

  private checkGateways(): void {
    const names = new Map<string, ResolvedGateway>();
    const nodePorts = new Map<number, string>();
    for (const gateway of this.gateways) {
      const other = names.get(gateway.name);
      if (other) {
        throw new MeshConfigError(this, `${gateway.field}.name`, `"${gateway.name}" is already the name of ${other.field}`,
          'give every gateway its own name (it names its Deployment, Service and Helm release)');
      }
      names.set(gateway.name, gateway);
      if (!gateway.enabled) continue;
      gateway.ports.forEach((port, i) => {
        if (port.nodePort === undefined) return;
        const at = `${gateway.field}.ports[${i}].nodePort`;
        const { min, max } = this.nodePortRange;
        if (!Number.isInteger(port.nodePort) || port.nodePort < min || port.nodePort > max) {
          throw new MeshConfigError(this, at, `${port.nodePort} is outside the cluster's node port range ${min}-${max}`,
            `use a port from ${min} to ${max}, or set nodePortRange to the cluster's --service-node-port-range`);
        }
        const taken = nodePorts.get(port.nodePort);
        if (taken) {
          throw new MeshConfigError(this, at, `node port ${port.nodePort} is already taken by ${taken}`,
            'give every port its own node port');
        }
        nodePorts.set(port.nodePort, `${gateway.name} port ${port.name}`);
      });
    }
  }

  /** Helm values that configure only sidecars (injection, the init container), refused with the ambient profile. */
  private checkNoSidecarValues(): void {
    const global = this.values.global as Record<string, unknown> | undefined;
    const found = [
      this.values.sidecarInjectorWebhook !== undefined ? 'values.sidecarInjectorWebhook' : undefined,
      global?.proxy_init !== undefined ? 'values.global.proxy_init' : undefined,
    ].find(f => f !== undefined);
    if (found) {
      throw new MeshConfigError(this, found, 'the ambient profile runs workloads without sidecars, so sidecar settings do nothing for them',
        'remove the setting, or choose a sidecar profile (default, demo, minimal)');
    }
  }

  private renderSpec(props: MeshInstallProps): Record<string, unknown> {
    const list = (direction: GatewayDirection) =>
      (this.written[direction] ? this.gateways.filter(g => g.direction === direction).map(gatewayComponent) : undefined);
    const ingressGateways = list('ingress');
    const egressGateways = list('egress');
    return compact<Record<string, unknown>>({
      profile: this.profile,
      hub: props.hub,
      tag: props.tag,
      components: compact({ ingressGateways, egressGateways }),
      meshConfig: this.meshConfig,
      values: Object.keys(this.values).length > 0 ? structuredClone(this.values) : undefined,
    })!;
  }
}

/** `base` and `extra` merged key by key; a leaf both set is refused (naming `field`.<path>). */
function mergeValues(scope: IConstruct, field: string, base: Record<string, unknown>, extra: Record<string, unknown>): Record<string,
  unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(extra)) {
    const at = `${field}.${key}`;
    const mine = out[key];
    if (mine === undefined) {
      out[key] = structuredClone(value);
    } else if (isRecord(mine) && isRecord(value)) {
      out[key] = mergeValues(scope, at, mine, value);
    } else {
      throw new MeshConfigError(scope, at, 'the key is also written by a typed setting of the install',
        `remove ${at} and use the typed setting`);
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
