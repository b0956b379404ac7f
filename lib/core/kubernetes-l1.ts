import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';

/**
 * The Kubernetes L1 classes (and the one conversion) the constructs emit, from cdk8s-plus-28's
 * generated Kubernetes 1.28 bindings. imports/kubernetes-l1.ts holds exactly these and what they
 * use, taken from that module by `npm run import` (scripts/import-kubernetes-l1.ts), so a process
 * compiles ~90 kB of JavaScript instead of cdk8s-plus-28's 2.7 MB module of every kind.
 */
export const KUBERNETES_L1_NAMES = [
  'IntOrString', 'KubeClusterRole', 'KubeClusterRoleBinding', 'KubeConfigMap', 'KubeDeployment', 'KubeNamespace',
  'KubeService', 'KubeServiceAccount', 'KubeStatefulSet', 'Quantity', 'toJson_SecurityContext',
] as const;

/** The L1 classes the constructs emit, typed by cdk8s-plus-28's declarations. */
export type KubernetesL1 = Pick<typeof K8s, typeof KUBERNETES_L1_NAMES[number]>;

let loaded: KubernetesL1 | undefined;

function load(): KubernetesL1 {
  loaded ??= require('../../imports/kubernetes-l1') as KubernetesL1;
  return loaded;
}

/**
 * The L1 classes, loaded on first use (`require('cdk8s-istio')` does not pay for them). Use it for
 * every value (`new k8s.KubeService(...)`); types come from
 * `import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s'`, which costs nothing at run time.
 */
export const k8s: KubernetesL1 = Object.defineProperties({} as KubernetesL1,
  Object.fromEntries(KUBERNETES_L1_NAMES.map(name => [name, { get: () => load()[name], enumerable: true }])));
