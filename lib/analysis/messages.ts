import { createHash } from 'crypto';

/** How serious a finding is; Error fails synthesis, Warning and Info are printed. */
export type MessageLevel = 'Error' | 'Warning' | 'Info';

/** A kind of finding: its stable code, istioctl/Kiali name and level. */
export interface MessageType {
  /** Stable code, e.g. `IST0101`. */
  readonly code: string;
  /** The name istioctl (or Kiali) gives it, e.g. `ReferencedResourceNotFound`. */
  readonly name: string;
  /** Its level. */
  readonly level: MessageLevel;
}

/**
 * Every finding the analyzers report, by code: istioctl analyze's codes, Kiali's for authoring
 * checks, and this project's own (`CDK…`) for what neither reports.
 */
export const MESSAGE_TYPES = {
  IST0002: { code: 'IST0002', name: 'Deprecated', level: 'Warning' },
  IST0101: { code: 'IST0101', name: 'ReferencedResourceNotFound', level: 'Error' },
  IST0102: { code: 'IST0102', name: 'NamespaceNotInjected', level: 'Info' },
  IST0106: { code: 'IST0106', name: 'SchemaValidationError', level: 'Error' },
  IST0107: { code: 'IST0107', name: 'MisplacedAnnotation', level: 'Warning' },
  IST0108: { code: 'IST0108', name: 'UnknownAnnotation', level: 'Warning' },
  IST0109: { code: 'IST0109', name: 'ConflictingMeshGatewayVirtualServiceHosts', level: 'Error' },
  IST0110: { code: 'IST0110', name: 'ConflictingSidecarWorkloadSelectors', level: 'Error' },
  IST0111: { code: 'IST0111', name: 'MultipleSidecarsWithoutWorkloadSelectors', level: 'Error' },
  IST0112: { code: 'IST0112', name: 'VirtualServiceDestinationPortSelectorRequired', level: 'Error' },
  IST0116: { code: 'IST0116', name: 'DeploymentAssociatedToMultipleServices', level: 'Warning' },
  IST0118: { code: 'IST0118', name: 'PortNameIsNotUnderNamingConvention', level: 'Info' },
  IST0123: { code: 'IST0123', name: 'NamespaceMultipleInjectionLabels', level: 'Warning' },
  IST0125: { code: 'IST0125', name: 'InvalidAnnotation', level: 'Warning' },
  IST0127: { code: 'IST0127', name: 'NoMatchingWorkloadsFound', level: 'Warning' },
  IST0128: { code: 'IST0128', name: 'NoServerCertificateVerificationDestinationLevel', level: 'Warning' },
  IST0129: { code: 'IST0129', name: 'NoServerCertificateVerificationPortLevel', level: 'Warning' },
  IST0130: { code: 'IST0130', name: 'VirtualServiceUnreachableRule', level: 'Warning' },
  IST0131: { code: 'IST0131', name: 'VirtualServiceIneffectiveMatch', level: 'Info' },
  IST0132: { code: 'IST0132', name: 'VirtualServiceHostNotFoundInGateway', level: 'Warning' },
  IST0134: { code: 'IST0134', name: 'ServiceEntryAddressesRequired', level: 'Warning' },
  IST0135: { code: 'IST0135', name: 'DeprecatedAnnotation', level: 'Info' },
  IST0136: { code: 'IST0136', name: 'AlphaAnnotation', level: 'Info' },
  IST0137: { code: 'IST0137', name: 'DeploymentConflictingPorts', level: 'Warning' },
  IST0138: { code: 'IST0138', name: 'GatewayDuplicateCertificate', level: 'Warning' },
  IST0140: { code: 'IST0140', name: 'IngressRouteRulesNotAffected', level: 'Warning' },
  IST0144: { code: 'IST0144', name: 'InvalidApplicationUID', level: 'Warning' },
  IST0145: { code: 'IST0145', name: 'ConflictingGateways', level: 'Error' },
  IST0146: { code: 'IST0146', name: 'ImageAutoWithoutInjectionWarning', level: 'Warning' },
  IST0147: { code: 'IST0147', name: 'ImageAutoWithoutInjectionError', level: 'Error' },
  IST0149: { code: 'IST0149', name: 'JwtClaimBasedRoutingWithoutRequestAuthN', level: 'Error' },
  IST0150: { code: 'IST0150', name: 'ExternalNameServiceTypeInvalidPortName', level: 'Warning' },
  IST0151: { code: 'IST0151', name: 'EnvoyFilterUsesRelativeOperation', level: 'Warning' },
  IST0152: { code: 'IST0152', name: 'EnvoyFilterUsesReplaceOperationIncorrectly', level: 'Error' },
  IST0153: { code: 'IST0153', name: 'EnvoyFilterUsesAddOperationIncorrectly', level: 'Error' },
  IST0154: { code: 'IST0154', name: 'EnvoyFilterUsesRemoveOperationIncorrectly', level: 'Error' },
  IST0155: { code: 'IST0155', name: 'EnvoyFilterUsesRelativeOperationWithProxyVersion', level: 'Warning' },
  IST0157: { code: 'IST0157', name: 'InvalidTelemetryProvider', level: 'Warning' },
  IST0159: { code: 'IST0159', name: 'ConflictingTelemetryWorkloadSelectors', level: 'Error' },
  IST0160: { code: 'IST0160', name: 'MultipleTelemetriesWithoutWorkloadSelectors', level: 'Error' },
  IST0162: { code: 'IST0162', name: 'GatewayPortNotDefinedOnService', level: 'Warning' },
  IST0165: { code: 'IST0165', name: 'ReferencedInternalGateway', level: 'Warning' },
  IST0166: { code: 'IST0166', name: 'IneffectiveSelector', level: 'Warning' },
  IST0167: { code: 'IST0167', name: 'IneffectivePolicy', level: 'Warning' },
  IST0173: { code: 'IST0173', name: 'DestinationRuleSubsetNotSelectPods', level: 'Error' },
  IST0174: { code: 'IST0174', name: 'UnknownDestinationRuleHost', level: 'Warning' },
  KIA0004: { code: 'KIA0004', name: 'SelectorMatchesNoWorkload', level: 'Warning' },
  KIA0102: { code: 'KIA0102', name: 'InvalidAuthorizationMethod', level: 'Warning' },
  KIA0105: { code: 'KIA0105', name: 'FieldRequiresMtls', level: 'Error' },
  KIA0106: { code: 'KIA0106', name: 'ServiceAccountNotFoundForPrincipal', level: 'Warning' },
  KIA0201: { code: 'KIA0201', name: 'MultipleDestinationRulesForHostSubset', level: 'Warning' },
  KIA0202: { code: 'KIA0202', name: 'DestinationRuleHostNotInRegistry', level: 'Warning' },
  KIA0203: { code: 'KIA0203', name: 'SubsetLabelsNotFound', level: 'Error' },
  KIA0207: { code: 'KIA0207', name: 'DestinationRuleDisablesMtlsRequiredByPeerAuthentication', level: 'Error' },
  KIA0209: { code: 'KIA0209', name: 'SubsetWithoutLabels', level: 'Warning' },
  KIA0301: { code: 'KIA0301', name: 'MultipleGatewaysForHostPort', level: 'Warning' },
  KIA0302: { code: 'KIA0302', name: 'GatewaySelectorMatchesNoWorkload', level: 'Warning' },
  KIA0601: { code: 'KIA0601', name: 'PortNameNotProtocolForm', level: 'Error' },
  KIA0602: { code: 'KIA0602', name: 'PortAppProtocolNotProtocolForm', level: 'Error' },
  KIA0701: { code: 'KIA0701', name: 'ServicePortNotExposedByDeployment', level: 'Warning' },
  KIA1104: { code: 'KIA1104', name: 'SingleDestinationWeightBelow100', level: 'Warning' },
  KIA1105: { code: 'KIA1105', name: 'RepeatedRouteDestination', level: 'Warning' },
  KIA1106: { code: 'KIA1106', name: 'MultipleVirtualServicesForHost', level: 'Warning' },
  KIA1108: { code: 'KIA1108', name: 'GatewayReferenceNomenclature', level: 'Info' },
  KIA1301: { code: 'KIA1301', name: 'WorkloadNotCoveredByAuthorizationPolicy', level: 'Warning' },
  KIA1401: { code: 'KIA1401', name: 'RouteGatewayNotFound', level: 'Error' },
  KIA1402: { code: 'KIA1402', name: 'RouteServiceNotFound', level: 'Error' },
  KIA1501: { code: 'KIA1501', name: 'MultipleK8sGatewaysForHostPort', level: 'Warning' },
  KIA1502: { code: 'KIA1502', name: 'MultipleK8sGatewaysForAddress', level: 'Warning' },
  KIA1503: { code: 'KIA1503', name: 'ListenerNotUnique', level: 'Error' },
  // This project's own codes, for what neither istioctl nor Kiali reports.
  CDK0001: { code: 'CDK0001', name: 'NoSchemaForKind', level: 'Info' },
  CDK0002: { code: 'CDK0002', name: 'GatewayNotBound', level: 'Warning' },
  CDK0003: { code: 'CDK0003', name: 'RetriesExceedRouteTimeout', level: 'Warning' },
  CDK0004: { code: 'CDK0004', name: 'RouteRuleNameNotUnique', level: 'Error' },
  CDK0005: { code: 'CDK0005', name: 'ConflictingPeerAuthentications', level: 'Warning' },
  CDK0006: { code: 'CDK0006', name: 'GatewayDeploymentNameTaken', level: 'Error' },
  CDK0007: { code: 'CDK0007', name: 'AllBackendWeightsZero', level: 'Warning' },
  CDK0008: { code: 'CDK0008', name: 'MeshRoutedByBothApis', level: 'Warning' },
  CDK0009: { code: 'CDK0009', name: 'RouteRuleShadowed', level: 'Warning' },
  CDK0010: { code: 'CDK0010', name: 'GatewayDeniesAllRequests', level: 'Error' },
  CDK0011: { code: 'CDK0011', name: 'KindNotServed', level: 'Error' },
  CDK0012: { code: 'CDK0012', name: 'RouteDestinationRefusesCaller', level: 'Warning' },
} as const satisfies Record<string, MessageType>;

