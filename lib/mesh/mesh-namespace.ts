import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { INGRESS_USE_WAYPOINT_LABEL, USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL, Waypoint, WaypointProps } from './waypoint';
import { bindNamespaceWaypoint, declareNamespace } from '../core/ambient';
import { checkMember, checkProps } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { k8s } from '../core/kubernetes-l1';
import { MESH_ENROLLMENT_LABELS } from '../core/mesh-labels';
import { checkDnsLabel, checkLabelValue } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';
import { checkSameApp } from '../core/source-identities';
import { AuthorizationPolicy } from '../security/authorization-policy';
import { MtlsMode, PeerAuthentication } from '../security/peer-authentication';

/** How a namespace's workloads join the mesh: exactly one of these per namespace. */
export enum MeshEnrollment {
  /** Sidecar injection by the default revision: `istio-injection: enabled`. */
  SIDECAR = 'sidecar',
  /** Sidecar injection by a named control-plane revision: `istio.io/rev: <revision>`. */
  REVISION = 'revision',
  /** Ambient mode, no sidecars: `istio.io/dataplane-mode: ambient`. */
  AMBIENT = 'ambient',
}

/** Props of {@link MeshNamespace}. */
export interface MeshNamespaceProps {
  /**
   * The namespace name.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * How workloads in the namespace join the mesh.
   * @default MeshEnrollment.SIDECAR
   */
  readonly enrollment?: MeshEnrollment;
  /**
   * The control-plane revision (e.g. `1-30-3`, `canary`); required with `MeshEnrollment.REVISION`
   * and not allowed otherwise.
   * @default none
   */
  readonly revision?: string;
  /**
   * Extra labels. The enrollment labels are managed by this construct and may not be set here.
   * @default none
   */
  readonly labels?: Record<string, string>;
}

/** The namespace labels {@link MeshNamespace.useWaypoint} manages. */
const WAYPOINT_LABELS: readonly string[] = [USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL, INGRESS_USE_WAYPOINT_LABEL];


/**
 * A Namespace enrolled in the Istio mesh, labelled for sidecar injection (the default), for a
 * control-plane revision, or for ambient mode — exactly one, so the namespace can never carry the
 * conflicting labels that `istioctl analyze` reports as IST0123.
 *
 * The Namespace is cluster-scoped: it never carries `metadata.namespace`, even in a chart that
 * sets one.
 */
