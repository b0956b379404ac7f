import { MESSAGE_TYPES, MessageCode } from './messages';
import { formatMilliseconds } from '../core/go-duration';

/**
 * The message of a finding before it is attached to a resource: its code and text. Made only by
 * the constructors of {@link msg}, so the text of each code is written once.
 */
export interface Message<C extends MessageCode = MessageCode> {
  /** The code. */
  readonly code: C;
  /** What is wrong and how to fix it. */
  readonly text: string;
}

/** What an IST0101 finding did not find. */
export type MissingReference =
  | { readonly what: 'gateway'; readonly gateway: string }
  | { readonly what: 'host'; readonly host: string }
  | { readonly what: 'host:port'; readonly host: string; readonly port: number; readonly exposed: readonly number[] }
  | { readonly what: 'host+subset'; readonly host: string; readonly subset: string; readonly rules: readonly string[] }
  | { readonly what: 'selector'; readonly selector: string; readonly scope: 'anywhere' | 'namespace' }
  | { readonly what: 'credentialName'; readonly credentialName: string; readonly namespaces: readonly string[] }
  | { readonly what: 'namespace'; readonly namespace: string };

/** Why an IST0130 rule is never used, in istioctl's words: an earlier rule without matches, or earlier rules holding all its matches. */
export type UnreachableBecause =
  | 'only the last rule can have no matches' | 'route without matches defined before' | 'all matches used by prior rules';

/** The service account a KIA0106 finding did not find, from a principal or a `serviceAccounts` entry. */
export type MissingServiceAccount =
  | { readonly principal: string; readonly namespace: string; readonly serviceAccount: string }
  | { readonly entry: string; readonly namespace: string; readonly serviceAccount: string };

/** Why a KIA0102 method never matches: a gRPC method name, an HTTP method in the wrong case, or no HTTP method at all. */
export type InvalidMethodReason = 'grpc-name' | 'case' | 'unknown';

/** Another DestinationRule a KIA0201 finding names, and the subsets both configure (`all`: both configure the whole host). */
export interface DestinationRuleClash {
  /** `<namespace>/<name>` of the other rule. */
  readonly rule: string;
  /** The subsets both configure, or `all`. */
  readonly shared: readonly string[] | 'all';
}

/**
 * A route's retry budget that a CDK0003 finding reports: `attempts` retries after the first try,
 * each up to `perTryTimeout`, need `neededMs`; `fittingAttempts` retries (maybe 0) or tries of
 * `fittingPerTryMs` fit the route `timeout`.
 */
export interface RetryBudget {
  /** Retries after the first try (`retries.attempts`). */
  readonly attempts: number;
  /** `retries.perTryTimeout` as written. */
  readonly perTryTimeout: string;
  /** The route `timeout` as written. */
  readonly timeout: string;
  /** (attempts + 1) × perTryTimeout, in milliseconds. */
  readonly neededMs: number;
  /** The most retries that fit the timeout with this perTryTimeout (0 when only the first try fits). */
  readonly fittingAttempts: number;
  /** The longest per-try timeout, in whole milliseconds, with which every try fits the timeout. */
  readonly fittingPerTryMs: number;
}

/** What an IST0002 finding found deprecated: a field with its replacement, a field Istio ignores, or a removed kind. */
export type DeprecatedUse =
  | { readonly field: string; readonly replacement: string }
  | { readonly field: string; readonly ignored: true }
  | { readonly removedKind: string; readonly instead: string };

/**
 * Why a KIA1401 route's parent Gateway does not take it: there is no such Gateway; no listener has
 * the parentRef's sectionName or port; no listener admits routes from the route's namespace; or
 * none admits routes of its kind.
 */
export type ParentGatewayProblem =
  | { readonly problem: 'missing' }
  | { readonly problem: 'no-listener'; readonly sectionName?: string; readonly port?: number }
  | { readonly problem: 'namespace'; readonly namespace: string }
  | { readonly problem: 'kind'; readonly kind: string }
  | { readonly problem: 'hostname'; readonly hostnames: readonly string[]; readonly listenerHostnames: readonly string[] };

/**
 * Why a KIA1402 reference names no usable Service: its name is written as a host; the Service
 * (`<namespace>/<name>`) is not in the manifests; or it is in another namespace and no ReferenceGrant
 * there lets routes of the route's kind (`kind`) and namespace (`from`) refer to it.
 */
export type RouteServiceProblem =
  | { readonly problem: 'host-name'; readonly name: string }
  | { readonly problem: 'missing'; readonly service: string }
  | { readonly problem: 'not-granted'; readonly service: string; readonly kind: string; readonly from: string };

/** A listener of a Gateway or ListenerSet as a KIA1503 finding names it. */
export interface ListenerKey {
  /** The listener's name. */
  readonly name: string;
  /** Its hostname (every hostname when absent). */
  readonly hostname?: string;
  /** Its port. */
  readonly port: number;
  /** Its protocol. */
  readonly protocol: string;
}

/** A constructor's name: the code's istioctl (or Kiali, or CDK) name, lower camel case. */
type ConstructorName<C extends MessageCode> = Uncapitalize<(typeof MESSAGE_TYPES)[C]['name']>;

/** Exactly one constructor per code, named after it, returning a message of that code. */
type MessageConstructors = { readonly [C in MessageCode as ConstructorName<C>]: (...args: never[]) => Message<C> };

const message = <C extends MessageCode>(code: C, text: string): Message<C> => ({ code, text });

