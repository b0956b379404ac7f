/**
 * The annotations Istio defines (istio/api `annotation/annotations.yaml`), with the kinds each
 * applies to, whether it is an alpha-phase feature and whether it is deprecated, for IST0107,
 * IST0108, IST0125, IST0135 and IST0136. An annotation is Istio's when its domain ends in
 * `istio.io` (or it is `kubernetes.io/ingress.class`, which Istio documents).
 */

/** What Istio says of one annotation. */
export interface IstioAnnotation {
  /** The kinds it applies to; `Any` for every kind. */
  readonly resources: readonly string[];
  /** Part of an alpha-phase feature. */
  readonly alpha?: boolean;
  /** Deprecated. */
  readonly deprecated?: boolean;
  /** The label that replaces a deprecated annotation. */
  readonly replacedByLabel?: string;
  /**
   * Not reported as alpha (IST0136) although it is: Istio sets it itself (`sidecar.istio.io/status`),
   * or it is the analysis' own suppression annotation.
   */
  readonly quiet?: boolean;
}

const pod = (flags: Omit<IstioAnnotation, 'resources'> = {}): IstioAnnotation => ({ resources: ['Pod'], ...flags });
const ALPHA = { alpha: true } as const;
const ALPHA_DEPRECATED = { alpha: true, deprecated: true } as const;

/** Every annotation Istio defines, by name. */
export const ISTIO_ANNOTATIONS: ReadonlyMap<string, IstioAnnotation> = new Map<string, IstioAnnotation>([
  ['alpha.istio.io/canonical-serviceaccounts', { resources: ['Service'], ...ALPHA_DEPRECATED }],
  ['alpha.istio.io/identity', pod(ALPHA_DEPRECATED)],
  ['alpha.istio.io/kubernetes-serviceaccounts', { resources: ['Service'], ...ALPHA_DEPRECATED }],
  ['ambient.istio.io/bypass-inbound-capture', pod(ALPHA)],
  ['ambient.istio.io/redirection', pod()],
  ['galley.istio.io/analyze-suppress', { resources: ['Any'], ...ALPHA, quiet: true }],
  ['inject.istio.io/templates', pod(ALPHA)],
  ['install.operator.istio.io/chart-owner', { resources: ['Any'], ...ALPHA }],
  ['install.operator.istio.io/owner-generation', { resources: ['Any'], ...ALPHA }],
  ['install.operator.istio.io/version', { resources: ['Any'], ...ALPHA }],
  ['istio.io/autoRegistrationGroup', { resources: ['WorkloadEntry'], ...ALPHA }],
  ['istio.io/connectedAt', { resources: ['WorkloadEntry'], ...ALPHA }],
  ['istio.io/disconnectedAt', { resources: ['WorkloadEntry'], ...ALPHA }],
  ['istio.io/dry-run', { resources: ['AuthorizationPolicy'], ...ALPHA }],
  ['istio.io/workloadController', { resources: ['WorkloadEntry'], ...ALPHA }],
  ['kubernetes.io/ingress.class', { resources: ['Ingress'] }],
  ['networking.istio.io/exportTo', { resources: ['Service'], ...ALPHA }],
  ['prometheus.istio.io/merge-metrics', pod(ALPHA)],
  ['proxy.istio.io/config', pod()],
  ['proxy.istio.io/overrides', pod(ALPHA)],
  ['readiness.status.sidecar.istio.io/applicationPorts', pod(ALPHA)],
  ['readiness.status.sidecar.istio.io/failureThreshold', pod(ALPHA)],
  ['readiness.status.sidecar.istio.io/initialDelaySeconds', pod(ALPHA)],
  ['readiness.status.sidecar.istio.io/periodSeconds', pod(ALPHA)],
  ['sidecar.istio.io/agentLogLevel', pod(ALPHA)],
  ['sidecar.istio.io/bootstrapOverride', pod(ALPHA)],
  ['sidecar.istio.io/componentLogLevel', pod(ALPHA)],
  ['sidecar.istio.io/controlPlaneAuthPolicy', pod({ deprecated: true })],
  ['sidecar.istio.io/discoveryAddress', pod(ALPHA_DEPRECATED)],
  ['sidecar.istio.io/enableCoreDump', pod(ALPHA)],
  ['sidecar.istio.io/extraStatTags', pod(ALPHA)],
  ['sidecar.istio.io/inject', pod({ deprecated: true, replacedByLabel: 'sidecar.istio.io/inject' })],
  ['sidecar.istio.io/interceptionMode', pod(ALPHA)],
  ['sidecar.istio.io/logLevel', pod(ALPHA)],
  ['sidecar.istio.io/nativeSidecar', pod(ALPHA)],
  ['sidecar.istio.io/proxyCPU', pod(ALPHA)],
  ['sidecar.istio.io/proxyCPULimit', pod(ALPHA)],
  ['sidecar.istio.io/proxyImage', pod(ALPHA)],
  ['sidecar.istio.io/proxyMemory', pod(ALPHA)],
  ['sidecar.istio.io/proxyMemoryLimit', pod()],
  ['sidecar.istio.io/rewriteAppHTTPProbers', pod(ALPHA)],
  ['sidecar.istio.io/statsInclusionPrefixes', pod(ALPHA_DEPRECATED)],
  ['sidecar.istio.io/statsInclusionRegexps', pod(ALPHA_DEPRECATED)],
  ['sidecar.istio.io/statsInclusionSuffixes', pod(ALPHA_DEPRECATED)],
  ['sidecar.istio.io/status', pod({ ...ALPHA, quiet: true })],
  ['sidecar.istio.io/userVolume', pod(ALPHA)],
  ['sidecar.istio.io/userVolumeMount', pod()],
  ['status.sidecar.istio.io/port', pod(ALPHA)],
  ['traffic.sidecar.istio.io/excludeInboundPorts', pod(ALPHA)],
  ['traffic.sidecar.istio.io/excludeOutboundIPRanges', pod(ALPHA)],
  ['traffic.sidecar.istio.io/excludeOutboundPorts', pod(ALPHA)],
  ['traffic.sidecar.istio.io/includeInboundPorts', pod()],
  ['traffic.sidecar.istio.io/includeOutboundIPRanges', pod(ALPHA)],
  ['traffic.sidecar.istio.io/includeOutboundPorts', pod(ALPHA)],
  ['traffic.sidecar.istio.io/kubevirtInterfaces', pod(ALPHA)],
]);

/** Whether an annotation is in Istio's namespace: a domain ending in `istio.io`, or `kubernetes.io/ingress.class`. */
export function isIstioAnnotation(name: string): boolean {
  if (name === 'kubernetes.io/ingress.class') return true;
  const slash = name.indexOf('/');
  return slash > 0 && name.slice(0, slash).endsWith('istio.io');
}
