/**
 * The shapes the analyzers read of kinds the L1 bindings in imports/ do not cover: the Kubernetes
 * kinds (only the fields the analyzers use) and Istio's Telemetry. The Istio networking and
 * security kinds use the `…Spec` interfaces of imports/networking.istio.io.ts and
 * imports/security.istio.io.ts.
 */

/** A label selector as a map. */
export type Labels = Readonly<Record<string, string>>;

/** A port of a Kubernetes Service. */
export interface ServicePortSpec {
  /** The port name. */
  readonly name?: string;
  /** The port number. */
  readonly port: number;
  /** The container port (number or name). */
  readonly targetPort?: number | string;
  /** TCP, UDP or SCTP. */
  readonly protocol?: string;
  /** The application protocol. */
  readonly appProtocol?: string;
}

/** The spec of a Kubernetes Service. */
export interface ServiceSpec {
  /** The pods it selects. */
  readonly selector?: Labels;
  /** Its ports. */
  readonly ports?: readonly ServicePortSpec[];
  /** ClusterIP (the default), NodePort, LoadBalancer or ExternalName. */
  readonly type?: string;
}

/** The part of a security context the analyzers read. */
export interface SecurityContextSpec {
  /** The user ID the process runs as. */
  readonly runAsUser?: number;
}

/** A container of a pod. */
export interface ContainerSpec {
  /** The container name. */
  readonly name?: string;
  /** The image (`auto` on an istio-proxy container asks the injector to fill it in). */
  readonly image?: string;
  /** Its security context. */
  readonly securityContext?: SecurityContextSpec;
}

/** The spec of a pod (or of a workload's pod template). */
export interface PodSpec {
  /** The ServiceAccount the pod runs as. */
  readonly serviceAccountName?: string;
  /** The pod security context. */
  readonly securityContext?: SecurityContextSpec;
  /** The containers. */
  readonly containers?: readonly ContainerSpec[];
  /** The init containers (a native sidecar is one). */
  readonly initContainers?: readonly ContainerSpec[];
  /** The Node a Pod is bound to. */
  readonly nodeName?: string;
  /** The Node labels a pod must land on. */
  readonly nodeSelector?: Labels;
}

/** The spec of Istio's Telemetry: what selects the workloads it applies to. */
export interface TelemetrySpec {
  /** The workload selector. */
  readonly selector?: { readonly matchLabels?: Labels };
  /** The policy target. */
  readonly targetRef?: object;
  /** The policy targets. */
  readonly targetRefs?: readonly object[];
  /** Access logging settings, each naming its providers. */
  readonly accessLogging?: readonly { readonly providers?: readonly object[]; readonly disabled?: boolean }[];
}

/** Kinds that carry no spec the analyzers read (Namespace, ServiceAccount). */
export type NoSpec = Readonly<Record<string, unknown>>;

/** A workload selector of the kinds selecting by `workloadSelector.labels` (Sidecar, EnvoyFilter). */
export interface WorkloadLabelsSelector {
  /** The pod labels. */
  readonly labels?: Labels;
}

/** The spec of Istio's Sidecar: which workloads it applies to. */
export interface SidecarSpec {
  /** The workloads it applies to (the whole namespace when unset). */
  readonly workloadSelector?: WorkloadLabelsSelector;
  /** The outbound traffic policy. */
  readonly outboundTrafficPolicy?: { readonly mode?: string; readonly egressProxy?: object };
}

/** One patch of an EnvoyFilter. */
export interface EnvoyConfigPatchSpec {
  /** Where the patch applies: LISTENER, FILTER_CHAIN, NETWORK_FILTER, HTTP_FILTER, ROUTE_CONFIGURATION, HTTP_ROUTE, ... */
  readonly applyTo?: string;
  /** What it matches. */
  readonly match?: {
    readonly proxy?: { readonly proxyVersion?: string };
    readonly listener?: { readonly filterChain?: { readonly filter?: { readonly name?: string } } };
  };
  /** The operation and value. */
  readonly patch?: { readonly operation?: string; readonly value?: Readonly<Record<string, unknown>> };
}

/** The spec of Istio's EnvoyFilter. */
export interface EnvoyFilterSpec {
  /** Its patches, in order. */
  readonly configPatches?: readonly EnvoyConfigPatchSpec[];
  /** The order among EnvoyFilters (0 when unset). */
  readonly priority?: number;
}

/** The selection fields of the policies that select workloads by `selector.matchLabels` or target a Gateway by `targetRef(s)`. */
export interface PolicySelectionSpec {
  /** The workload selector. */
  readonly selector?: { readonly matchLabels?: Labels };
  /** The policy target. */
  readonly targetRef?: object;
  /** The policy targets. */
  readonly targetRefs?: readonly object[];
}
