import type { SecurityContext as ISecurityContext } from 'cdk8s-plus-28/lib/imports/k8s';
import { EnvValue } from './env-value';
import { Probe } from './probe';
import { VolumeMount } from './volume';

/** Container resource requests or limits. */
export interface ResourceQuantities {
  /**
   * CPU, e.g. `100m`.
   * @default none
   */
  readonly cpu?: string;
  /**
   * Memory, e.g. `128Mi`.
   * @default none
   */
  readonly memory?: string;
}

/** One version of a {@link MeshService}: a Deployment labelled `app` and `version`. */
export interface WorkloadVersionProps {
  /** The container image, e.g. `docker.io/istio/examples-bookinfo-reviews-v1:1.20.3`. */
  readonly image: string;
  /**
   * Pod replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The image pull policy.
   * @default 'IfNotPresent'
   */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * The container command (entrypoint).
   * @default the image's entrypoint
   */
  readonly command?: string[];
  /**
   * The container arguments.
   * @default the image's arguments
   */
  readonly args?: string[];
  /**
   * Environment variables, in order. Use `EnvValue.fromSecret()` for secrets.
   * @default none
   */
  readonly env?: Record<string, string | EnvValue>;
  /**
   * Resource requests.
   * @default none
   */
  readonly requests?: ResourceQuantities;
  /**
   * Resource limits.
   * @default none
   */
  readonly limits?: ResourceQuantities;
  /**
   * Readiness probe.
   * @default none
   */
  readonly readinessProbe?: Probe;
  /**
   * Liveness probe.
   * @default none
   */
  readonly livenessProbe?: Probe;
  /**
   * Startup probe: liveness and readiness checks wait until it succeeds (for slow-starting images).
   * @default none
   */
  readonly startupProbe?: Probe;
  /**
   * Volumes mounted into the container, in mount order.
   * @default none
   */
  readonly volumes?: VolumeMount[];
  /**
   * Annotations on the pod template (added to the service-wide `podAnnotations`).
   * @default none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * The container's security context (the Kubernetes 1.28 `SecurityContext` type of cdk8s-plus-28;
   * a field that type lacks, such as `appArmorProfile`, is refused rather than left out).
   * The default leaves it to the image, as the upstream samples do; set it to harden a workload
   * whose image runs as a non-root user with a read-only root filesystem.
   * @default none
   */
  readonly securityContext?: ISecurityContext;
}