/** A message code. */
export type MessageCode = keyof typeof MESSAGE_TYPES;

/** The resource a finding is about. */
export interface ResourceRef {
  /** The apiVersion. */
  readonly apiVersion: string;
  /** The kind. */
  readonly kind: string;
  /** The name. */
  readonly name: string;
  /** The namespace (absent for cluster-scoped kinds). */
  readonly namespace?: string;
  /** Where it was read from, when it came from a file: path and 1-based line of the document. */
  readonly source?: { readonly file: string; readonly line: number };
  /** The construct path that produced it, when it came from a cdk8s app. */
  readonly constructPath?: string;
}

/** One finding. */
export interface AnalysisMessage {
  /** The code, e.g. `IST0101`. */
  readonly code: MessageCode;
  /** The istioctl/Kiali name of the code. */
  readonly name: string;
  /** The level. */
  readonly level: MessageLevel;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** The resource at fault. */
  readonly resource: ResourceRef;
  /** The field path in the resource, e.g. `spec.http[0].route[0].destination.subset`. */
  readonly field?: string;
}

/**
 * A key that is equal for equal findings: a digest of the finding's JSON. (V8 hashes a string
 * longer than 16,383 characters by its length alone, so the JSON itself, as a Map key, would make
 * every long finding of one length collide.)
 */
export function messageKey(m: AnalysisMessage): string {
  return createHash('sha1').update(JSON.stringify(m)).digest('base64');
}

/** Renders a finding the way istioctl does, with the field path, file or construct path appended. */
export function formatMessage(m: AnalysisMessage): string {
  const r = m.resource;
  const where = [m.field, r.source && `${r.source.file}:${r.source.line}`, r.constructPath && `construct ${r.constructPath}`]
    .filter(Boolean).join(', ');
  return `${m.level} [${m.code}] (${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}) ${m.message}${where ? ` [${where}]` : ''}`;
}
