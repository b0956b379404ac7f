import { MESH_ENROLLMENT_LABELS } from '../../core/mesh-labels';
import { Analyzer } from '../analyzer';

/** Namespaces istioctl never expects to be injected. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** IST0102: a Namespace carries no injection label, so its pods get no sidecar. */
export const namespaceNotInjected: Analyzer = {
  codes: ['IST0102'],
  analyze(index, report) {
    for (const ns of index.ofKind('Namespace')) {
      if (SYSTEM_NAMESPACES.has(ns.name) || ns.name === index.rootNamespace) continue;
      const labels: Record<string, string> = ns.doc.metadata?.labels ?? {};
      if (MESH_ENROLLMENT_LABELS.some(l => labels[l])) continue; // an empty value enrolls nothing
      report('IST0102', ns, `The namespace is not enabled for Istio injection. Label it istio-injection=enabled (MeshNamespace does), or istio-injection=disabled to mark it as not needing injection.`, 'metadata.labels');
    }
  },
};
