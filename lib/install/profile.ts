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
