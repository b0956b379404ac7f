import { crdApiVersionKinds } from './crd-kinds';
import { nearestName } from '../../core/nearest-name';
import { isListKind, splitApiVersion } from '../group-kinds';

/**
 * Which `apiVersion`s and kinds a cluster running Istio 1.30 serves, for the API groups whose every
 * version and kind is known here: Kubernetes's built-in groups below, and Istio's groups (from the
 * CRD bundle). A document of another kind in those groups is refused by `kubectl apply` ("no
 * matches for kind"), as is one of a version Kubernetes or Istio stopped serving — tutorials and
 * old charts are full of both. Kinds of other groups (another project's CRDs, the Gateway API,
 * whose experimental channel adds kinds) are not judged.
 */

/** The served versions and kinds of Kubernetes's built-in groups judged here (lists such as `ConfigMapList` aside). */
const KUBERNETES_SERVED: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  '': {
    v1: ['Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume',
      'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount',
      'List'],
  },
  'apps': { v1: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'] },
  'batch': { v1: ['CronJob', 'Job'] },
  'autoscaling': { v1: ['HorizontalPodAutoscaler'], v2: ['HorizontalPodAutoscaler'] },
  'policy': { v1: ['Eviction', 'PodDisruptionBudget'] },
  'rbac.authorization.k8s.io': { v1: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] },
};

/** Groups whose served versions are all listed: another version of them is refused (networking.k8s.io has betas that come and go). */
const KUBERNETES_CLOSED_GROUPS: ReadonlySet<string> = new Set(Object.keys(KUBERNETES_SERVED));

/** Versions of kinds of groups not closed above whose kinds are all listed. */
const KUBERNETES_CLOSED_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'IPAddress', 'NetworkPolicy', 'ServiceCIDR'],
};

/** A version no longer served: the release that stopped serving it, and what to use instead. */
interface Removal {
  readonly since: string;
  readonly use: string;
}

/**
 * `[apiVersions, kinds ('*': all of the version), removed in, use instead]`, from Kubernetes's
 * deprecation guide and Istio's release notes.
 */
const REMOVALS: ReadonlyArray<readonly [readonly string[], readonly string[], string, string]> = [
  [['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'], ['Deployment', 'ReplicaSet'], 'Kubernetes 1.16', 'apps/v1'],
  [['extensions/v1beta1', 'apps/v1beta2'], ['DaemonSet'], 'Kubernetes 1.16', 'apps/v1'],
  [['apps/v1beta1', 'apps/v1beta2'], ['StatefulSet'], 'Kubernetes 1.16', 'apps/v1'],
  [['extensions/v1beta1'], ['NetworkPolicy'], 'Kubernetes 1.16', 'networking.k8s.io/v1'],
  [['extensions/v1beta1', 'networking.k8s.io/v1beta1'], ['Ingress'], 'Kubernetes 1.22', 'networking.k8s.io/v1'],
  [['networking.k8s.io/v1beta1'], ['IngressClass'], 'Kubernetes 1.22', 'networking.k8s.io/v1'],
  [['rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1alpha1'], ['*'], 'Kubernetes 1.22', 'rbac.authorization.k8s.io/v1'],
  [['admissionregistration.k8s.io/v1beta1'], ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], 'Kubernetes 1.22',
    'admissionregistration.k8s.io/v1'],
  [['apiextensions.k8s.io/v1beta1'], ['CustomResourceDefinition'], 'Kubernetes 1.22', 'apiextensions.k8s.io/v1'],
  [['apiregistration.k8s.io/v1beta1'], ['APIService'], 'Kubernetes 1.22', 'apiregistration.k8s.io/v1'],
  [['certificates.k8s.io/v1beta1'], ['CertificateSigningRequest'], 'Kubernetes 1.22', 'certificates.k8s.io/v1'],
  [['coordination.k8s.io/v1beta1'], ['Lease'], 'Kubernetes 1.22', 'coordination.k8s.io/v1'],
  [['scheduling.k8s.io/v1beta1'], ['PriorityClass'], 'Kubernetes 1.22', 'scheduling.k8s.io/v1'],
  [['storage.k8s.io/v1beta1'], ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], 'Kubernetes 1.22', 'storage.k8s.io/v1'],
  [['batch/v1beta1'], ['CronJob'], 'Kubernetes 1.25', 'batch/v1'],
  [['discovery.k8s.io/v1beta1'], ['EndpointSlice'], 'Kubernetes 1.25', 'discovery.k8s.io/v1'],
  [['events.k8s.io/v1beta1'], ['Event'], 'Kubernetes 1.25', 'events.k8s.io/v1'],
  [['autoscaling/v2beta1'], ['HorizontalPodAutoscaler'], 'Kubernetes 1.25', 'autoscaling/v2'],
  [['autoscaling/v2beta2'], ['HorizontalPodAutoscaler'], 'Kubernetes 1.26', 'autoscaling/v2'],
  [['policy/v1beta1'], ['PodDisruptionBudget'], 'Kubernetes 1.25', 'policy/v1'],
  [['extensions/v1beta1'], ['PodSecurityPolicy'], 'Kubernetes 1.16',
    'Pod Security admission (the pod-security.kubernetes.io/enforce label on the Namespace)'],
  [['policy/v1beta1'], ['PodSecurityPolicy'], 'Kubernetes 1.25',
    'Pod Security admission (the pod-security.kubernetes.io/enforce label on the Namespace)'],
  [['node.k8s.io/v1beta1'], ['RuntimeClass'], 'Kubernetes 1.25', 'node.k8s.io/v1'],
  [['storage.k8s.io/v1beta1'], ['CSIStorageCapacity'], 'Kubernetes 1.27', 'storage.k8s.io/v1'],
  ...(['v1beta1', 'v1beta2', 'v1beta3'] as const).map((version, i) =>
    [[`flowcontrol.apiserver.k8s.io/${version}`], ['FlowSchema', 'PriorityLevelConfiguration'], `Kubernetes ${['1.26', '1.29', '1.32'][i]}`,
      'flowcontrol.apiserver.k8s.io/v1'] as const),
  [['authentication.istio.io/v1alpha1'], ['*'], 'Istio 1.6',
    'security.istio.io/v1 PeerAuthentication (mTLS) and RequestAuthentication (JWT)'],
  [['rbac.istio.io/v1alpha1'], ['*'], 'Istio 1.6', 'security.istio.io/v1 AuthorizationPolicy'],
  [['config.istio.io/v1alpha2'], ['*'], 'Istio 1.8 (Mixer)',
    'telemetry.istio.io/v1 Telemetry, or an extension provider of the mesh config'],
];

