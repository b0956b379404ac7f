/**
 * The kinds the analyzers read, each named by its API group and kind (as the API server keys
 * them), with the versions that group serves. A Gateway API `gateway.networking.k8s.io` Gateway
 * is not an Istio `networking.istio.io` Gateway, and an `example.com/v1` Service is not a
 * Kubernetes Service: the index keeps them apart.
 */

/** An API group and kind, with the versions of it the analyzers read. */
export interface GroupKind {
  /** The API group; '' for the Kubernetes core group (`apiVersion: v1`). */
  readonly group: string;
  /** The kind. */
  readonly kind: string;
  /** The served versions; a document of another version is not read as this kind. */
  readonly versions: readonly string[];
}

const NETWORKING = 'networking.istio.io';
const SECURITY = 'security.istio.io';
const TELEMETRY = 'telemetry.istio.io';
const GATEWAY_API = 'gateway.networking.k8s.io';
const NETWORKING_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];
const SECURITY_VERSIONS = ['v1', 'v1beta1'];

const gk = (group: string, kind: string, versions: readonly string[]): GroupKind => ({ group, kind, versions });

/** The kinds the analyzers read. */
export const KINDS = {
  /** Istio's Gateway (not the Gateway API's). */
  Gateway: gk(NETWORKING, 'Gateway', NETWORKING_VERSIONS),
  /** Istio's VirtualService. */
  VirtualService: gk(NETWORKING, 'VirtualService', NETWORKING_VERSIONS),
  /** Istio's DestinationRule. */
  DestinationRule: gk(NETWORKING, 'DestinationRule', NETWORKING_VERSIONS),
  /** Istio's ServiceEntry. */
  ServiceEntry: gk(NETWORKING, 'ServiceEntry', NETWORKING_VERSIONS),
  /** Istio's PeerAuthentication. */
  PeerAuthentication: gk(SECURITY, 'PeerAuthentication', SECURITY_VERSIONS),
  /** Istio's AuthorizationPolicy. */
  AuthorizationPolicy: gk(SECURITY, 'AuthorizationPolicy', SECURITY_VERSIONS),
  /** Istio's Telemetry. */
  Telemetry: gk(TELEMETRY, 'Telemetry', ['v1', 'v1alpha1']),
  /** The Kubernetes Namespace. */
  Namespace: gk('', 'Namespace', ['v1']),
  /** The Kubernetes Service. */
  Service: gk('', 'Service', ['v1']),
  /** The Kubernetes ServiceAccount. */
  ServiceAccount: gk('', 'ServiceAccount', ['v1']),
  /** The Kubernetes Pod. */
  Pod: gk('', 'Pod', ['v1']),
  /** The Kubernetes Deployment. */
  Deployment: gk('apps', 'Deployment', ['v1']),
  /** The Kubernetes StatefulSet. */
  StatefulSet: gk('apps', 'StatefulSet', ['v1']),
  /** The Kubernetes DaemonSet. */
  DaemonSet: gk('apps', 'DaemonSet', ['v1']),
  /** The Kubernetes ReplicaSet. */
  ReplicaSet: gk('apps', 'ReplicaSet', ['v1']),
  /** The Kubernetes Job. */
  Job: gk('batch', 'Job', ['v1']),
  /** Istio's Sidecar. */
  Sidecar: gk(NETWORKING, 'Sidecar', NETWORKING_VERSIONS),
  /** Istio's EnvoyFilter. */
  EnvoyFilter: gk(NETWORKING, 'EnvoyFilter', ['v1alpha3']),
  /** Istio's RequestAuthentication. */
  RequestAuthentication: gk(SECURITY, 'RequestAuthentication', SECURITY_VERSIONS),
  /** Istio's WasmPlugin. */
  WasmPlugin: gk('extensions.istio.io', 'WasmPlugin', ['v1alpha1']),
  /** The Kubernetes Secret (a Gateway's credentialName names one). */
  Secret: gk('', 'Secret', ['v1']),
  /** The Kubernetes Node (its topology labels join its pods' labels). */
  Node: gk('', 'Node', ['v1']),
  /** The Kubernetes MutatingWebhookConfiguration (Istio's injection webhooks). */
  MutatingWebhookConfiguration: gk('admissionregistration.k8s.io', 'MutatingWebhookConfiguration', ['v1']),
  /** The Gateway API's Gateway (not Istio's). */
  GatewayApiGateway: gk(GATEWAY_API, 'Gateway', ['v1', 'v1beta1']),
  /** The Gateway API's ListenerSet (listeners added to a Gateway). */
  ListenerSet: gk(GATEWAY_API, 'ListenerSet', ['v1']),
  /** The Gateway API's HTTPRoute. */
  HTTPRoute: gk(GATEWAY_API, 'HTTPRoute', ['v1', 'v1beta1']),
  /** The Gateway API's GRPCRoute. */
  GRPCRoute: gk(GATEWAY_API, 'GRPCRoute', ['v1']),
  /** The Gateway API's TCPRoute (experimental channel). */
  TCPRoute: gk(GATEWAY_API, 'TCPRoute', ['v1alpha2']),
  /** The Gateway API's TLSRoute. */
  TLSRoute: gk(GATEWAY_API, 'TLSRoute', ['v1']),
  /** The Gateway API's ReferenceGrant. */
  ReferenceGrant: gk(GATEWAY_API, 'ReferenceGrant', ['v1', 'v1beta1']),
} as const satisfies Record<string, GroupKind>;

/** The kinds whose `spec.template` is a pod template. */
export const WORKLOAD_KINDS: readonly GroupKind[] = [KINDS.Deployment, KINDS.StatefulSet, KINDS.DaemonSet, KINDS.ReplicaSet, KINDS.Job];

/** The Gateway API's route kinds. */
export const GATEWAY_API_ROUTE_KINDS: readonly GroupKind[] = [KINDS.HTTPRoute, KINDS.GRPCRoute, KINDS.TCPRoute, KINDS.TLSRoute];

/**
 * The API group and version of an apiVersion: `networking.istio.io/v1` → group `networking.istio.io`; `v1` → the core group ''.
 * Remembered for the first {@link SPLIT_CACHE_SIZE} apiVersions seen: a mesh has a handful, read for every resource.
 */
export function splitApiVersion(apiVersion: string): { readonly group: string; readonly version: string } {
  const known = splitCache.get(apiVersion);
  if (known !== undefined) return known;
  const slash = apiVersion.indexOf('/');
  const split = slash < 0 ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
  if (splitCache.size < SPLIT_CACHE_SIZE) splitCache.set(apiVersion, split);
  return split;
}

/** How many apiVersions {@link splitApiVersion} remembers (any more are split each time). */
const SPLIT_CACHE_SIZE = 1024;
const splitCache = new Map<string, { readonly group: string; readonly version: string }>();

/** The key of a group and kind in the index, e.g. `networking.istio.io/Gateway`, `/Service` for the core group. */
export function groupKindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/**
 * Whether a kind is a list kind (`List`, `ConfigMapList`): kubectl creates the objects in its
 * `items`, and its metadata is a list's, not an object's.
 */
export function isListKind(kind: string): boolean {
  return kind.endsWith('List');
}
