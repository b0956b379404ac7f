import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshConfigError } from '../core/errors';
import { k8s } from '../core/kubernetes-l1';
import { MESH_ENROLLMENT_LABELS } from '../core/mesh-labels';
import { checkDnsLabel, checkLabelValue } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';
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

  constructor(scope: Construct, id: string, props: MeshNamespaceProps = {}) {
    super(scope, id);
    registerLibraryConstruct(this);
    this.name = checkDnsLabel(this, 'name', props.name ?? id);
    this.enrollment = props.enrollment ?? MeshEnrollment.SIDECAR;
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
    }
    this.resource = new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name: this.name, labels: { ...props.labels, ...this.enrollmentLabel(props.revision) } },
    });
    if (Chart.of(this).namespace) {
      // cdk8s stamps the chart's namespace on every object; a Namespace is cluster-scoped.
      this.resource.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
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
