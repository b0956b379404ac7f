import type { GatewayServicePort } from './gateway-component';
import { ExtensionProvider } from './mesh-config';

/**
 * Istio's installation profiles (manifests/profiles/ of an Istio release): `istioctl install`
 * overlays the chosen one on `default`, and the written IstioOperator names it in `spec.profile`.
 */
export enum InstallProfile {
  /** Control plane and the ingress gateway `istio-ingressgateway`; the egress gateway off. */
  DEFAULT = 'default',
  /** `default` plus the egress gateway `istio-egressgateway`, and the demo values (access logs, full trace sampling). */
  DEMO = 'demo',
  /** The control plane only: no gateway. */
  MINIMAL = 'minimal',
  /** Ambient mode: the control plane, the CNI node agent and ztunnel; no ingress gateway. */
  AMBIENT = 'ambient',
}

/** What a profile installs, as its file in manifests/profiles/ says (on top of default.yaml). */
export interface ProfileBaseline {
  /** Whether `istio-ingressgateway` is enabled. */
  readonly ingressGateway: boolean;
  /** Whether `istio-egressgateway` is enabled. */
  readonly egressGateway: boolean;
  /** Whether the CNI node agent and ztunnel run (ambient mode). */
  readonly ambient: boolean;
  /**
   * `values.profile` of the profile file: the values profile of Istio's Helm charts (files/profile-<name>.yaml),
   * which the Helm values files name too.
   */
  readonly valuesProfile?: string;
}

/** The OpenTelemetry collector of Istio's OpenTelemetry samples, which the demo profile's providers send to. */
const OBSERVABILITY_COLLECTOR = { service: 'opentelemetry-collector.observability.svc.cluster.local', port: 4317 };

/**
 * The `meshConfig.extensionProviders` of each profile's values (manifests/helm-profiles/<name>.yaml
 * of Istio's release): the demo profile's, which Istio's tasks name. Helm and istioctl replace the
 * list with the one an install writes, so MeshInstall repeats these before its own.
 */
export const PROFILE_EXTENSION_PROVIDERS: Readonly<Record<InstallProfile, readonly ExtensionProvider[]>> = {
  [InstallProfile.DEFAULT]: [],
  [InstallProfile.DEMO]: [
    ExtensionProvider.otelAccessLog('otel', OBSERVABILITY_COLLECTOR),
    ExtensionProvider.skywalking('skywalking', { service: 'tracing.istio-system.svc.cluster.local', port: 11800 }),
    ExtensionProvider.openTelemetryTracing('otel-tracing', OBSERVABILITY_COLLECTOR),
  ],
  [InstallProfile.MINIMAL]: [],
  [InstallProfile.AMBIENT]: [],
};

/** The gateway every profile's `ingressGateways` lists. */
export const DEFAULT_INGRESS_GATEWAY = 'istio-ingressgateway';
/** The gateway every profile's `egressGateways` lists. */
export const DEFAULT_EGRESS_GATEWAY = 'istio-egressgateway';

/** What each profile enables (test/install/profiles.test.ts holds this table to the profile files). */
export const PROFILE_BASELINES: Readonly<Record<InstallProfile, ProfileBaseline>> = {
  [InstallProfile.DEFAULT]: { ingressGateway: true, egressGateway: false, ambient: false },
  [InstallProfile.DEMO]: { ingressGateway: true, egressGateway: true, ambient: false, valuesProfile: 'demo' },
  [InstallProfile.MINIMAL]: { ingressGateway: false, egressGateway: false, ambient: false },
  [InstallProfile.AMBIENT]: { ingressGateway: false, egressGateway: false, ambient: true, valuesProfile: 'ambient' },
};

/**
 * The Service ports of a profile's own ingress gateway, where its values differ from the gateway
 * chart's (status-port, http2, https): the demo profile adds `tcp` 31400 and `tls` 15443, which
 * Istio's TCP and TLS ingress tasks use. Undefined: the chart's.
 */
export const PROFILE_INGRESS_PORTS: Readonly<Partial<Record<InstallProfile, readonly GatewayServicePort[]>>> = {
  [InstallProfile.DEMO]: [
    { name: 'status-port', port: 15021, targetPort: 15021 }, { name: 'http2', port: 80, targetPort: 8080 },
    { name: 'https', port: 443, targetPort: 8443 }, { name: 'tcp', port: 31400, targetPort: 31400 },
    { name: 'tls', port: 15443, targetPort: 15443 },
  ],
};