/** The removal of `apiVersion` `kind`, if it is one. */
function removalOf(apiVersion: string, kind: string): Removal | undefined {
  for (const [versions, kinds, since, use] of REMOVALS) {
    if (versions.includes(apiVersion) && (kinds.includes(kind) || kinds[0] === '*')) return { since, use };
  }
  return undefined;
}

let istioServed: Map<string, Map<string, string[]>> | undefined;

/** Istio's groups: group → version → kinds, from the CRD bundle the schemas come from (the IstioOperator included). */
function istioGroups(): Map<string, Map<string, string[]>> {
  if (istioServed === undefined) {
    istioServed = new Map();
    for (const key of crdApiVersionKinds()) {
      const slash = key.lastIndexOf('/');
      const { group, version } = splitApiVersion(key.slice(0, slash));
      if (!group.endsWith('istio.io')) continue;
      const versions = istioServed.get(group) ?? new Map<string, string[]>();
      versions.set(version, [...versions.get(version) ?? [], key.slice(slash + 1)]);
      istioServed.set(group, versions);
    }
  }
  return istioServed;
}

/** The served versions (version → kinds) of a group judged here, or undefined for a group not judged. */
function servedVersions(group: string): ReadonlyMap<string, readonly string[]> | undefined {
  if (KUBERNETES_CLOSED_GROUPS.has(group)) return new Map(Object.entries(KUBERNETES_SERVED[group]));
  return istioGroups().get(group);
}

/** The apiVersion of a group's version: the core group's are the version alone. */
function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Every served `apiVersion` of `kind` among the groups judged here. */
function apiVersionsOf(kind: string): string[] {
  type Served = [apiVersion: string, kinds: readonly string[]];
  const all: Served[] = [
    ...Object.entries(KUBERNETES_SERVED).flatMap(([group, versions]) =>
      Object.entries(versions).map(([version, kinds]): Served => [apiVersionOf(group, version), kinds])),
    ...Object.entries(KUBERNETES_CLOSED_VERSIONS),
    ...[...istioGroups()].flatMap(([group, versions]) =>
      [...versions].map(([version, kinds]): Served => [apiVersionOf(group, version), kinds])),
  ];
  return all.filter(([, kinds]) => kinds.includes(kind)).map(([apiVersion]) => apiVersion);
}

/** Why the API server would not take a document of `apiVersion` and `kind`: the field at fault, the problem and the fix. */
export interface UnservedKind {
  /** `apiVersion` or `kind`. */
  readonly field: 'apiVersion' | 'kind';
  /** What is wrong, without a trailing period. */
  readonly problem: string;
  /** How to fix it, without a trailing period. */
  readonly fix: string;
}

/**
 * Why a cluster with Istio 1.30 would not serve `apiVersion` `kind`, or undefined when it does or
 * when its group is not judged here (see the top of this file). Lists (`ConfigMapList`) are served.
 */
export function unservedKind(apiVersion: string, kind: string): UnservedKind | undefined {
  const removal = removalOf(apiVersion, kind);
  if (removal !== undefined) {
    return {
      field: 'apiVersion',
      problem: `${apiVersion} ${kind} is no longer served (removed in ${removal.since})`,
      fix: `use ${removal.use}` + (removal.since.startsWith('Kubernetes')
        ? '; the fields may differ, see https://kubernetes.io/docs/reference/using-api/deprecation-guide/' : ''),
    };
  }
  if (isListKind(kind)) return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  const closedVersion = KUBERNETES_CLOSED_VERSIONS[apiVersion];
  const versions = servedVersions(group);
  const kinds = closedVersion ?? versions?.get(version);
  if (kinds === undefined) {
    if (versions === undefined) return undefined;
    const served = [...versions.keys()].map(v => apiVersionOf(group, v));
    return {
      field: 'apiVersion',
      problem: `${group === '' ? 'the core API group' : group} has no version ${version}`,
      fix: `use ${served.filter(v => versions.get(splitApiVersion(v).version)!.includes(kind))[0] ?? served.join(' or ')}`,
    };
  }
  if (kinds.includes(kind)) return undefined;
  const elsewhere = apiVersionsOf(kind);
  const near = nearestName(kind, kinds);
  return {
    // a kind of another group is a wrong apiVersion; otherwise the kind is misspelt
    field: elsewhere.length > 0 ? 'apiVersion' : 'kind',
    problem: `${apiVersion} has no kind ${kind}`,
    fix: elsewhere.length > 0 ? `use apiVersion ${elsewhere.join(' or ')}, which serves ${kind}`
      : near !== undefined ? `write ${near}` : `its kinds are ${kinds.join(', ')}`,
  };
}