const REFERENCE_TEXTS: { readonly [W in MissingReference['what']]: (ref: Extract<MissingReference, { what: W }>) => string } = {
  'gateway': r => `Referenced gateway not found: "${r.gateway}". Create the Gateway, or fix the name `
    + '(use <namespace>/<name> for a gateway in another namespace).',
  'host': r => `Referenced host not found: "${r.host}". Deploy the Service, add a ServiceEntry for it, or fix the host.`,
  'host:port': r => `Referenced host:port not found: "${r.host}:${r.port}" (it exposes ${r.exposed.join(', ')}). Use one of its ports.`,
  'host+subset': r => `Referenced host+subset in destinationrule not found: "${r.host}+${r.subset}". `
    + (r.rules.length
      ? `Add subset ${r.subset} to DestinationRule ${r.rules.join(', ')}.`
      : `Add a DestinationRule for ${r.host} defining subset ${r.subset}.`),
  'selector': r => `Referenced selector not found: "${r.selector}". `
    + `No pod ${r.scope === 'anywhere' ? 'in any namespace' : 'in its namespace'} carries these labels: `
    + 'deploy the workload, or fix the selector.',
  'credentialName': r => `Referenced credentialName not found: "${r.credentialName}". Create the Secret in ${r.namespaces.join(', ')} `
    + "(the gateway pods' namespace), or fix the name.",
  'namespace': r => `Referenced namespace not found: "${r.namespace}". No namespace of the manifests matches it: fix the name or pattern.`,
};

const CA_FIX = 'Set caCertificates, or credentialName with a CA.';

const METHOD_FIXES: { readonly [R in InvalidMethodReason]: (method: string, httpMethods: readonly string[]) => string } = {
  'grpc-name': method => `"${method}" is a gRPC method name, but Istio compares methods with the HTTP method, which is POST for every `
    + 'gRPC call, so it never matches. Name the call in paths instead, and keep methods for HTTP methods.',
  'case': method => `"${method}" never matches: Istio compares methods case-sensitively, and HTTP methods are upper case. `
    + `Write ${method.trim().toUpperCase()}.`,
  'unknown': (method, httpMethods) => `"${method}" is not an HTTP method (${httpMethods.join(', ')}), so it never matches. `
    + 'Fix or remove it.',
};

type ParentGatewayTexts = {
  readonly [P in ParentGatewayProblem['problem']]: (gateway: string, p: Extract<ParentGatewayProblem, { problem: P }>) => string;
};

const PARENT_GATEWAY_TEXTS: ParentGatewayTexts = {
  'missing': gateway => `no Gateway ${gateway} (gateway.networking.k8s.io) is in the manifests. Create it, or fix the parentRef's name `
    + 'and namespace.',
  'no-listener': (gateway, p) => `Gateway ${gateway} has no listener`
    + `${p.sectionName === undefined ? '' : ` named ${p.sectionName}`}${p.port === undefined ? '' : ` on port ${p.port}`}. `
    + "Fix the parentRef's sectionName or port.",
  'namespace': (gateway, p) => `no listener of Gateway ${gateway} admits routes from namespace ${p.namespace} (allowedRoutes.namespaces, `
    + 'Same by default). Let a listener admit it (from: All, or a Selector matching the namespace), or move the route to the '
    + "Gateway's namespace.",
  'kind': (gateway, p) => `no listener of Gateway ${gateway} admits ${p.kind}s (allowedRoutes.kinds, or by default the kinds of its `
    + `protocol). Attach it to a listener whose protocol carries ${p.kind}s, or list the kind in allowedRoutes.kinds.`,
  'hostname': (gateway, p) => `no listener of Gateway ${gateway} that takes the route serves its hostnames (${p.hostnames.join(', ')}); `
    + `the listeners serve ${p.listenerHostnames.join(', ')}, so the Gateway does not attach the route (NoMatchingListenerHostname). `
    + 'Fix the route\'s hostnames, or add a listener for them.',
};

type RouteServiceTexts = { readonly [P in RouteServiceProblem['problem']]: (p: Extract<RouteServiceProblem, { problem: P }>) => string };

const ROUTE_SERVICE_TEXTS: RouteServiceTexts = {
  'host-name': p => `"${p.name}" is written as a host, but a reference names a Service by its name (and namespace in namespace). `
    + "Write the Service's name.",
  'missing': p => `no Service ${p.service} is in the manifests. Deploy the Service, or fix the reference's name and namespace.`,
  'not-granted': p => {
    const namespace = p.service.slice(0, p.service.indexOf('/'));
    return `Service ${p.service} is in another namespace, and no ReferenceGrant in ${namespace} lets ${p.kind}s of namespace ${p.from} `
      + `refer to it, so the reference is refused. Add a ReferenceGrant in ${namespace} from ${p.kind} in ${p.from} to Service, `
      + 'or route to a Service of the route\'s namespace.';
  },
};

const listenerText = (l: ListenerKey) => `${l.hostname ?? 'any hostname'}, port ${l.port}, ${l.protocol}`;

const labelList = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');

/**
 * One constructor per message code, as Istio's generated `msg.New…` functions: every analyzer
 * builds its messages here, so each code's text is written once.
 */
