import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as GW from '../../imports/gateway.networking.k8s.io';
import { IWaypoint, bindServiceWaypoint, isAmbientNamespace, isDeclaredNamespace } from '../core/ambient';
import { checkMember, checkProps } from '../core/check';
import { MeshConfigError, formatProblem } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsLabel, checkNamespaceName } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { registerLibraryConstruct } from '../core/registry';
import { checkSameApp } from '../core/source-identities';
import type { IMeshWorkload } from '../core/workload-refs';

/** The Gateway class of Istio's waypoint proxies. */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';
/** The HBONE port every waypoint listens on. */
export const HBONE_PORT = 15008;
/** The label that names a resource's waypoint (on a Namespace or a Service). */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** The label naming the waypoint's namespace, when it is not the labelled resource's. */
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';
/** The label that sends traffic from ingress gateways through the waypoint too. */
export const INGRESS_USE_WAYPOINT_LABEL = 'istio.io/ingress-use-waypoint';
/** The label on the pods Istio deploys for a Gateway API Gateway (waypoints included): the Gateway's name. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** The traffic a waypoint handles: its `istio.io/waypoint-for` label. */
export enum WaypointTrafficType {
  /** Traffic addressed to a Service (what `istioctl waypoint generate` writes). */
  SERVICE = 'service',
  /** Traffic addressed to a pod's IP. */
  WORKLOAD = 'workload',
  /** Both. */
  ALL = 'all',
  /** Neither (the waypoint only serves what routes attach to it). */
  NONE = 'none',
}

/** Props of {@link Waypoint}. */
export interface WaypointProps {
  /**
   * The Gateway name; Istio names the waypoint's Deployment, Service and ServiceAccount after it.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * The namespace the waypoint runs in.
   * @default the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The traffic the waypoint handles. Only a `SERVICE` or `ALL` waypoint can be used by a namespace
   * (`MeshNamespace.useWaypoint`) or a service (`enroll`): the others never see traffic addressed to
   * a Service.
   * @default WaypointTrafficType.SERVICE
   */
  readonly trafficType?: WaypointTrafficType;
}

/**
 * An Istio waypoint proxy for ambient mode: a Gateway API Gateway of class `istio-waypoint` with
 * the HBONE listener on port 15008, labelled `istio.io/waypoint-for`, from which Istio deploys an
 * Envoy that enforces L7 policies (HTTP methods, paths, JWTs) and routes for the namespaces and
 * services that use it. Enroll a namespace with `MeshNamespace.useWaypoint()` (or create both with
 * `MeshNamespace.addWaypoint()`), a single service with `enroll()`; both must be ambient
 * namespaces of the app.
 *
 * Its pods run as the ServiceAccount named after the Gateway (Istio adds no class suffix for
 * waypoints), so `Caller.service(waypoint)` is the identity ztunnel sees on traffic the waypoint
 * forwards.
 */
export class Waypoint extends Construct implements IWaypoint {
  /** The Gateway name. */
  public readonly name: string;
  /** The namespace the waypoint runs in. */
  public readonly namespace: string;
  /** The traffic the waypoint handles. */
  public readonly trafficType: WaypointTrafficType;
  /** The L1 Gateway. */
  public readonly resource: ApiObject;

  /** Namespaces whose resources use this waypoint (besides its own), which its listener must admit. */
  private readonly clientNamespaces = new Set<string>();

  constructor(scope: Construct, id: string, props: WaypointProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.name = checkDnsLabel(this, 'name', props.name ?? id);
    this.namespace = props.namespace === undefined ? namespaceOf(this) : checkNamespaceName(this, 'namespace', props.namespace);
    this.trafficType = checkMember(this, 'trafficType', props.trafficType ?? WaypointTrafficType.SERVICE, WaypointTrafficType,
      'WaypointTrafficType');
    const metadata = {
      name: this.name,
      labels: { 'istio.io/waypoint-for': this.trafficType },
      ...(props.namespace !== undefined && { namespace: props.namespace }),
    };
    // In a namespace the app enrolls for sidecars, and used by no other namespace, a waypoint serves nobody.
    this.node.addValidation({
      validate: () => (this.clientNamespaces.size === 0 && isDeclaredNamespace(this, this.namespace)
        && !isAmbientNamespace(this, this.namespace)
        ? [formatProblem(this, 'namespace', `namespace ${this.namespace} is enrolled for sidecars, which never send traffic to a waypoint, `
          + 'and no ambient namespace uses this one', 'enroll the namespace with MeshEnrollment.AMBIENT, use the waypoint from an ambient '
          + 'namespace (useWaypoint), or drop it (sidecars enforce L7 policies themselves)')]
        : []),
    });
    this.resource = libraryObject(this, 'Resource', GW.Gateway, metadata, (): GW.GatewaySpec => ({
      gatewayClassName: WAYPOINT_GATEWAY_CLASS,
      listeners: [{ name: 'mesh', port: HBONE_PORT, protocol: 'HBONE', ...this.allowedRoutes() }],
    }), GW.toJson_GatewaySpec);
  }

