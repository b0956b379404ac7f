import { MESSAGE_TYPES, MessageCode } from './messages';
import { formatMilliseconds } from '../core/duration';

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
  | { readonly what: 'host+subset'; readonly host: string; readonly subset: string; readonly rules: readonly string[] };

/** Why an IST0130 rule is never used: an earlier catch-all rule, or earlier rules holding all its matches. */
export type UnreachableBecause = { readonly catchAll: number } | { readonly priorRules: readonly number[] };

/** The service account a KIA0106 finding did not find, from a principal or a `serviceAccounts` entry. */
export type MissingServiceAccount =
  | { readonly principal: string; readonly namespace: string; readonly serviceAccount: string }
  | { readonly entry: string; readonly namespace: string; readonly serviceAccount: string };

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
};

const CA_FIX = 'Set caCertificates, or credentialName with a CA.';

/**
 * One constructor per message code, as Istio's generated `msg.New…` functions: every analyzer
 * builds its messages here, so each code's text is written once.
 */
export const msg = {
  /** IST0101: a VirtualService names a gateway, host, port or subset that does not exist. */
  referencedResourceNotFound: (ref: MissingReference) =>
    message('IST0101', (REFERENCE_TEXTS[ref.what] as (r: MissingReference) => string)(ref)),

  /** IST0102: a Namespace carries no injection label. */
  namespaceNotInjected: () => message('IST0102', 'The namespace is not enabled for Istio injection. Label it istio-injection=enabled '
    + '(MeshNamespace does), or istio-injection=disabled to mark it as not needing injection.'),

  /** IST0106: a document breaks its schema at `path` ('' for the whole document). */
  schemaValidationError: (path: string, problem: string) =>
    message('IST0106', `Schema validation error: ${path ? `${path}: ` : ''}${problem}.`),

  /** IST0109: VirtualServices bound to the mesh gateway (`names`, `<ns>/<name>` sorted) define the same host. */
  conflictingMeshGatewayVirtualServiceHosts: (names: readonly string[], host: string) => message('IST0109',
    `The VirtualServices ${names.join(',')} associated with mesh gateway define the same host ${host} `
    + 'which can lead to undefined behavior. Merge them into a single resource.'),

  /** IST0112: a destination names no port although its host exposes several. */
  virtualServiceDestinationPortSelectorRequired: (host: string, ports: readonly number[]) => message('IST0112',
    `This VirtualService routes to a service "${host}" that exposes multiple ports [${ports.join(' ')}]. `
    + 'Specifying a port in the destination is required to disambiguate.'),

  /** IST0118: a Service port's protocol cannot be told from its name or appProtocol. */
  portNameIsNotUnderNamingConvention: (name: string | undefined, port: number, targetPort: number | string) => message('IST0118',
    `Port name ${name ?? '(none)'} (port: ${port}, targetPort: ${targetPort}) doesn't follow the naming convention of Istio port. `
    + 'Name it <protocol>[-<suffix>] (e.g. http-web, tcp-db) or set appProtocol.'),

  /** IST0123: a Namespace has more than one kind of injection label. */
  namespaceMultipleInjectionLabels: (labels: readonly string[]) => message('IST0123',
    `The namespace has more than one type of injection labels [${labels.join(' ')}], which may lead to undefined behavior. Keep only one.`),

  /** IST0128: a DestinationRule originates TLS without a CA to verify the server. */
  noServerCertificateVerificationDestinationLevel: (rule: string, namespace: string, mode: string, host: string) => message('IST0128',
    `DestinationRule ${rule} in namespace ${namespace} has TLS mode set to ${mode} but no caCertificates are set to validate server `
    + `identity for host: ${host}. ${CA_FIX}`),

  /** IST0129: a DestinationRule port originates TLS without a CA to verify the server. */
  noServerCertificateVerificationPortLevel: (rule: string, namespace: string, mode: string, host: string, port: number | undefined) =>
    message('IST0129', `DestinationRule ${rule} in namespace ${namespace} has TLS mode set to ${mode} but no caCertificates are set to `
      + `validate server identity for host: ${host} at port ${port}. ${CA_FIX}`),

  /** IST0130: a VirtualService rule can never apply. */
  virtualServiceUnreachableRule: (rule: number, because: UnreachableBecause) => message('IST0130', 'catchAll' in because
    ? `VirtualService rule #${rule} not used (rule #${because.catchAll} matches every request and only the last rule can have no matches). `
      + 'Move the catch-all rule last.'
    : `VirtualService rule #${rule} not used (all its matches are used by prior rules #${because.priorRules.join(', #')}). `
      + 'Remove it or change its matches.'),

  /** IST0131: a match of a VirtualService rule repeats an earlier rule's match. */
  virtualServiceIneffectiveMatch: (rule: number, match: number, earlierRule: number) => message('IST0131',
    `VirtualService rule #${rule} match #${match} is not used (duplicate/overlapping match in rule #${earlierRule}). Remove the match.`),

  /** IST0132: no host of a VirtualService is served by a gateway it is bound to. */
  virtualServiceHostNotFoundInGateway: (missing: readonly string[], virtualService: string, gateway: string) => message('IST0132',
    `one or more host [${missing.join(' ')}] defined in VirtualService ${virtualService} not found in Gateway ${gateway}. `
    + 'Add the hosts to a server of the gateway, or remove them.'),

  /** IST0138: several Gateways (`names`, `<ns>/<name>` sorted) on one workload serve the same certificate. */
  gatewayDuplicateCertificate: (names: readonly string[]) => message('IST0138',
    `Duplicate certificate in multiple gateways [${names.join(' ')}] may cause 404s if clients re-use HTTP2 connections. `
    + 'Serve the hosts from one Gateway, or use a certificate per gateway.'),

  /** IST0144: a pod (no container given) or a container runs as the sidecar's UID. */
  invalidApplicationUID: (container?: string) => message('IST0144', 'User ID (UID) 1337 is reserved for the sidecar proxy. '
    + (container === undefined ? 'Run the pod as another user.' : `Run container ${container} as another user.`)),

  /** IST0145: Gateways on the same workload and port serve overlapping hosts. */
  conflictingGateways: (others: readonly string[], selector: string, port: string, hosts: readonly string[]) => message('IST0145',
    `Conflict with gateways ${others.join(',')} (workload selector ${selector}, port ${port}, hosts ${hosts.join(',')}). `
    + 'Merge the servers into one Gateway or use distinct hosts.'),

  /** IST0160: several Telemetries of a namespace have no workload selector. */
  multipleTelemetriesWithoutWorkloadSelectors: (names: readonly string[], namespace: string) => message('IST0160',
    `The Telemetries [${names.join(' ')}] in namespace "${namespace}" have no workload selector, which can lead to undefined behavior. `
    + 'Keep one namespace-wide Telemetry and give the others selectors.'),

  /** IST0173: a DestinationRule subset selects none of its Service's pods. */
  destinationRuleSubsetNotSelectPods: (subset: string | undefined, service: string, labels: Readonly<Record<string, string>>) =>
    message('IST0173', `The Subset ${subset} defined in the DestinationRule does not select any pods of Service ${service} `
      + `(labels ${JSON.stringify(labels)}). Deploy that version, fix the labels, or remove the subset.`),

  /** IST0174: a DestinationRule is for a host the service registry does not have. */
  unknownDestinationRuleHost: (host: string) => message('IST0174',
    `DestinationRule for non-existent service registry host "${host}". Deploy the Service, add a ServiceEntry, or fix the host.`),

  /** KIA0106: an AuthorizationPolicy names a service account that does not exist. */
  serviceAccountNotFoundForPrincipal: (missing: MissingServiceAccount) => message('KIA0106', 'principal' in missing
    ? `Service Account not found for this principal: "${missing.principal}" (no ServiceAccount ${missing.serviceAccount} in namespace `
      + `${missing.namespace}). Fix the principal or create the ServiceAccount.`
    : `Service Account not found: "${missing.entry}" (no ServiceAccount ${missing.serviceAccount} in namespace ${missing.namespace}). `
      + 'Fix the name or create the ServiceAccount.'),

  /** KIA0207: a DestinationRule disables TLS to workloads a PeerAuthentication requires STRICT mTLS for. */
  destinationRuleDisablesMtlsRequiredByPeerAuthentication: (host: string, policy: string) => message('KIA0207',
    `DestinationRule disables TLS to ${host}, but PeerAuthentication ${policy} requires STRICT mutual TLS there, so requests are refused. `
    + 'Use tls mode ISTIO_MUTUAL (or remove tls), or relax the PeerAuthentication.'),

  /** KIA1104: the only destination of a route has a weight below 100. */
  singleDestinationWeightBelow100: (weight: number) => message('KIA1104',
    `The weight ${weight} is assumed to be 100 because it is the route's only destination. Add the other destinations of the split, `
    + 'or remove the weight.'),

  /** CDK0001: a document of a kind without a known schema, passed through unvalidated. */
  noSchemaForKind: (apiVersion: string, kind: string) => message('CDK0001', `not validated: no schema for ${apiVersion} ${kind}`),

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
} as const satisfies MessageConstructors;