export const msg = {
  /** IST0002: a deprecated field or kind is used. */
  deprecated: (use: DeprecatedUse) => message('IST0002', 'replacement' in use
    ? `Deprecated: ${use.field} is deprecated; use ${use.replacement}.`
    : 'ignored' in use
      ? `Deprecated: ${use.field} ignored. Remove it.`
      : `Deprecated: Custom resource type ${use.removedKind} is removed. Use ${use.instead} instead.`),

  /**
   * IST0101: a resource names something that does not exist: a VirtualService's gateway, host,
   * port or subset; a selector no pod matches; a Gateway's credentialName; a policy's namespace.
   */
  referencedResourceNotFound: (ref: MissingReference) =>
    message('IST0101', (REFERENCE_TEXTS[ref.what] as (r: MissingReference) => string)(ref)),

  /** IST0102: a Namespace carries no injection label. */
  namespaceNotInjected: (namespace: string) => message('IST0102', 'The namespace is not enabled for Istio injection. '
    + `Run 'kubectl label namespace ${namespace} istio-injection=enabled' to enable it, or 'kubectl label namespace ${namespace} `
    + "istio-injection=disabled' to explicitly mark it as not needing injection. (MeshNamespace labels it.)"),

  /** IST0106: a document breaks its schema at `path` ('' for the whole document). */
  schemaValidationError: (path: string, problem: string) =>
    message('IST0106', `Schema validation error: ${path ? `${path}: ` : ''}${problem}.`),

  /** IST0107: an Istio annotation on a kind it does not apply to. */
  misplacedAnnotation: (annotation: string, kinds: readonly string[]) => message('IST0107',
    `Misplaced annotation: ${annotation} can only be applied to ${kinds.join(', ')}. `
    + (kinds.includes('Pod') ? 'Move it to the pod template (spec.template.metadata.annotations).' : 'Move it there, or remove it.')),

  /** IST0108: an annotation in an Istio domain that Istio does not know. */
  unknownAnnotation: (annotation: string) => message('IST0108',
    `Unknown annotation: ${annotation}. Istio does not read it: fix its name, or remove it.`),

  /** IST0109: VirtualServices bound to the mesh gateway (`names`, `<ns>/<name>` sorted) define overlapping hosts (joined by `,`). */
  conflictingMeshGatewayVirtualServiceHosts: (names: readonly string[], hosts: string) => message('IST0109',
    `The VirtualServices ${names.join(',')} associated with mesh gateway define the same host ${hosts} `
    + 'which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.'),

  /** IST0110: several Sidecars (`names` sorted) select one workload. */
  conflictingSidecarWorkloadSelectors: (names: readonly string[], namespace: string, workload: string) => message('IST0110',
    `The Sidecars [${names.join(' ')}] in namespace "${namespace}" select the same workload pod "${workload}", which can lead to `
    + 'undefined behavior. Make their selectors select each workload once.'),

  /** IST0111: several Sidecars of a namespace have no workload selector. */
  multipleSidecarsWithoutWorkloadSelectors: (names: readonly string[], namespace: string) => message('IST0111',
    `The Sidecars [${names.join(' ')}] in namespace "${namespace}" have no workload selector, which can lead to undefined behavior. `
    + 'Keep one namespace-wide Sidecar and give the others selectors.'),

  /** IST0112: a destination names no port although its host exposes several. */
  virtualServiceDestinationPortSelectorRequired: (host: string, ports: readonly number[]) => message('IST0112',
    `This VirtualService routes to a service "${host}" that exposes multiple ports [${ports.join(' ')}]. `
    + 'Specifying a port in the destination is required to disambiguate.'),

  /** IST0116: Services selecting one workload use one port number with different protocols. */
  deploymentAssociatedToMultipleServices: (deployment: string, port: number, services: readonly string[]) => message('IST0116',
    `This deployment ${deployment} is associated with multiple services using port ${port} but different protocols: `
    + `[${services.join(' ')}]. Use one protocol for the port in every Service that selects it.`),

  /** IST0118: a Service port's protocol cannot be told from its name or appProtocol. */
  portNameIsNotUnderNamingConvention: (name: string | undefined, port: number, targetPort: number | string) => message('IST0118',
    `Port name ${name ?? '(none)'} (port: ${port}, targetPort: ${targetPort}) doesn't follow the naming convention of Istio port. `
    + 'Name it <protocol>[-<suffix>] (e.g. http-web, tcp-db) or set appProtocol.'),

  /** IST0123: a Namespace picks its data plane more than one way (`labels` as `key=value`). */
  namespaceMultipleInjectionLabels: (labels: readonly string[]) => message('IST0123',
    `The namespace has more than one type of injection labels [${labels.join(' ')}], which may lead to undefined behavior. `
    + 'Make sure only one injection label exists.'),

  /** IST0125: an Istio annotation whose value Istio rejects. */
  invalidAnnotation: (annotation: string, problem: string) => message('IST0125', `Invalid annotation ${annotation}: ${problem}.`),

  /** IST0127: a policy selects no workload in the mesh (`labels` '' for a namespace-wide policy). */
  noMatchingWorkloadsFound: (labels: string) => message('IST0127',
    `No matching workloads for this resource with the following labels: ${labels}. `
    + (labels ? 'Fix the selector, or deploy the workloads it is for.' : 'Deploy workloads in the mesh in its namespace, or remove it.')),

  /** IST0128: a DestinationRule originates TLS without a CA to verify the server. */
  noServerCertificateVerificationDestinationLevel: (rule: string, namespace: string, mode: string, host: string) => message('IST0128',
    `DestinationRule ${rule} in namespace ${namespace} has TLS mode set to ${mode} but no caCertificates are set to validate server `
    + `identity for host: ${host}. ${CA_FIX}`),

  /** IST0129: a DestinationRule port originates TLS without a CA to verify the server. */
  noServerCertificateVerificationPortLevel: (rule: string, namespace: string, mode: string, host: string, port: number | undefined) =>
    message('IST0129', `DestinationRule ${rule} in namespace ${namespace} has TLS mode set to ${mode} but no caCertificates are set to `
      + `validate server identity for host: ${host} at port ${port}. ${CA_FIX}`),

  /** IST0130: a VirtualService rule (`"name"` or `#index`) can never apply. */
  virtualServiceUnreachableRule: (rule: string, because: UnreachableBecause) => message('IST0130',
    `VirtualService rule ${rule} not used (${because}). `
    + (because === 'all matches used by prior rules' ? 'Remove it or change its matches.' : 'Move the rule without matches last.')),

  /** IST0131: a match of a VirtualService rule repeats, or is taken by, an earlier match (rules and matches as `"name"` or `#index`). */
  virtualServiceIneffectiveMatch: (rule: string, match: string, earlier: string) => message('IST0131',
    `VirtualService rule ${rule} match ${match} is not used (duplicate/overlapping match in rule ${earlier}). `
    + 'Remove the match, or move it before the one that takes its requests.'),

  /** IST0132: no host of a VirtualService is served by a gateway it is bound to. */
  virtualServiceHostNotFoundInGateway: (missing: readonly string[], virtualService: string, gateway: string) => message('IST0132',
    `one or more host [${missing.join(' ')}] defined in VirtualService ${virtualService} not found in Gateway ${gateway}. `
    + 'Add the hosts to a server of the gateway, or remove them.'),

  /** IST0134: a ServiceEntry without addresses has a TCP (or protocol-less) port. */
  serviceEntryAddressesRequired: (port: number | undefined) => message('IST0134',
    `ServiceEntry addresses are required for this protocol (port ${port} is TCP or names no protocol). `
    + 'Set spec.addresses, or give the port an application protocol (e.g. HTTP, TLS).'),

  /** IST0135: a deprecated Istio annotation (with the label that replaces it, if one does). */
  deprecatedAnnotation: (annotation: string, replacementLabel?: string) => message('IST0135',
    `Annotation "${annotation}" has been deprecated${replacementLabel ? ` in favor of the "${replacementLabel}" label` : ''} `
    + `and may not work in future Istio versions. ${replacementLabel ? 'Use the label instead.' : 'Remove it.'}`),

  /** IST0136: an Istio annotation of an alpha-phase feature. */
  alphaAnnotation: (annotation: string) => message('IST0136',
    `Annotation "${annotation}" is part of an alpha-phase feature and may be incompletely supported.`),

  /** IST0137: Services selecting one workload map one targetPort from different ports. */
  deploymentConflictingPorts: (deployment: string, services: readonly string[], targetPort: string, ports: readonly number[]) =>
    message('IST0137', `This deployment ${deployment} is associated with multiple services [${services.join(' ')}] using targetPort `
      + `"${targetPort}" but different ports: [${ports.join(' ')}]. Use the same port for the targetPort in every Service.`),

  /** IST0138: several Gateways (`names`, `<ns>/<name>` sorted) on one workload serve the same certificate. */
  gatewayDuplicateCertificate: (names: readonly string[]) => message('IST0138',
    `Duplicate certificate in multiple gateways [${names.join(' ')}] may cause 404s if clients re-use HTTP2 connections. `
    + 'Serve the hosts from one Gateway, or use a certificate per gateway.'),

  /** IST0140: a gateway-bound route ignores the subsets a mesh VirtualService routes the same host to. */
  ingressRouteRulesNotAffected: (subsetVirtualService: string, virtualService: string) => message('IST0140',
    `Subset in virtual service ${subsetVirtualService} has no effect on ingress gateway ${virtualService} requests. `
    + `Route to the subsets in ${virtualService} too, or bind ${subsetVirtualService} to the gateway.`),

  /** IST0144: a pod (no container given) or a container runs as the sidecar's UID. */
  invalidApplicationUID: (container?: string) => message('IST0144', 'User ID (UID) 1337 is reserved for the sidecar proxy. '
    + (container === undefined ? 'Run the pod as another user.' : `Run container ${container} as another user.`)),

  /** IST0145: Gateways on the same workload and port serve overlapping hosts. */
  conflictingGateways: (others: readonly string[], selector: string, port: string, hosts: readonly string[]) => message('IST0145',
    `Conflict with gateways ${others.join(',')} (workload selector ${selector}, port ${port}, hosts ${hosts.join(',')}). `
    + 'Merge the servers into one Gateway or use distinct hosts.'),

  /** IST0146: a workload with an `image: auto` proxy container that no injection webhook selects. */
  imageAutoWithoutInjectionWarning: (kind: string, name: string) => message('IST0146',
    `${kind} ${name} contains \`image: auto\` but does not match any Istio injection webhook selectors. `
    + 'Enable injection for its pods (namespace label istio-injection=enabled, or pod label sidecar.istio.io/inject=true).'),

  /** IST0147: a Pod with an `image: auto` proxy container (pods are injected only when created from a template). */
  imageAutoWithoutInjectionError: (kind: string, name: string) => message('IST0147',
    `${kind} ${name} contains \`image: auto\` but does not match any Istio injection webhook selectors. `
    + 'Create it from a workload whose pods are injected, or give the istio-proxy container a real image.'),

  /** IST0149: a gateway-bound route matches JWT claims but no RequestAuthentication covers a gateway pod. */
  jwtClaimBasedRoutingWithoutRequestAuthN: (key: string, gateway: string, pod: string) => message('IST0149',
    `The virtual service uses the JWT claim based routing (key: ${key}) but found no request authentication for the gateway `
    + `(${gateway}) pod (${pod}). Apply a RequestAuthentication to the gateway pods first: it validates the JWT and makes its `
    + 'claims available for routing.'),

  /** IST0150: an ExternalName Service port named tcp, or named after no protocol. */
  externalNameServiceTypeInvalidPortName: (name: string | undefined) => message('IST0150',
    `Port name ${name ?? '(none)'} for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic `
    + 'for ports serving TCP protocol from being forwarded correctly. Name the port after its protocol (e.g. http, https, tls).'),

  /** IST0151: an EnvoyFilter without priority patches relatively (INSERT_BEFORE/AFTER, REPLACE, REMOVE). */
  envoyFilterUsesRelativeOperation: (operation: string) => message('IST0151',
    `This EnvoyFilter does not have a priority and has a relative patch operation (${operation}) set which can cause the `
    + 'EnvoyFilter not to be applied. Use INSERT_FIRST or ADD, or set spec.priority.'),

  /** IST0152: REPLACE on something other than an HTTP or network filter. */
  envoyFilterUsesReplaceOperationIncorrectly: (applyTo: string) => message('IST0152',
    `The REPLACE operation is only valid for HTTP_FILTER and NETWORK_FILTER (this patch applies to ${applyTo}).`),

  /** IST0153: ADD on a route configuration or route, where Envoy ignores it. */
  envoyFilterUsesAddOperationIncorrectly: (applyTo: string) => message('IST0153',
    `The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE (it is ${applyTo}). `
    + 'Use MERGE.'),

  /** IST0154: REMOVE on a route configuration or route, where Envoy ignores it. */
  envoyFilterUsesRemoveOperationIncorrectly: (applyTo: string) => message('IST0154',
    `The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE (it is ${applyTo}).`),

  /** IST0155: a relative patch without priority on a filter another patch matches by proxyVersion. */
  envoyFilterUsesRelativeOperationWithProxyVersion: (operation: string) => message('IST0155',
    `This EnvoyFilter does not have a priority and has a relative patch operation (${operation}) and proxyVersion set which can `
    + 'cause the EnvoyFilter not to be applied during an upgrade. Use INSERT_FIRST or ADD, or set spec.priority.'),

  /** IST0157: a Telemetry access-logging entry names no provider and the mesh has no default. */
  invalidTelemetryProvider: (name: string, namespace: string) => message('IST0157',
    `The Telemetry ${name} in namespace "${namespace}" with empty providers will be ignored. `
    + 'Name a provider in accessLogging.providers.'),

  /** IST0159: several Telemetries (`names` sorted) select one workload. */
  conflictingTelemetryWorkloadSelectors: (names: readonly string[], namespace: string, workload: string) => message('IST0159',
    `The Telemetries [${names.join(' ')}] in namespace "${namespace}" select the same workload pod "${workload}", which can lead `
    + 'to undefined behavior. Make their selectors select each workload once.'),

  /** IST0160: several Telemetries of a namespace have no workload selector. */
  multipleTelemetriesWithoutWorkloadSelectors: (names: readonly string[], namespace: string) => message('IST0160',
    `The Telemetries [${names.join(' ')}] in namespace "${namespace}" have no workload selector, which can lead to undefined behavior. `
    + 'Keep one namespace-wide Telemetry and give the others selectors.'),

  /** IST0162: a Gateway port that no Service of its workload maps to (as targetPort). */
  gatewayPortNotDefinedOnService: (port: number, selector: string) => message('IST0162',
    `The gateway is listening on a target port (port ${port}) that is not defined in the Service associated with its workload `
    + `instances (Pod selector ${selector}). If you need to access the gateway port through the gateway Service, it will not be `
    + 'available. Add the port to the Service, or listen on one of its target ports.'),

  /** IST0165: a VirtualService binds the internal Gateway Istio generates for a Gateway API Gateway. */
  referencedInternalGateway: (virtualService: string, gateway: string) => message('IST0165',
    `Gateway reference in VirtualService ${virtualService} is to an implementation-generated internal Gateway: ${gateway}. `
    + 'Attach an HTTPRoute to the Gateway API Gateway, or bind an Istio Gateway of your own.'),

  /** IST0166: a policy selects a Gateway API Gateway's pods by labels instead of targeting it. */
  ineffectiveSelector: (gateway: string) => message('IST0166',
    `Ineffective selector on Kubernetes Gateway ${gateway}. Use the TargetRef field instead.`),

  /** IST0167: a policy that cannot take effect (a Sidecar on ambient workloads). */
  ineffectivePolicy: (reason: string) => message('IST0167',
    `The policy has no impact: ${reason}. Remove it, or target workloads with sidecars.`),

  /** IST0173: a DestinationRule subset selects none of its Service's pods. */
  destinationRuleSubsetNotSelectPods: (subset: string | undefined, service: string, labels: Readonly<Record<string, string>>) =>
    message('IST0173', `The Subset ${subset} defined in the DestinationRule does not select any pods. Which may lead to 503 UH `
      + `(NoHealthyUpstream). No pod of Service ${service} carries its labels ${JSON.stringify(labels)}: deploy that version, `
      + 'fix the labels, or remove the subset.'),

  /** IST0174: a DestinationRule is for a host the service registry does not have. */
  unknownDestinationRuleHost: (host: string) => message('IST0174',
    `The host ${host} defined in the DestinationRule does not match any services in the mesh. Deploy the Service, add a ServiceEntry, `
    + 'or fix the host.'),

  /** KIA0004: a policy or Sidecar selects workloads by labels no pod template of its namespace has. */
  selectorMatchesNoWorkload: (kind: string, selector: Readonly<Record<string, string>>) => message('KIA0004',
    `No matching workload found for the selector in this namespace: no pod template carries ${labelList(selector)}, so this `
    + `${kind} applies to nothing. Fix the labels, deploy the workload, or remove the ${kind}.`),

  /** KIA0102: an AuthorizationPolicy operation lists a method that no request has. */
  invalidAuthorizationMethod: (method: string, reason: InvalidMethodReason, httpMethods: readonly string[]) => message('KIA0102',
    `Only HTTP methods and fully-qualified gRPC names are allowed: ${METHOD_FIXES[reason](method, httpMethods)}`),

  /** KIA0105: an AuthorizationPolicy matches on the mTLS identity of callers of pods that accept plain text. */
  fieldRequiresMtls: (what: string, pods: string, mode: string, setBy: string | undefined) => message('KIA0105',
    `This field requires mTLS to be enabled: ${what} is read from the caller's mTLS certificate, but ${pods} accept plain text `
    + `(mTLS mode ${mode}${setBy ? ` from ${setBy}` : ', Istio\'s default'}), and a plain-text request has no identity, so this rule `
    + 'lets it through. Require mTLS mode STRICT for those pods with a PeerAuthentication, or match on something else.'),

  /** KIA0106: an AuthorizationPolicy names a service account that does not exist. */
  serviceAccountNotFoundForPrincipal: (missing: MissingServiceAccount) => message('KIA0106', 'principal' in missing
    ? `Service Account not found for this principal: "${missing.principal}" (no ServiceAccount ${missing.serviceAccount} in namespace `
      + `${missing.namespace}). Fix the principal or create the ServiceAccount.`
    : `Service Account not found: "${missing.entry}" (no ServiceAccount ${missing.serviceAccount} in namespace ${missing.namespace}). `
      + 'Fix the name or create the ServiceAccount.'),

  /** KIA0201: DestinationRules for one host configure the same subsets. */
  multipleDestinationRulesForHostSubset: (host: string, clashes: readonly DestinationRuleClash[]) => message('KIA0201',
    `More than one DestinationRules for the same host subset combination: ${host} is also configured by `
    + clashes.map(c => `${c.rule} (${c.shared === 'all' ? 'the whole host' : `subset ${c.shared.join(', ')}`})`).join(', ')
    + '; Istio uses the first rule it sees for each subset and drops the other. Merge them into one DestinationRule, '
    + 'or give each rule its own subsets.'),

  /** KIA0202: a DestinationRule's host is neither a Service nor a ServiceEntry host. */
  destinationRuleHostNotInRegistry: (host: string) => message('KIA0202',
    `This host has no matching entry in the service registry (service, workload or service entries): "${host}", so Istio ignores `
    + 'the rule. Fix the host (a short name is resolved in the rule\'s namespace), or deploy its Service or ServiceEntry.'),

  /** KIA0203: a subset a VirtualService routes to selects none of its host's endpoints. */
  subsetLabelsNotFound: (subset: string | undefined, labels: Readonly<Record<string, string>>, host: string) => message('KIA0203',
    `This subset's labels are not found in any matching host: subset ${subset} (${labelList(labels)}) selects no pod or endpoint of `
    + `${host}, and a VirtualService routes to it, so that route has no endpoint. Fix the labels or deploy that version.`),

  /** KIA0207: a DestinationRule disables TLS to workloads a PeerAuthentication requires STRICT mTLS for. */
  destinationRuleDisablesMtlsRequiredByPeerAuthentication: (host: string, policy: string) => message('KIA0207',
    `DestinationRule disables TLS to ${host}, but PeerAuthentication ${policy} requires STRICT mutual TLS there, so requests are refused. `
    + 'Use tls mode ISTIO_MUTUAL (or remove tls), or relax the PeerAuthentication.'),

  /** KIA0209: a subset has no labels while no other subset selects endpoints by labels. */
  subsetWithoutLabels: (subset: string | undefined) => message('KIA0209',
    `This subset has not labels: subset ${subset} selects every endpoint of the host, and no subset of this rule selects any by `
    + 'its labels. Give it the labels of the version it stands for (e.g. version: v1).'),

  /** KIA0301: Gateways on the same ingress pods serve overlapping hosts on one port. */
  multipleGatewaysForHostPort: (host: string, port: string, others: readonly string[]) => message('KIA0301',
    `More than one Gateway for the same host port combination: ${host} on port ${port} is also served by ${others.join(', ')} `
    + 'on the same selector, so either could take its traffic. Merge the servers into one Gateway or use distinct hosts.'),

  /** KIA0302: an Istio Gateway selects no pod template of the manifests. */
  gatewaySelectorMatchesNoWorkload: (selector: string) => message('KIA0302',
    `No matching workload found for gateway selector in this namespace: no pod template carries ${selector}, so no gateway proxy `
    + 'serves this Gateway. Fix the selector, or deploy the gateway it selects.'),

  /** KIA0601: a meshed Service port's name is not of the protocol form. */
  portNameNotProtocolForm: (name: string | undefined, port: number) => message('KIA0601',
    `Port name must follow <protocol>[-suffix] form: ${name === undefined ? `port ${port} has no name` : `"${name}" (port ${port})`}, `
    + 'so the sidecar treats its traffic as opaque TCP. Name it <protocol>[-<suffix>] (e.g. http-web, grpc) or set appProtocol.'),

  /** KIA0602: a meshed Service port's appProtocol is not a protocol Istio knows. */
  portAppProtocolNotProtocolForm: (appProtocol: string, port: number) => message('KIA0602',
    `Port appProtocol must follow <protocol> form: "${appProtocol}" (port ${port}) is not a protocol Istio knows, so the sidecar `
    + 'treats its traffic as opaque TCP. Use one such as http, http2, grpc, tcp or tls.'),

  /** KIA0701: no container of a Service's pod templates declares the port it targets. */
  servicePortNotExposedByDeployment: (port: number, target: number | string, workloads: readonly string[]) => message('KIA0701',
    `Deployment exposing same port as Service not found: port ${port} targets `
    + `${typeof target === 'string' ? `the port named "${target}"` : target}, which no container of ${workloads.join(', ')} declares. `
    + "Fix the Service's targetPort or declare the container port."),

  /** KIA1104: the only destination of a route has a weight below 100. */
  singleDestinationWeightBelow100: (weight: number) => message('KIA1104',
    `The weight ${weight} is assumed to be 100 because it is the route's only destination. Add the other destinations of the split, `
    + 'or remove the weight.'),

  /** KIA1105: one route lists the same destination twice. */
  repeatedRouteDestination: (host: string, subset: string | undefined, others: readonly string[]) => message('KIA1105',
    `This host subset combination is already referenced in another route destination: ${host}${subset ? ` subset ${subset}` : ''} `
    + `also at ${others.join(', ')}. Merge the destinations (adding their weights), or fix the subset.`),

  /** KIA1106: VirtualServices on one gateway define overlapping hosts. */
  multipleVirtualServicesForHost: (hosts: readonly string[], others: readonly string[]) => message('KIA1106',
    `More than one Virtual Service for same host: ${hosts.join(', ')} also in ${others.join(', ')} on the same gateway; Istio merges `
    + 'them in no guaranteed order, and sidecars take only one. Merge them into a single VirtualService.'),

  /** KIA1108: a gateway reference written as <name>.<namespace>. */
  gatewayReferenceNomenclature: (reference: string, preferred: string) => message('KIA1108',
    `Preferred nomenclature: <gateway namespace>/<gateway name>: write "${reference}" as "${preferred}".`),

  /** KIA1301: no AuthorizationPolicy applies to a workload's pods. */
  workloadNotCoveredByAuthorizationPolicy: (namespace: string, root: string, labels: Readonly<Record<string, string>>) =>
    message('KIA1301', 'This workload is not covered by any authorization policy: no AuthorizationPolicy in namespace '
      + `${namespace === root ? namespace : `${namespace} or ${root}`} applies to its pods `
      + `(${labelList(labels) || 'no labels'}), so it accepts requests from any caller. `
      + 'Add one that selects them (or a namespace-wide one), allowing only the callers it expects.'),

  /** KIA1401: a Gateway API route's parent Gateway does not exist or does not take the route. */
  routeGatewayNotFound: (gateway: string, why: ParentGatewayProblem) => message('KIA1401',
    'Route is pointing to a non-existent or inaccessible K8s gateway: '
    + (PARENT_GATEWAY_TEXTS[why.problem] as (g: string, p: ParentGatewayProblem) => string)(gateway, why)),

  /** KIA1402: a Gateway API route refers to a Service that does not exist or that it may not refer to. */
  routeServiceNotFound: (why: RouteServiceProblem) => message('KIA1402',
    'Reference doesn\'t have a valid service (Service name not found): '
    + (ROUTE_SERVICE_TEXTS[why.problem] as (p: RouteServiceProblem) => string)(why)),

  /** KIA1501: listeners of several Gateway API Gateways share a hostname, port and protocol. */
  multipleK8sGatewaysForHostPort: (hostname: string, port: number, protocol: string, others: readonly string[]) => message('KIA1501',
    `More than one K8s Gateway for the same host port combination: ${hostname} on port ${port} (${protocol}) is also a listener of `
    + `${others.join(', ')}, so a client resolving the host reaches one of them only. Serve the host from one Gateway, or use `
    + 'distinct hostnames or ports.'),

  /** KIA1502: several Gateway API Gateways request the same address. */
  multipleK8sGatewaysForAddress: (type: string, value: string, others: readonly string[]) => message('KIA1502',
    `More than one K8s Gateway for the same address and type combination: ${type} ${value} is also requested by ${others.join(', ')}, `
    + 'and only one Gateway can be given it. Give each Gateway its own address, or merge their listeners into one Gateway.'),

  /** KIA1503: a ListenerSet's listener repeats the hostname, port and protocol of another listener of its Gateway. */
  listenerNotUnique: (listener: ListenerKey, others: readonly string[], gateway: string) => message('KIA1503',
    'Each listener must have a unique combination of Hostname, Port, and Protocol: '
    + `listener ${listener.name} (${listenerText(listener)}), added to Gateway ${gateway}, repeats ${others.join(', ')}, `
    + "so only one of them is served (the Gateway's own listeners first, then ListenerSets by creation time) and the others are "
    + 'Conflicted. Change its hostname or port, or remove it.'),

  /** CDK0001: a document of a kind without a known schema, passed through with only its metadata validated. */
  noSchemaForKind: (apiVersion: string, kind: string) => message('CDK0001',
    `not validated beyond its metadata: no schema for ${apiVersion} ${kind}`),

  /** CDK0011: an apiVersion and kind the API server does not serve (served-apis.ts): the problem and the fix. */
  kindNotServed: (problem: string, fix: string) => message('CDK0011',
    `${problem}, so kubectl apply refuses it ("no matches for kind"). Fix: ${fix}.`),

  /** CDK0002: an Istio Gateway (`<ns>/<name>`) that no VirtualService binds. */
  gatewayNotBound: (gateway: string) => message('CDK0002',
    `Gateway ${gateway} is not bound by any VirtualService, so it routes no traffic. `
    + "Bind it from a VirtualService's gateways, or remove it."),

  /** CDK0003: the first try and every retry, each up to perTryTimeout, take longer than the route timeout. */
  retriesExceedRouteTimeout: (r: RetryBudget) => message('CDK0003',
    `Retries cannot fit the route timeout: the first try and ${r.attempts} ${r.attempts === 1 ? 'retry' : 'retries'} of up to `
    + `${r.perTryTimeout} each take up to ${formatMilliseconds(r.neededMs)}, more than the timeout ${r.timeout}, so the last `
    + 'retries are cut off. '
    + (r.fittingAttempts > 0 ? `Lower attempts to ${r.fittingAttempts}, lower` : 'Lower')
    + ` perTryTimeout to ${formatMilliseconds(r.fittingPerTryMs)}, or raise the timeout to ${formatMilliseconds(r.neededMs)}.`),

  /** CDK0004: two rules of one Gateway API route share a name. */
  routeRuleNameNotUnique: (name: string, kind: string, rules: readonly number[]) => message('CDK0004',
    `The rules ${rules.map(i => `rules[${i}]`).join(', ')} of this ${kind} are all named "${name}", and the Gateway API requires a `
    + 'rule name to be unique within its route (policies and status name a rule by it). Give each rule its own name.'),

  /** CDK0005: several PeerAuthentications apply at the same level to the same workloads; Istio uses only the oldest. */
  conflictingPeerAuthentications: (names: readonly string[], scope: string) => message('CDK0005',
    `The PeerAuthentications [${names.join(' ')}] all apply to ${scope}, and Istio uses only the oldest of them, so the mTLS `
    + 'mode depends on the order they were created in. Keep one, or make their selectors select different workloads.'),

  /** CDK0006: the name Istio deploys a Gateway API Gateway's proxy under is a Service or Deployment of the manifests. */
  gatewayDeploymentNameTaken: (name: string, kinds: readonly string[]) => message('CDK0006',
    `Istio deploys this Gateway's proxy as the Deployment and Service "${name}" of its namespace, and the manifests already `
    + `have a ${kinds.join(' and a ')} of that name: Istio's gateway controller would apply its own over it. Rename the Gateway `
    + 'or the workload.'),

  /** CDK0007: every backendRef of a Gateway API route rule has weight 0, so the rule answers 500 to every request. */
  allBackendWeightsZero: (count: number) => message('CDK0007',
    `${count === 1 ? 'The only backendRef' : `All ${count} backendRefs`} of this rule ${count === 1 ? 'has' : 'have'} weight 0, and `
    + 'the Gateway API then answers every request of the rule with a 500 (an Istio route would send it to the only destination). '
    + 'Give a backend a weight above 0, or remove the rule.'),

  /** CDK0008: a Service's mesh traffic is routed by VirtualServices and by a Gateway API route, which Istio does not merge. */
  meshRoutedByBothApis: (host: string, kind: string, virtualServices: readonly string[]) => message('CDK0008',
    `The mesh traffic of ${host} is routed by this ${kind} and by the VirtualService${virtualServices.length > 1 ? 's' : ''} `
    + `${virtualServices.join(', ')}. Istio does not merge them: each sidecar uses one of them, chosen by the client's namespace `
    + 'and the order they were created, so the rules a request gets depend on where the client runs. Route the host with one API.'),

  /** CDK0009: a Gateway API route rule has the same match on the same parent and hostname as another route's rule. */
  routeRuleShadowed: (kind: string, rule: number, other: string, otherRule: number, parent: string) => message('CDK0009',
    `Rule ${rule} of this ${kind} matches the same requests on ${parent} as rule ${otherRule} of ${kind} ${other}. The Gateway API `
    + 'merges the routes of a parent and gives such a request to the older route (by creation time, then by namespace and name), '
    + 'so one of the two rules never applies. Merge the routes, or give the rules different matches or hostnames.'),

  /** CDK0010: the AuthorizationPolicies that apply to a Gateway API gateway's proxy refuse every request. */
  gatewayDeniesAllRequests: (gateway: string, deployed: string, why: 'allow-nothing' | 'deny', policies: readonly string[]) => {
    const one = policies.length === 1;
    const refusal = why === 'deny'
      ? `the DENY ${one ? 'policy' : 'policies'} ${policies.join(', ')} ${one ? 'has a rule' : 'have rules'} matching every request there`
      : `the only ALLOW ${one ? 'policy' : 'policies'} applying to it (${policies.join(', ')}) ${one ? 'has' : 'have'} no rule`;
    return message('CDK0010', `Istio deploys this Gateway's proxy (${deployed}) in its namespace, and ${refusal}, so the gateway `
      + 'answers every request with 403 (RBAC: access denied) before any route. Allow its callers with an AuthorizationPolicy '
      + `attached to the Gateway (targetRefs: kind Gateway) or selecting gateway.networking.k8s.io/gateway-name: ${gateway}, `
      + 'as a deny-by-default namespace needs for its ingress.');
  },

  /** CDK0012: a route sends requests to a Service whose AuthorizationPolicies refuse every request of the callers. */
  routeDestinationRefusesCaller: (service: string, callers: readonly string[]) => {
    const shown = callers.slice(0, 3).join(', ') + (callers.length > 3 ? ` and ${callers.length - 3} more` : '');
    const one = callers.length === 1;
    return message('CDK0012', `This route sends the requests of ServiceAccount${one ? '' : 's'} ${shown} to ${service}, `
      + 'whose AuthorizationPolicies refuse every request '
      + `from ${one ? 'it' : 'them'}, so they are answered 403 (RBAC: access denied). Allow the caller${one ? '' : 's'} on ${service} `
      + `(allowFrom, or an ALLOW rule naming ${one ? 'its' : 'their'} principal), or route elsewhere.`);
  },
} as const satisfies MessageConstructors;