  /** The ServiceAccount the waypoint's pods run as (the Gateway name). */
  public get serviceAccountName(): string {
    return this.name;
  }

  /** Labels of the waypoint's pods. */
  public get selectorLabels(): Record<string, string> {
    return { [GATEWAY_NAME_LABEL]: this.name };
  }

  /**
   * Sends the traffic addressed to one service through this waypoint: labels its Service
   * `istio.io/use-waypoint` (and `istio.io/use-waypoint-namespace` from another namespace) and
   * `istio.io/ingress-use-waypoint: "true"`, so calls from ingress gateways pass the same policies.
   * The service's namespace must be an ambient MeshNamespace of the app (checked at synthesis).
   */
  public enroll(service: IMeshWorkload): void {
    checkSameApp(this, 'enroll()', service);
    const object = service.node.children.find((c): c is ApiObject =>
      c instanceof ApiObject && c.kind === 'Service' && c.apiVersion === 'v1' && c.metadata.name === service.name);
    if (!object) {
      throw new MeshConfigError(this, 'enroll', `${service.node.path} has no Service named ${service.name}, so no traffic addresses it`,
        'enroll a MeshService that has ports, or the namespace of the workload (MeshNamespace.useWaypoint)');
    }
    this._checkCarriesServiceTraffic('enroll', `traffic addressed to ${service.node.path}`);
    const current = object.metadata.getLabel(USE_WAYPOINT_LABEL);
    const currentNamespace = object.metadata.getLabel(USE_WAYPOINT_NAMESPACE_LABEL) ?? service.namespace;
    if (current !== undefined && (current !== this.name || currentNamespace !== this.namespace)) {
      throw new MeshConfigError(this, 'enroll', `${service.node.path} is already enrolled in waypoint ${currentNamespace}/${current}, `
        + 'and a Service uses one waypoint', 'enroll each service in one waypoint');
    }
    for (const [key, value] of Object.entries(this._labelsFor(service.namespace))) object.metadata.addLabel(key, value);
    bindServiceWaypoint(service, this);
    this.node.addValidation({ validate: () => this.namespaceProblems(`enroll(${service.node.path})`, service.namespace) });
  }

  /**
   * @internal Refuses to send a Service's or a namespace's traffic through a waypoint whose
   * `istio.io/waypoint-for` leaves out traffic addressed to Services (workload, none): Istio would
   * send it past the waypoint, and the library attaches the L7 policies of enrolled services to the
   * waypoint and lets their ztunnels accept only it.
   */
  public _checkCarriesServiceTraffic(method: string, what: string): void {
    if (this.trafficType === WaypointTrafficType.SERVICE || this.trafficType === WaypointTrafficType.ALL) return;
    throw new MeshConfigError(this, method, `the waypoint is for ${this.trafficType} traffic (istio.io/waypoint-for), so ${what} `
      + 'would not pass it', 'create it with trafficType: WaypointTrafficType.SERVICE (the default) or WaypointTrafficType.ALL');
  }

  /**
   * @internal The labels that make resources of `namespace` use this waypoint, and records that the
   * namespace uses it (its listener then admits the namespace).
   */
  public _labelsFor(namespace: string): Record<string, string> {
    if (namespace !== this.namespace) this.clientNamespaces.add(namespace);
    return {
      [USE_WAYPOINT_LABEL]: this.name,
      ...(namespace !== this.namespace && { [USE_WAYPOINT_NAMESPACE_LABEL]: this.namespace }),
      [INGRESS_USE_WAYPOINT_LABEL]: 'true',
    };
  }

  /** A service's namespace must be one the app enrolls in ambient mode: sidecars never send traffic to waypoints. */
  private namespaceProblems(field: string, namespace: string): string[] {
    if (isAmbientNamespace(this, namespace)) return [];
    return [formatProblem(this, field, `namespace ${namespace} is not an ambient MeshNamespace of this app, `
      + `so its traffic never reaches waypoint ${this.namespace}/${this.name}`,
    `declare new MeshNamespace(chart, '${namespace}', { enrollment: MeshEnrollment.AMBIENT }) in the app`)];
  }

  /** The listener's allowedRoutes: the waypoint's own namespace (the Gateway API default) plus those enrolled from elsewhere. */
  private allowedRoutes(): Pick<GW.GatewaySpecListeners, 'allowedRoutes'> {
    if (this.clientNamespaces.size === 0) return {};
    return {
      allowedRoutes: {
        namespaces: {
          from: GW.GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
          selector: {
            matchExpressions: [{
              key: 'kubernetes.io/metadata.name', operator: 'In', values: [this.namespace, ...[...this.clientNamespaces].sort()],
            }],
          },
        },
      },
    };
  }
}
