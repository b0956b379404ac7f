import { Duration } from 'cdk8s';
import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
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

/**
 * Container settings a version sets for its container, and a service's `defaults` set for every
 * version's. A version's value replaces the default's, except `env`, `requests` and `limits`,
 * which are merged by variable or resource (the version's entries win).
 */
export interface ContainerSettings {
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
   * Environment variables, in order. Use `EnvValue.fromSecret()` for secrets and
   * `otherService.address()` for the address of a service it calls.
   * @default none
   */
  readonly env?: Record<string, string | EnvValue>;
  /**
   * Resource requests, for the scheduler to place the pod by (a resource left out gets the default
   * request unless `limits` sets it, in which case Kubernetes requests the limit).
   * @default { cpu: '100m', memory: '128Mi' } (DEFAULT_REQUESTS)
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
   * Volumes mounted into the container, in mount order. Containers of one pod that mount a volume
   * of the same name share it (the first one that gives a `source` defines it).
   * @default none
   */
  readonly volumes?: VolumeMount[];
  /**
   * The container's security context (the Kubernetes 1.28 `SecurityContext` type of cdk8s-plus-28;
   * a field that type lacks, such as `appArmorProfile`, is refused rather than left out). Each
   * field set here replaces the default of that name: `allowPrivilegeEscalation: true` for an image
   * that needs setuid binaries, `capabilities: {}` (or your own list) for an entrypoint that changes
   * user or file owners as root. Settings that depend on the image — `runAsNonRoot`, `runAsUser`,
   * `readOnlyRootFilesystem` — have no default; set them for an image that allows them.
   * @default { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, plus
   * `add: ['NET_BIND_SERVICE']` when the container listens on a port below 1024
   */
  readonly securityContext?: K8s.SecurityContext;
}

/** A container port of an init or additional container. */
export interface ContainerPortProps {
  /** The port number. */
  readonly port: number;
  /**
   * The port name (an IANA service name: at most 15 lower-case letters, digits and "-"), which
   * the container's probes may use instead of the number.
   * @default none
   */
  readonly name?: string;
  /**
   * The protocol.
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP';
}

/** An init container, or an additional container of the app's pod (not Istio's sidecar, which Istio injects). */
export interface ContainerProps extends ContainerSettings {
  /** The container name, unique in the pod. */
  readonly name: string;
  /** The container image. */
  readonly image: string;
  /**
   * Ports the container listens on (the Service only forwards to the main container's ports).
   * @default none
   */
  readonly ports?: ContainerPortProps[];
}

/**
 * Pod settings a version sets for its pods, and a service's `defaults` set for every version's.
 * A version's value replaces the default's, except `nodeSelector`, merged by key.
 */
export interface PodSettings {
  /**
   * The pod's security context: `runAsUser`, `runAsGroup`, `runAsNonRoot`, `fsGroup`,
   * `seccompProfile`, … (the Kubernetes 1.28 `PodSecurityContext` type of cdk8s-plus-28). Fields
   * set here replace the default of that name (`seccompProfile: { type: 'Unconfined' }` opts out).
   * @default { seccompProfile: { type: 'RuntimeDefault' } } (the image's user)
   */
  readonly podSecurityContext?: K8s.PodSecurityContext;
  /**
   * How long a terminating pod gets between SIGTERM and SIGKILL (whole seconds).
   * @default Kubernetes' default (30s)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * Whether the ServiceAccount token is mounted into the pod. Set it to `true` for a workload
   * that calls the Kubernetes API; Istio's sidecar gets its own token either way, so the mesh
   * identity does not need it.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Node labels the pod must be scheduled on (e.g. `{ 'kubernetes.io/arch': 'arm64' }`).
   * @default none
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Taints the pod tolerates.
   * @default none
   */
  readonly tolerations?: K8s.Toleration[];
  /**
   * Node and pod (anti-)affinity rules.
   * @default none
   */
  readonly affinity?: K8s.Affinity;
  /**
   * How the pods are spread across zones or nodes. A constraint without `labelSelector` selects
   * the workload's own pods (its selector labels), which is what spreading a workload means.
   * @default none
   */
  readonly topologySpreadConstraints?: K8s.TopologySpreadConstraint[];
  /**
   * The PriorityClass of the pods.
   * @default none (the cluster's default priority)
   */
  readonly priorityClassName?: string;
  /**
   * Names of the Secrets (of type `kubernetes.io/dockerconfigjson`) used to pull the images.
   * @default none
   */
  readonly imagePullSecrets?: string[];
  /**
   * Init containers, run in order to completion before the app's containers start. Note that
   * with Istio's sidecar injected, an init container has no mesh networking yet.
   * @default none
   */
  readonly initContainers?: ContainerProps[];
  /**
   * Containers run beside the main container in every pod (log shippers, proxies of the app).
   * @default none
   */
  readonly additionalContainers?: ContainerProps[];
}

/** Settings every version of a service shares unless the version sets its own. */
export interface WorkloadDefaults extends ContainerSettings, PodSettings {}

/** The Kubernetes kind that runs a version's pods. */
export enum WorkloadKind {
  /** A Deployment: interchangeable pods. */
  DEPLOYMENT = 'Deployment',
  /** A StatefulSet: pods with stable names and a PersistentVolumeClaim each (see `volumeClaims`). */
  STATEFUL_SET = 'StatefulSet',
}

/** A PersistentVolumeClaim template of a StatefulSet: one claim per pod, mounted into the main container. */
export interface VolumeClaim {
  /** The claim template name (claims are named `<name>-<pod>`), unique among the pod's volumes. */
  readonly name: string;
  /** Where the volume is mounted in the main container. */
  readonly mountPath: string;
  /** The storage requested, e.g. `1Gi`. */
  readonly storage: string;
  /**
   * The StorageClass.
   * @default the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Access modes.
   * @default ['ReadWriteOnce']
   */
  readonly accessModes?: ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
}

/** One version of a {@link MeshService}: a Deployment (or StatefulSet) labelled `app` and `version`. */
export interface WorkloadVersionProps extends WorkloadDefaults {
  /** The container image, e.g. `docker.io/istio/examples-bookinfo-reviews-v1:1.20.3`. */
  readonly image: string;
  /**
   * Pod replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The kind that runs the pods. A StatefulSet gets the headless Service `<name>-headless` that
   * gives its pods stable DNS names (the service's own Service stays the one clients call).
   * @default WorkloadKind.DEPLOYMENT
   */
  readonly kind?: WorkloadKind;
  /**
   * Volume claim templates of a StatefulSet (`kind: WorkloadKind.STATEFUL_SET` only).
   * @default none
   */
  readonly volumeClaims?: VolumeClaim[];
  /**
   * Annotations on the pod template (added to the service-wide `podAnnotations`).
   * @default none
   */
  readonly podAnnotations?: Record<string, string>;
}
