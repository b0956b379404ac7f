import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';

/** The cdk8s-plus-28 L1 classes the constructs emit. */
export type KubernetesL1 = Pick<typeof K8s,
  'IntOrString' | 'KubeDeployment' | 'KubeNamespace' | 'KubeService' | 'KubeServiceAccount' | 'KubeStatefulSet' | 'Quantity'
  | 'toJson_SecurityContext'>;

let loaded: typeof K8s | undefined;

function load(): typeof K8s {
  loaded ??= require('cdk8s-plus-28/lib/imports/k8s') as typeof K8s;
  return loaded;
}

/**
 * cdk8s-plus-28's generated Kubernetes classes, loaded on first use: the module defines every
 * Kubernetes kind and costs ~50 ms to load, which `require('cdk8s-istio')` should not pay up front.
 * Use it for every value taken from that module (`new k8s.KubeService(...)` reads the same); types
 * come from `import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s'`, which costs nothing.
 */
export const k8s: KubernetesL1 = {
  get IntOrString() { return load().IntOrString; },
  get KubeDeployment() { return load().KubeDeployment; },
  get KubeNamespace() { return load().KubeNamespace; },
  get KubeService() { return load().KubeService; },
  get KubeServiceAccount() { return load().KubeServiceAccount; },
  get KubeStatefulSet() { return load().KubeStatefulSet; },
  get Quantity() { return load().Quantity; },
  get toJson_SecurityContext() { return load().toJson_SecurityContext; },
};
