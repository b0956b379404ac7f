import { ServiceAccountRef } from './service-account';
import { MeshServicePort } from './service-port';
import { WorkloadRef } from './workload-ref';
import { WorkloadDefaults, WorkloadVersionProps } from './workload-version';

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

/** How a Service is exposed. */
export enum ServiceType {
  /** A cluster-internal virtual IP (what the mesh routes to). */
  CLUSTER_IP = 'ClusterIP',
  /** ClusterIP, plus a port on every node. */
  NODE_PORT = 'NodePort',
  /** NodePort, plus the cloud provider's external load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
}


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