export class MeshNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** How workloads in the namespace join the mesh. */
  public readonly enrollment: MeshEnrollment;
  /** The L1 Namespace object. */
  public readonly resource: ApiObject;

  private _waypoint?: Waypoint;

  constructor(scope: Construct, id: string, props: MeshNamespaceProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.name = checkDnsLabel(this, 'name', props.name ?? id);
    this.enrollment = checkMember(this, 'enrollment', props.enrollment ?? MeshEnrollment.SIDECAR, MeshEnrollment, 'MeshEnrollment');
    if (this.enrollment === MeshEnrollment.REVISION && !props.revision) {
      throw new MeshConfigError(this, 'revision', 'MeshEnrollment.REVISION needs the revision name',
        'set revision to the istio.io/rev of the control plane (see `kubectl get mutatingwebhookconfigurations`)');
    }
    if (this.enrollment !== MeshEnrollment.REVISION && props.revision !== undefined) {
      throw new MeshConfigError(this, 'revision', `a revision only applies to MeshEnrollment.REVISION, not ${this.enrollment}`,
        'remove revision or set enrollment: MeshEnrollment.REVISION');
    }
    for (const key of Object.keys(props.labels ?? {})) {
      if ((MESH_ENROLLMENT_LABELS as readonly string[]).includes(key)) {
        throw new MeshConfigError(this, `labels.${key}`, 'mesh enrollment labels are set by the enrollment prop',
          'remove the label and choose enrollment (and revision) instead');
      }
      if (WAYPOINT_LABELS.includes(key)) {
        throw new MeshConfigError(this, `labels.${key}`, 'waypoint labels are set by useWaypoint()',
          'remove the label and call useWaypoint(waypoint) or addWaypoint()');
      }
    }
    this.resource = new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name: this.name, labels: { ...props.labels, ...this.enrollmentLabel(props.revision) } },
    });
    declareNamespace(this, this.name, this.enrollment === MeshEnrollment.AMBIENT);
    if (Chart.of(this).namespace) {
      // cdk8s stamps the chart's namespace on every object; a Namespace is cluster-scoped.
      this.resource.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
  }

  /** The waypoint the namespace's services use, once `useWaypoint()` or `addWaypoint()` set it. */
  public get waypoint(): Waypoint | undefined {
    return this._waypoint;
  }

  /**
   * Requires mutual TLS for every workload in the namespace: the PeerAuthentication `default`
   * with the given mode.
   * @param mode default MtlsMode.STRICT
   */
  public requireMtls(mode: MtlsMode = MtlsMode.STRICT): PeerAuthentication {
    this.once('PeerAuthentication', 'requireMtls');
    return new PeerAuthentication(this, 'PeerAuthentication', { name: 'default', namespace: this.name, mode });
  }

  /**
   * Denies every request to the namespace's workloads unless an ALLOW policy allows it: the
   * `allow-nothing` AuthorizationPolicy.
   */
  public denyByDefault(name = 'allow-nothing'): AuthorizationPolicy {
    this.once('AllowNothing', 'denyByDefault');
    return AuthorizationPolicy.allowNothing(this, 'AllowNothing', { name, namespace: this.name });
  }

  /**
   * Sends the traffic addressed to the namespace's services through `waypoint` (ambient mode
   * only): labels the namespace `istio.io/use-waypoint` (and `istio.io/use-waypoint-namespace`
   * when the waypoint runs elsewhere) and `istio.io/ingress-use-waypoint: "true"`, so calls from
   * ingress gateways pass the waypoint's policies too. From then on the L7 authorization of the
   * namespace's services is attached to the waypoint (`targetRefs`), and each service's ztunnel
   * accepts only the waypoint (see AuthorizationPolicy).
   */
  public useWaypoint(waypoint: Waypoint): Waypoint {
    this.checkWaypointAllowed('useWaypoint()');
    checkSameApp(this, 'useWaypoint()', waypoint);
    waypoint._checkCarriesServiceTraffic('useWaypoint()', `traffic addressed to the services of namespace ${this.name}`);
    this._waypoint = waypoint;
    for (const [key, value] of Object.entries(waypoint._labelsFor(this.name))) this.resource.metadata.addLabel(key, value);
    bindNamespaceWaypoint(this, this.name, waypoint);
    return waypoint;
  }

  /**
   * Creates a waypoint in this namespace and sends the namespace's traffic through it, as
   * `istioctl waypoint apply --enroll-namespace` does (ambient mode only).
   * @param props the waypoint's props; its name defaults to `waypoint`, its namespace is this one
   */
  public addWaypoint(props: Omit<WaypointProps, 'namespace'> = {}): Waypoint {
    this.checkWaypointAllowed('addWaypoint()');
    return this.useWaypoint(new Waypoint(this, 'Waypoint', { name: 'waypoint', ...props, namespace: this.name }));
  }

  /** A waypoint serves ambient workloads only, and a namespace uses one waypoint. */
  private checkWaypointAllowed(method: string): void {
    if (this.enrollment !== MeshEnrollment.AMBIENT) {
      throw new MeshConfigError(this, method, `a waypoint only serves ambient workloads, and this namespace uses ${this.enrollment}`,
        'set enrollment: MeshEnrollment.AMBIENT, or keep sidecars (which enforce L7 policies themselves) and drop the waypoint');
    }
    if (this._waypoint) {
      throw new MeshConfigError(this, method, `the namespace already uses waypoint ${this._waypoint.node.path}`,
        'call useWaypoint() or addWaypoint() once; enroll single services in another waypoint with waypoint.enroll(service)');
    }
  }

  private once(childId: string, method: string): void {
    if (this.node.tryFindChild(childId)) {
      throw new MeshConfigError(this, `${method}()`, `${method}() was already called for this namespace`, 'call it once');
    }
  }

  private enrollmentLabel(revision: string | undefined): Record<string, string> {
    switch (this.enrollment) {
      case MeshEnrollment.SIDECAR: return { 'istio-injection': 'enabled' };
      case MeshEnrollment.REVISION: return { 'istio.io/rev': checkLabelValue(this, 'revision', revision!) };
      case MeshEnrollment.AMBIENT: return { 'istio.io/dataplane-mode': 'ambient' };
    }
  }
}
