import { MESH_ENROLLMENT_LABELS } from '../../core/mesh-labels';
import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';

/** Namespaces istioctl never expects to be injected, and whose Services' port names it does not judge. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** IST0102: a Namespace carries no injection label, so its pods get no sidecar. */
export const namespaceNotInjected: Analyzer = {
  name: 'namespace-not-injected',
  codes: ['IST0102'],
  analyze(index, report) {
    for (const ns of index.namespaceResources()) {
      if (SYSTEM_NAMESPACES.has(ns.name) || ns.name === index.rootNamespace) continue;
      if (MESH_ENROLLMENT_LABELS.some(l => ns.labels[l])) continue; // an empty value enrolls nothing
      report(ns, msg.namespaceNotInjected(ns.name), 'metadata.labels');
    }
  },
};
