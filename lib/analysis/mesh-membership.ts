import { KINDS } from './group-kinds';
import { MeshIndex, Resource, Workload, list } from './mesh-index';

/** The label (or legacy annotation) that opts a pod in or out of sidecar injection. */
const INJECT = 'sidecar.istio.io/inject';
/** The namespace label that turns on (or off) sidecar injection. */
const INJECTION_LABEL = 'istio-injection';
/** The revision label of revision-based injection. */
const REVISION_LABEL = 'istio.io/rev';
/** The label that enrolls a namespace or pod in the ambient data plane (`ambient`) or opts a pod out (`none`). */
const DATAPLANE_MODE = 'istio.io/dataplane-mode';

/** The Namespace resource of a namespace, when it is in the input. */
export function namespaceResource(index: MeshIndex, namespace: string): Resource | undefined {
  return index.find(KINDS.Namespace, '', namespace);
}

/** The pod annotations of a workload: the Pod's own, or its pod template's. */
export function podAnnotations(workload: Workload): Readonly<Record<string, unknown>> {
  if (workload.resource.kind === 'Pod') return workload.resource.annotations;
  const spec = workload.resource.spec as { template?: { metadata?: { annotations?: unknown } } };
  const template: unknown = spec.template?.metadata?.annotations;
  return typeof template === 'object' && template !== null ? template as Record<string, unknown> : {};
}

/**
 * Whether a workload gets (or has) a sidecar, as istioctl decides it: an `istio-proxy` container
 * with an image; else its `sidecar.istio.io/inject` label, then annotation (`"true"` or not); else
 * its Namespace's `istio-injection: enabled` or `istio.io/rev` label. A workload whose Namespace is
 * not in the input and that says nothing itself is not in the mesh.
 */
export function workloadHasSidecar(index: MeshIndex, workload: Workload): boolean {
  const containers = [...list(workload.podSpec.containers), ...list(workload.podSpec.initContainers)];
  if (containers.some(c => c.name === 'istio-proxy' && typeof c.image === 'string' && c.image !== '')) return true;
  if (workload.labels[INJECT] !== undefined) return workload.labels[INJECT] === 'true';
  const annotation = podAnnotations(workload)[INJECT];
  if (annotation !== undefined) return annotation === 'true';
  const ns = namespaceResource(index, workload.resource.namespace);
  return ns !== undefined && (ns.labels[INJECTION_LABEL] === 'enabled' || Boolean(ns.labels[REVISION_LABEL]));
}

/** Whether a Namespace enrolls its pods in ambient mode (a sidecar injection label takes precedence). */
export function namespaceIsAmbient(ns: Resource | undefined): boolean {
  if (ns === undefined || ns.labels[INJECTION_LABEL] === 'enabled' || ns.labels[REVISION_LABEL]) return false;
  return ns.labels[DATAPLANE_MODE] === 'ambient';
}

/**
 * Whether a workload runs in ambient mode: its own `istio.io/dataplane-mode: ambient`, or an
 * ambient Namespace it does not opt out of (`istio.io/dataplane-mode: none`, or a sidecar).
 * (istioctl reads the `ambient.istio.io/redirection` annotation the CNI sets on running pods;
 * manifests carry the intent instead.)
 */
export function workloadIsAmbient(index: MeshIndex, workload: Workload): boolean {
  const own = workload.labels[DATAPLANE_MODE];
  if (own !== undefined) return own === 'ambient';
  if (workload.labels[INJECT] === 'true' || podAnnotations(workload)[INJECT] === 'true') return false;
  return namespaceIsAmbient(namespaceResource(index, workload.resource.namespace));
}

/** Whether a workload is in the mesh at all: with a sidecar or in ambient mode. */
export function workloadInMesh(index: MeshIndex, workload: Workload): boolean {
  return workloadHasSidecar(index, workload) || workloadIsAmbient(index, workload);
}
